import sharp from 'sharp';
import { changedFraction, meanAbsDiff } from '../../kernels/frame-diff.ts';
import type { Executor, Thumbnail } from './executor.ts';
import type { Frame } from './frame.ts';

export interface SettleOptions {
  /** Upper bound on the whole wait. */
  timeoutMs?: number;
  /** True when the action navigated: wait for the load state first. */
  navigated?: boolean;
  /** Mean absolute difference (0..255) under which two thumbnails count as the same screen. */
  threshold?: number;
  /** How many consecutive unchanged comparisons make the screen stable. */
  stableCount?: number;
  /** A thumbnail this refuses does not count towards stability (a window not yet painted). */
  ready?: (thumbnail: Thumbnail) => boolean;
  /**
   * Check that the screen settled while the agent decides, instead of before: the frame is
   * captured right after the action, and a second capture compared with it runs alongside the
   * model call. A decision made on a screen that was still changing is dropped and asked again.
   * Only for agents whose decisions can be dropped (`Agent.stateless`); on by default for them.
   */
  overlap?: boolean;
}

export interface SettleResult {
  stable: boolean;
  thumbnails: number;
  ms: number;
  /** The last thumbnail seen: the settled screen, for stuck detection. */
  last?: Thumbnail;
}

export function sameScreen(a: Thumbnail, b: Thumbnail, threshold = 0.6): boolean {
  if (a.width !== b.width || a.height !== b.height) return false;
  // Identical screens give byte-identical thumbnails, so any visible change counts: a dialog
  // changes few pixels a lot, a slow fade changes many pixels a little (a few levels per sample).
  return meanAbsDiff(a.data, b.data) < threshold && changedFraction(a.data, b.data, 2) < 0.002;
}

/** Strict comparison for stuck detection: not one pixel visibly changed (a blinking caret defeats it, which errs safe). */
export function identicalScreen(a: Thumbnail, b: Thumbnail): boolean {
  return a.width === b.width && a.height === b.height && changedFraction(a.data, b.data, 24) === 0 && meanAbsDiff(a.data, b.data) < 0.25;
}

/**
 * Waits until the screen stops changing: consecutive thumbnails compared by a kernel,
 * no fixed sleeps; bounded by timeoutMs (the result then says it never became stable).
 */
export async function settle(executor: Executor, options: SettleOptions = {}): Promise<SettleResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 3000;
  const deadline = started + timeoutMs;
  if (options.navigated && executor.waitForIdle) {
    await executor.waitForIdle(Math.max(0, deadline - performance.now()));
  }
  const need = options.stableCount ?? 1;
  let prev = await executor.thumbnail();
  let count = 1;
  let same = 0;
  while (performance.now() < deadline) {
    const next = await executor.thumbnail();
    count++;
    if (sameScreen(prev, next, options.threshold) && (options.ready?.(next) ?? true)) {
      if (++same >= need) return { stable: true, thumbnails: count, ms: performance.now() - started, last: next };
    } else {
      same = 0;
    }
    prev = next;
  }
  return { stable: false, thumbnails: count, ms: performance.now() - started, last: prev };
}

/** Longest side of the thumbnails compared by the settle checks. */
const FRAME_THUMBNAIL_SIDE = 256;
const frameThumbnails = new WeakMap<Frame, Promise<Thumbnail>>();

/** A frame's own RGB thumbnail (decoded once per frame; JPEG decodes shrink on load). */
export function frameThumbnail(frame: Frame): Promise<Thumbnail> {
  let p = frameThumbnails.get(frame);
  if (!p) {
    p = sharp(frame.image)
      .resize({ width: FRAME_THUMBNAIL_SIDE, height: FRAME_THUMBNAIL_SIDE, fit: 'inside' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
      .then(({ data, info }) => ({ data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height }));
    frameThumbnails.set(frame, p);
  }
  return p;
}

/** Two captures of the same screen: byte-identical images (the usual case), or thumbnails within the settle threshold. */
export async function sameFrame(a: Frame, b: Frame, threshold?: number): Promise<boolean> {
  if (a.width !== b.width || a.height !== b.height) return false;
  if (a.image.equals(b.image)) return true;
  return sameScreen(await frameThumbnail(a), await frameThumbnail(b), threshold);
}

/** The outcome of comparing a frame with a later capture. */
export type FrameCheck =
  | { stable: true; captures: number }
  /** The screen moved: `frame` is the newer capture, `next` already compares it with a later one (absent past the deadline). */
  | { stable: false; captures: number; frame: Frame; next?: Promise<FrameCheck> };

/**
 * Captures the screen again and compares it with `frame`. When they differ, the comparison of
 * the newer capture with the one after it starts at once, so a decision on the newer frame and
 * its check run side by side too. Stops checking at `deadline` (performance.now() time).
 */
export function checkFrame(executor: Executor, frame: Frame, o: { deadline: number; threshold?: number; signal?: AbortSignal }): Promise<FrameCheck> {
  return (async (): Promise<FrameCheck> => {
    if (o.signal?.aborted) return { stable: true, captures: 0 };
    await executor.nextFrame?.();
    const again = await executor.capture();
    if (await sameFrame(frame, again, o.threshold)) return { stable: true, captures: 1 };
    const next = performance.now() < o.deadline ? checkFrame(executor, again, o) : undefined;
    // An unconsumed rejection (the run ended meanwhile) must not crash the process.
    next?.catch(() => {});
    return { stable: false, captures: 1, frame: again, next };
  })();
}
