import type { z } from 'zod';
import type { DesktopAppSchema } from '../../core/task.ts';
import { DisplayError, probeDisplay } from './display.ts';
import { launchApp, type LaunchedApp } from './app-launch.ts';
import { DesktopExecutor, type DesktopExecutorOptions } from './desktop-executor.ts';
import { findWindows, focusWindow, moveWindow, windowRegion, WindowError } from './windows.ts';
import type { Region } from './driver-protocol.ts';
import type { Thumbnail } from '../../core/executor.ts';
import { settle } from '../../core/settle.ts';
import { startXvfb, type Xvfb } from './xvfb.ts';

export type DesktopApp = z.infer<typeof DesktopAppSchema>;

export interface DesktopSessionOptions {
  /** Start our own Xvfb for this session: true (at the task's screen size, else 1280×800) or a size. Without it the task's display or $DISPLAY is used. */
  xvfb?: boolean | [number, number];
  /** How long the app may take to show its window. */
  windowTimeoutMs?: number;
  /**
   * How long to wait, once the window exists, for it to be painted and hold still (default
   * 3000 ms; 0 skips the wait). A run that started on an unpainted window would read nothing.
   */
  paintTimeoutMs?: number;
  executor?: Omit<DesktopExecutorOptions, 'display'>;
}

export interface DesktopSession {
  executor: DesktopExecutor;
  display: string;
  /** The app the task launched, if any. */
  app?: LaunchedApp;
  /** The window waited for (the launched app's, or the one the task names). */
  windowId?: string;
  /** Whether that window was seen painted and still before the session was handed over, and how long that took. */
  paint?: WindowPaint;
  /** Stops the app (by PID), the executor, and our Xvfb, in that order. Safe to call twice. */
  close(): Promise<void>;
}

export interface WindowPaint {
  painted: boolean;
  ms: number;
}

export const DEFAULT_XVFB_SIZE: [number, number] = [1280, 800];

/**
 * Opens a desktop for a task: a display (ours or the given one), the executor on it, and the
 * task's app launched with its window waited for, raised, focused and placed on screen.
 */
export async function openDesktopSession(app: DesktopApp, opts: DesktopSessionOptions = {}): Promise<DesktopSession> {
  let xvfb: Xvfb | undefined;
  let executor: DesktopExecutor | undefined;
  let launched: LaunchedApp | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await launched?.stop().catch(() => {});
    await executor?.close().catch(() => {});
    await xvfb?.stop().catch(() => {});
  };
  try {
    let display: string;
    if (opts.xvfb) {
      xvfb = await startXvfb({ size: Array.isArray(opts.xvfb) ? opts.xvfb : (app.screen ?? DEFAULT_XVFB_SIZE) });
      display = xvfb.display;
    } else {
      const named = app.display ?? process.env.DISPLAY;
      if (!named) throw new DisplayError('this desktop task names no display and DISPLAY is not set; run it with --xvfb to start a virtual one');
      display = probeDisplay(named).display;
    }
    executor = await DesktopExecutor.open({ ...opts.executor, display });
    const timeoutMs = opts.windowTimeoutMs ?? 15_000;
    let windowId: string | undefined;
    let paint: WindowPaint | undefined;
    if (app.launch) {
      launched = await launchApp({ argv: app.launch, display, window: app.window, timeoutMs });
      windowId = launched.windowId;
    } else if (app.window) {
      windowId = await waitForWindow(display, app.window, timeoutMs);
    }
    if (windowId) {
      placeOnScreen(display, windowId, executor.screen);
      const paintTimeoutMs = opts.paintTimeoutMs ?? 3000;
      if (paintTimeoutMs > 0) paint = await waitForPaint(executor, display, windowId, paintTimeoutMs);
    }
    return { executor, display, app: launched, windowId, paint, close };
  } catch (e) {
    await close();
    throw e;
  }
}

async function waitForWindow(display: string, title: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [id] = findWindows(display, { title });
    if (id) return id;
    if (Date.now() > deadline) throw new DisplayError(`no window titled ${JSON.stringify(title)} appeared on ${display} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until the window shows something (not one flat colour) and two looks in a row agree.
 * X maps a window before its toolkit first paints it: until then it shows black under Xvfb, and
 * on a busy machine that lasts long enough for a run to capture it and read nothing (seen with a
 * GTK dialog during the full test suite). Bounded: a window still blank by then is left to the run.
 */
async function waitForPaint(executor: DesktopExecutor, display: string, id: string, timeoutMs: number): Promise<WindowPaint> {
  const started = performance.now();
  try {
    const s = await settle(executor, { timeoutMs, ready: (t) => !isFlat(t, executor.area(), windowRegion(display, id)) });
    return { painted: s.stable, ms: s.ms };
  } catch (e) {
    // A window that closed at once is for the run to report (its app's exit, its output).
    if (e instanceof WindowError) return { painted: false, ms: performance.now() - started };
    throw e;
  }
}

/** Whether the part of an RGB thumbnail of `area` that shows `window` (all of it if none) is one colour. */
export function isFlat(t: Thumbnail, area: Region, window: Region): boolean {
  const sx = t.width / area.width;
  const sy = t.height / area.height;
  let x1 = Math.max(0, Math.floor((window.x - area.x) * sx));
  let y1 = Math.max(0, Math.floor((window.y - area.y) * sy));
  let x2 = Math.min(t.width, Math.ceil((window.x + window.width - area.x) * sx));
  let y2 = Math.min(t.height, Math.ceil((window.y + window.height - area.y) * sy));
  if (x2 <= x1 || y2 <= y1) [x1, y1, x2, y2] = [0, 0, t.width, t.height];
  const min = [255, 255, 255];
  const max = [0, 0, 0];
  for (let y = y1; y < y2; y++) {
    for (let i = (y * t.width + x1) * 3, end = (y * t.width + x2) * 3; i < end; i += 3) {
      for (let c = 0; c < 3; c++) {
        const v = t.data[i + c];
        if (v < min[c]) min[c] = v;
        if (v > max[c]) max[c] = v;
      }
    }
  }
  return max.every((m, c) => m - min[c] < FLAT_RANGE);
}

/** Levels (per channel) a window must span to count as painted (JPEG-free thumbnails: a flat fill spans 0). */
const FLAT_RANGE = 8;

/** Raises and focuses the window; moves it to the top-left corner when part of it is off screen. */
function placeOnScreen(display: string, id: string, screen: { width: number; height: number }): void {
  const r = windowRegion(display, id);
  if (r.x < 0 || r.y < 0 || r.x + r.width > screen.width || r.y + r.height > screen.height) moveWindow(display, id, 0, 0);
  focusWindow(display, id);
}
