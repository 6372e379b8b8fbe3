import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * X display detection. nut.js's native code segfaults the whole process when it cannot open its
 * display, and Xlib exits the process when a display it holds goes away, so every desktop entry
 * point checks here first, with plain file and process checks that cannot crash.
 */

export class DisplayError extends Error {
  override name = 'DisplayError';
}

export interface DisplayName {
  /** As given: ":99", ":99.0", "unix:99". */
  name: string;
  number: number;
  screen: number;
}

/** Parses a local X display name; remote (host:N) displays are refused: we only drive this machine. */
export function parseDisplay(name: string): DisplayName {
  const m = /^(?:unix)?:(\d+)(?:\.(\d+))?$/.exec(name.trim());
  if (!m) {
    throw new DisplayError(`${JSON.stringify(name)} is not a local X display name; expected ":N" or ":N.S" (e.g. ":99")`);
  }
  return { name: name.trim(), number: Number(m[1]), screen: m[2] ? Number(m[2]) : 0 };
}

/** The server's listening socket: present while an X server (Xvfb, Xorg) serves that display. */
export function displaySocket(d: DisplayName): string {
  return `/tmp/.X11-unix/X${d.number}`;
}

/** Cheap check, safe to run before every action: does the display's socket exist? */
export function displaySocketExists(display: string): boolean {
  return existsSync(displaySocket(parseDisplay(display)));
}

export interface DisplayInfo {
  display: string;
  width: number;
  height: number;
}

/**
 * Checks that a display answers (xdpyinfo opens a real connection, in its own process) and returns
 * its root size. Throws DisplayError saying what is missing and how to get a display.
 */
export function probeDisplay(display: string | undefined, timeoutMs = 5000): DisplayInfo {
  if (!display) {
    throw new DisplayError(
      'no X display: DISPLAY is not set and the task names none; start one (e.g. "Xvfb :99 &" and DISPLAY=:99) or run with --xvfb',
    );
  }
  const d = parseDisplay(display);
  if (!existsSync(displaySocket(d))) {
    throw new DisplayError(`X display ${display} is not running (no socket ${displaySocket(d)}); start it or run with --xvfb`);
  }
  const r = spawnSync('xdpyinfo', ['-display', d.name], { encoding: 'utf8', timeout: timeoutMs });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DisplayError(
      missing ? 'xdpyinfo is not installed (Debian package x11-utils); run "npm run setup"' : `xdpyinfo -display ${display} failed: ${r.error.message}`,
    );
  }
  if (r.status !== 0) {
    throw new DisplayError(`X display ${display} does not answer: ${(r.stderr || r.stdout).trim().split('\n')[0] || `xdpyinfo exit ${r.status}`}`);
  }
  // One "dimensions:" line per screen, in screen order.
  const dims = [...r.stdout.matchAll(/dimensions:\s+(\d+)x(\d+) pixels/g)];
  const dim = dims[d.screen];
  if (!dim) throw new DisplayError(`X display ${display} has no screen ${d.screen} (it has ${dims.length})`);
  return { display: d.name, width: Number(dim[1]), height: Number(dim[2]) };
}
