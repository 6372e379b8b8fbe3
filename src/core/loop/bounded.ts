import { AgentError } from '../agent.ts';
import type { EndReason } from '../trace-schema.ts';

/** Ends the loop with a reason (abort, time budget, token budget...). */
export class LoopStop extends Error {
  constructor(
    readonly reason: EndReason,
    detail: string,
    /** A component that could not be reached or used (the model server): the run could not really start. */
    readonly unreachable?: 'model',
  ) {
    super(detail);
  }
}

/**
 * Races a promise against an abort signal, the run's deadline and an optional per-call bound.
 * `giveUp` is called when the race is lost, so the work itself stops (an HTTP request is
 * aborted, not left running in the background).
 */
export function bounded<T>(p: Promise<T>, signal: AbortSignal, deadline: number, callMs?: number, what = 'the agent', giveUp?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const left = deadline - Date.now();
    const limit = callMs !== undefined ? Math.min(callMs, left) : left;
    const byCall = callMs !== undefined && callMs <= left;
    const lose = (e: Error) => {
      giveUp?.();
      reject(e);
    };
    const timer = setTimeout(
      () =>
        lose(
          byCall
            ? new AgentError(`${what} did not answer within ${callMs} ms`, true)
            : new LoopStop('timeout', `time budget of the run ran out while waiting for ${what}`),
        ),
      Math.max(0, limit),
    );
    const onAbort = () => lose(new LoopStop('aborted', 'run aborted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
