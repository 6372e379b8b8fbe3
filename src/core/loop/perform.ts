import { type Action, describeAction } from '../actions.ts';
import type { Executor } from '../executor.ts';
import type { Frame } from '../frame.ts';
import { PolicyRefusalError } from '../secrets.ts';
import type { StepRecord } from '../trace-schema.ts';
import { bounded, LoopStop } from './bounded.ts';
import type { DecideRound } from './decide-round.ts';

/** How a step went: its recorded outcome, and whether the run ends with it. */
export interface StepOutcome {
  outcome: StepRecord['outcome'];
  error?: string;
  stop?: LoopStop;
  /** The actions done, in order (finish and fail included). */
  performed: Action[];
  /** An action started a navigation: the page's load is waited for when settling. */
  navigated: boolean;
  /** Actions the executor refused at the last moment (a secret for a frame of another origin). */
  refusals: number;
  /** The agent's answer, when it finished with one. */
  answer?: string;
}

/** The outcome of a round before anything is performed: its fatal stop, or why no candidate was valid. */
export function roundOutcome(round: DecideRound): StepOutcome {
  const o: StepOutcome = { outcome: 'done', stop: round.fatal, performed: [], navigated: false, refusals: 0 };
  if (!round.valid && !o.stop) {
    const last = round.attempts[round.attempts.length - 1];
    o.outcome = last?.rejectedBy === 'guard' ? 'refused' : last?.rejectedBy === 'model' ? 'error' : 'invalid';
    o.error = last?.errors.join('; ');
    const reason = o.outcome === 'error' ? 'error' : o.outcome === 'refused' ? 'refused' : 'invalid-output';
    o.stop = new LoopStop(reason, `no valid action after ${round.attempts.length} attempt(s): ${o.error}`);
  }
  if (round.fatal) {
    o.outcome = 'error';
    o.error = round.fatal.message;
  }
  return o;
}

/**
 * Performs validated actions in order on `frame`'s screen. `finish` and `fail` end the run; an
 * action that fails or is refused stops the step there (a refusal is fed back, not fatal).
 */
export async function performActions(executor: Executor, actions: Action[], frame: Frame, into: StepOutcome, bounds: { signal: AbortSignal; deadline: number }): Promise<StepOutcome> {
  for (const action of actions) {
    if (action.action === 'finish') {
      into.outcome = 'finish';
      into.answer = action.answer;
      into.performed.push(action);
      into.stop = new LoopStop('finished', action.answer ?? 'agent finished');
      break;
    }
    if (action.action === 'fail') {
      into.outcome = 'fail';
      into.performed.push(action);
      into.stop = new LoopStop('agent-failed', action.reason);
      break;
    }
    try {
      const r = await bounded(executor.perform(action, frame), bounds.signal, bounds.deadline, undefined, 'the executor');
      into.navigated ||= !!r.navigated;
      into.performed.push(action);
    } catch (e) {
      if (e instanceof LoopStop) {
        into.stop = e;
        break;
      }
      if (e instanceof PolicyRefusalError) {
        into.refusals++;
        into.outcome = 'refused';
        into.error = `refused: ${e.message}`;
        break;
      }
      into.outcome = 'error';
      into.error = `${describeAction(action)} failed: ${(e as Error).message.split('\n')[0]}`;
      break;
    }
  }
  return into;
}
