import type { z } from 'zod';
import type { DesktopAppSchema } from '../task.ts';
import { DisplayError, probeDisplay } from './display.ts';
import { launchApp, type LaunchedApp } from './app-launch.ts';
import { DesktopExecutor, type DesktopExecutorOptions } from './desktop-executor.ts';
import { findWindows, focusWindow, moveWindow, windowRegion } from './windows.ts';
import { startXvfb, type Xvfb } from './xvfb.ts';

export type DesktopApp = z.infer<typeof DesktopAppSchema>;

export interface DesktopSessionOptions {
  /** Start our own Xvfb for this session: true (at the task's screen size, else 1280×800) or a size. Without it the task's display or $DISPLAY is used. */
  xvfb?: boolean | [number, number];
  /** How long the app may take to show its window. */
  windowTimeoutMs?: number;
  executor?: Omit<DesktopExecutorOptions, 'display'>;
}

export interface DesktopSession {
  executor: DesktopExecutor;
  display: string;
  /** The app the task launched, if any. */
  app?: LaunchedApp;
  /** The window waited for (the launched app's, or the one the task names). */
  windowId?: string;
  /** Stops the app (by PID), the executor, and our Xvfb, in that order. Safe to call twice. */
  close(): Promise<void>;
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
    if (app.launch) {
      launched = await launchApp({ argv: app.launch, display, window: app.window, timeoutMs });
      windowId = launched.windowId;
    } else if (app.window) {
      windowId = await waitForWindow(display, app.window, timeoutMs);
    }
    if (windowId) placeOnScreen(display, windowId, executor.screen);
    return { executor, display, app: launched, windowId, close };
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

/** Raises and focuses the window; moves it to the top-left corner when part of it is off screen. */
function placeOnScreen(display: string, id: string, screen: { width: number; height: number }): void {
  const r = windowRegion(display, id);
  if (r.x < 0 || r.y < 0 || r.x + r.width > screen.width || r.y + r.height > screen.height) moveWindow(display, id, 0, 0);
  focusWindow(display, id);
}
