import { changedFraction, meanAbsDiff } from '../kernels/frame-diff.ts';
import type { Executor, Thumbnail } from './executor.ts';

export interface SettleOptions {
  /** Upper bound on the whole wait. */
  timeoutMs?: number;
  /** True when the action navigated: wait for the load state first. */
  navigated?: boolean;
  /** Mean absolute difference (0..255) under which two thumbnails count as the same screen. */
  threshold?: number;
  /** How many consecutive unchanged comparisons make the screen stable. */
  stableCount?: number;
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
    if (sameScreen(prev, next, options.threshold)) {
      if (++same >= need) return { stable: true, thumbnails: count, ms: performance.now() - started, last: next };
    } else {
      same = 0;
    }
    prev = next;
  }
  return { stable: false, thumbnails: count, ms: performance.now() - started, last: prev };
}
