import type { Frame } from '../frame.ts';
import type { FrameCheck } from '../settle.ts';
import type { StepRecord } from '../trace-schema.ts';
import { bounded, LoopStop } from './bounded.ts';
import type { DecideRound } from './decide-round.ts';

export interface CheckedDecideOptions {
  /** The overlapped check of `frame` (a later capture compared with it), when one is running. */
  check: Promise<FrameCheck> | undefined;
  frame: Frame;
  decide: (on: Frame, signal: AbortSignal) => Promise<DecideRound>;
  signal: AbortSignal;
  deadline: number;
  /** performance.now() when the step began. */
  stepStarted: number;
  /** A newer capture replaces the step's frame (the screen had moved). */
  onNewFrame: (frame: Frame) => void;
  /** A dropped decision's round, once it resolves: its tokens were spent all the same. */
  onDropped: (round: DecideRound) => void;
  /** Judges the previous step for stuck on the settled frame; true ends the run. */
  judgeStuck?: (settled: Frame) => Promise<boolean>;
}

export type CheckedDecision =
  | {
      kind: 'decided';
      round: DecideRound;
      /** The frame decided on: the step's frame, or the newest capture when the screen moved. */
      frame: Frame;
      frameCheck?: StepRecord['frameCheck'];
      /** Time the check added to the step: re-captures, dropped decisions, waiting past the decision. */
      checkMs: number;
    }
  | { kind: 'stopped'; stop: LoopStop }
  | { kind: 'stuck' };

interface Deciding {
  deciding: Promise<DecideRound>;
  dropper: AbortController;
  started: number;
  decidedAt?: number;
}

/**
 * Decides on a frame whose stillness is being checked at the same time. While the check runs the
 * agent already decides; if the screen turns out to have moved, that decision is dropped and the
 * agent decides again on the newer capture, whose own check is already under way. Past the settle
 * deadline the newest frame is decided on unchecked. Without a check this is one plain decision.
 */
export async function decideOnCheckedFrame(o: CheckedDecideOptions): Promise<CheckedDecision> {
  let frame = o.frame;
  if (!o.check) return { kind: 'decided', round: await o.decide(frame, o.signal), frame, checkMs: 0 };
  let check: Promise<FrameCheck> | undefined = o.check;
  let captures = 0;
  let dropped = 0;
  let outcome: FrameCheck | undefined;
  let kept: Deciding | undefined;
  while (check) {
    const started = performance.now();
    const dropper = new AbortController();
    const current: Deciding = { deciding: o.decide(frame, AbortSignal.any([o.signal, dropper.signal])), dropper, started };
    void current.deciding.then(() => (current.decidedAt = performance.now()), () => {});
    try {
      outcome = await bounded(check, o.signal, o.deadline, undefined, 'the screen to settle');
    } catch (e) {
      if (e instanceof LoopStop) return { kind: 'stopped', stop: e };
      // A failed check capture leaves the frame unconfirmed; the decision on it stands.
      outcome = undefined;
    }
    check = undefined;
    captures += outcome?.captures ?? 0;
    if (outcome?.stable !== false) {
      kept = current;
      break;
    }
    // The screen moved after the frame was taken: drop the decision made on it.
    dropper.abort();
    void current.deciding.then(o.onDropped, () => {});
    dropped++;
    frame = outcome.frame;
    o.onNewFrame(frame);
    // Past the settle timeout there is no next check: the newest frame is decided on unchecked.
    check = outcome.next;
  }
  const checkedAt = performance.now();
  const frameCheck = { stable: outcome?.stable === true, captures, dropped, ms: checkedAt - o.stepStarted };
  if (o.judgeStuck && (await o.judgeStuck(frame))) {
    kept?.dropper.abort();
    return { kind: 'stuck' };
  }
  if (kept) {
    const round = await kept.deciding;
    return { kind: 'decided', round, frame, frameCheck, checkMs: kept.started - o.stepStarted + Math.max(0, checkedAt - (kept.decidedAt ?? checkedAt)) };
  }
  const checkMs = performance.now() - o.stepStarted;
  return { kind: 'decided', round: await o.decide(frame, o.signal), frame, frameCheck, checkMs };
}
