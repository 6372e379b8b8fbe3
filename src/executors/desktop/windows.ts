import { spawnSync } from 'node:child_process';
import type { Region } from './driver-protocol.ts';

/**
 * Window lookups and placement through xdotool, run against one display. Xvfb has no window
 * manager: focus is set with XSetInputFocus (windowfocus), not the EWMH activate request.
 */

export class WindowError extends Error {
  override name = 'WindowError';
}

function xdotool(display: string, args: string[], timeoutMs = 5000): { ok: boolean; out: string; err: string } {
  const r = spawnSync('xdotool', args, { env: { ...process.env, DISPLAY: display }, encoding: 'utf8', timeout: timeoutMs });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new WindowError(missing ? 'xdotool is not installed (Debian package xdotool); run "npm run setup"' : `xdotool ${args[0]} failed: ${r.error.message}`);
  }
  return { ok: r.status === 0, out: r.stdout.trim(), err: r.stderr.trim() };
}

/** Escapes a literal title for xdotool's regular-expression search. */
export function titlePattern(title: string): string {
  return title.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** Visible windows whose title contains the (literal) title, or that belong to one of the PIDs, or (any) every visible top-level window. */
export function findWindows(display: string, query: { title?: string; pids?: number[]; any?: boolean }): string[] {
  const ids = new Set<string>();
  if (query.any) {
    const r = xdotool(display, ['search', '--onlyvisible', '--maxdepth', '1', '--name', '']);
    for (const id of r.out.split('\n').filter(Boolean)) ids.add(id);
  }
  if (query.title !== undefined) {
    const r = xdotool(display, ['search', '--onlyvisible', '--name', titlePattern(query.title)]);
    for (const id of r.out.split('\n').filter(Boolean)) ids.add(id);
  }
  for (const pid of query.pids ?? []) {
    const r = xdotool(display, ['search', '--onlyvisible', '--pid', String(pid)]);
    for (const id of r.out.split('\n').filter(Boolean)) ids.add(id);
  }
  return [...ids];
}

export function windowExists(display: string, id: string): boolean {
  return xdotool(display, ['getwindowname', id]).ok;
}

export function windowTitle(display: string, id: string): string {
  const r = xdotool(display, ['getwindowname', id]);
  if (!r.ok) throw new WindowError(`window ${id} is gone`);
  return r.out;
}

/** The window's area on the screen, in device pixels (what the user sees, borders excluded). */
export function windowRegion(display: string, id: string): Region {
  const r = xdotool(display, ['getwindowgeometry', '--shell', id]);
  if (!r.ok) throw new WindowError(`window ${id} is gone (it was closed or its app exited)`);
  const v = Object.fromEntries(r.out.split('\n').map((l) => l.split('=') as [string, string]));
  const region = { x: Number(v.X), y: Number(v.Y), width: Number(v.WIDTH), height: Number(v.HEIGHT) };
  if (![region.x, region.y, region.width, region.height].every(Number.isFinite)) throw new WindowError(`cannot read the geometry of window ${id}: ${r.out}`);
  return region;
}

/** Raises the window and gives it the keyboard focus. */
export function focusWindow(display: string, id: string): void {
  const r = xdotool(display, ['windowraise', id, 'windowfocus', '--sync', id]);
  if (!r.ok) throw new WindowError(`cannot focus window ${id}: ${r.err || 'it is gone'}`);
}

export function moveWindow(display: string, id: string, x: number, y: number): void {
  const r = xdotool(display, ['windowmove', '--sync', id, String(Math.round(x)), String(Math.round(y))]);
  if (!r.ok) throw new WindowError(`cannot move window ${id}: ${r.err || 'it is gone'}`);
}

/** Types any Unicode text: xdotool maps each character's keysym onto a spare keycode, so no layout limits it. */
export function xdotoolType(display: string, text: string, delayMs = 0): void {
  const r = xdotool(display, ['type', '--delay', String(delayMs), '--', text], 30_000 + text.length * (delayMs + 5));
  if (!r.ok) throw new WindowError(`xdotool could not type the text: ${r.err}`);
}
