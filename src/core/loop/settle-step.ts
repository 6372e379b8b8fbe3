import type { Executor } from '../executor.ts';
import type { Frame } from '../frame.ts';
import { checkFrame, settle, type FrameCheck, type SettleOptions, type SettleResult } from '../settle.ts';
import type { StepRecord } from '../trace-schema.ts';
import { bounded, LoopStop } from './bounded.ts';

export interface SettleContext {
  executor: Executor;
  settle?: SettleOptions;
  signal: AbortSignal;
  /** The run's deadline (Date.now() time). */
  deadline: number;
}

export interface AfterActions {
  /** What the settle wait recorded (not overlapped: the wait ran here). */
  record?: StepRecord['settle'];
  /** The completed settle wait, whose last thumbnail is the settled screen. */
  settled?: SettleResult;
  ms: number;
  stop?: LoopStop;
}

/**
 * Waits for the screen after a step's actions. Overlapped, only a navigation is waited for here
 * (the screen is checked while the next decision is made); otherwise until the screen is still.
 * `until` is the settle deadline (performance.now() time).
 */
export async function settleAfterActions(c: SettleContext, o: { overlap: boolean; navigated: boolean; until: number }): Promise<AfterActions> {
  const s0 = performance.now();
  const out: AfterActions = { ms: 0 };
  try {
    if (o.overlap) {
      if (o.navigated && c.executor.waitForIdle) {
        await bounded(c.executor.waitForIdle(Math.max(0, o.until - performance.now())), c.signal, c.deadline, undefined, 'the page to load');
      }
    } else {
      const s = await bounded(
        settle(c.executor, { ...c.settle, navigated: o.navigated, timeoutMs: Math.max(0, o.until - performance.now()) }),
        c.signal,
        c.deadline,
        undefined,
        'the screen to settle',
      );
      out.record = { stable: s.stable, thumbnails: s.thumbnails, ms: s.ms };
      out.settled = s;
    }
  } catch (e) {
    out.stop = e instanceof LoopStop ? e : new LoopStop('error', `settle failed: ${(e as Error).message}`);
  }
  out.ms = performance.now() - s0;
  return out;
}

/**
 * Lets an overlapped check finish before the loop returns, so callers find a settled screen.
 * One still pair can be two captures of a page too busy to paint (both show the frame it last
 * drew): where the run ends and callers read the final state, a second pair confirms. Returns
 * the time it took.
 */
export async function settleBeforeReturn(c: SettleContext, check: Promise<FrameCheck> | undefined, frame: Frame, settleTimeoutMs: number): Promise<number> {
  const t0 = performance.now();
  const until = t0 + Math.min(settleTimeoutMs, Math.max(0, c.deadline - Date.now()));
  let last = frame;
  let still = 0;
  while (check) {
    const r = await bounded(check, c.signal, c.deadline, undefined, 'the screen to settle').catch(() => undefined);
    if (!r) break;
    if (!r.stable) {
      still = 0;
      last = r.frame;
      check = r.next;
      continue;
    }
    if (++still >= 2 || performance.now() >= until) break;
    check = checkFrame(c.executor, last, { deadline: until, threshold: c.settle?.threshold, signal: c.signal });
  }
  return performance.now() - t0;
}
