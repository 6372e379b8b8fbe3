import { type Action, parseAction } from '../actions.ts';
import { AgentError, type Agent, type Decision, type DecideInput } from '../agent.ts';
import type { ChatImage } from '../model-client.ts';
import { assertInFrame } from '../frame.ts';
import type { Guard } from '../guard.ts';
import type { EndReason, Attempt, Tokens } from '../trace-schema.ts';

/** Ends the loop with a reason (abort, time budget, token budget...). */
export class LoopStop extends Error {
  constructor(
    readonly reason: EndReason,
    detail: string,
  ) {
    super(detail);
  }
}

/** Races a promise against an abort signal, the run's deadline and an optional per-call bound. */
export function bounded<T>(p: Promise<T>, signal: AbortSignal, deadline: number, callMs?: number, what = 'the agent'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const left = deadline - Date.now();
    const limit = callMs !== undefined ? Math.min(callMs, left) : left;
    const byCall = callMs !== undefined && callMs <= left;
    const timer = setTimeout(
      () =>
        reject(
          byCall
            ? new AgentError(`${what} did not answer within ${callMs} ms`, true)
            : new LoopStop('timeout', `time budget of the run ran out while waiting for ${what}`),
        ),
      Math.max(0, limit),
    );
    const onAbort = () => reject(new LoopStop('aborted', 'run aborted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

export interface DecideRoundOptions {
  agent: Agent;
  guard: Guard;
  /** What the agent is asked, less the feedback and signal this round adds. */
  input: Omit<DecideInput, 'feedback' | 'signal'>;
  signal: AbortSignal;
  deadline: number;
  modelTimeoutMs?: number;
  maxRepairs: number;
  /** True when the run's token budget is spent, counting `extra` tokens not yet added to the run. */
  overBudget: (extra: number) => boolean;
  tokenStop: () => LoopStop;
}

/**
 * One step's decision: ask, validate every candidate (schema, frame bounds, guard), and feed the
 * errors back for a bounded number of repairs. Nothing outside is touched, so a round made on a
 * screen that turned out to be still changing can be dropped whole.
 */
export interface DecideRound {
  decision?: Decision;
  /** The validated actions, when an attempt passed. */
  valid?: Action[];
  attempts: Attempt[];
  modelMs: number;
  /** The first image a model was sent, when it differs from the frame. */
  sentImage?: ChatImage;
  /** Why the run must end (abort, time or token budget, an agent error that is not retryable). */
  fatal?: LoopStop;
  repairs: number;
  parseFailures: number;
  refusals: number;
  tokens: Tokens;
  /** Rejected candidates, in order, for the loop's events. */
  rejected: Array<{ attempt: number; errors: string[] }>;
}

export async function decideRound(o: DecideRoundOptions): Promise<DecideRound> {
  const r: DecideRound = { attempts: [], modelMs: 0, repairs: 0, parseFailures: 0, refusals: 0, tokens: { input: 0, output: 0 }, rejected: [] };
  const { frame } = o.input;
  let feedback: string | undefined;
  for (let attempt = 0; attempt <= o.maxRepairs && !r.valid; attempt++) {
    if (attempt > 0 && o.overBudget(r.tokens.input + r.tokens.output)) {
      r.fatal = o.tokenStop();
      break;
    }
    if (attempt > 0) r.repairs++;
    const t0 = performance.now();
    let decision: Decision;
    try {
      decision = await bounded(o.agent.decide({ ...o.input, feedback, signal: o.signal }), o.signal, o.deadline, o.modelTimeoutMs);
    } catch (e) {
      const ms = performance.now() - t0;
      r.modelMs += ms;
      if (e instanceof LoopStop) {
        r.fatal = e;
        break;
      }
      const msg = (e as Error).message.split('\n')[0];
      r.attempts.push({ candidates: [], errors: [msg], rejectedBy: 'model', modelMs: ms });
      if (!(e instanceof AgentError && e.retryable)) {
        r.fatal = new LoopStop('error', msg);
        break;
      }
      feedback = undefined;
      continue;
    }
    r.decision = decision;
    const ms = performance.now() - t0;
    r.modelMs += ms;
    if (decision.usage) {
      r.tokens.input += decision.usage.inputTokens;
      r.tokens.output += decision.usage.outputTokens;
    }
    r.sentImage ??= decision.sentImage;
    const errors: string[] = [];
    let rejectedBy: Attempt['rejectedBy'];
    const parsed: Action[] = [];
    const parseError = decision.notes?.parseError;
    if (typeof parseError === 'string') {
      errors.push(parseError);
      rejectedBy = 'schema';
      r.parseFailures++;
    } else if (decision.actions.length === 0 && !o.input.step) {
      errors.push('no action given; answer with one action');
      rejectedBy = 'schema';
    }
    for (const candidate of errors.length ? [] : decision.actions) {
      try {
        const action = parseAction(candidate);
        assertInFrame(frame, action);
        const verdict = await o.guard.check(action, { executor: o.input.executor!, frame });
        if (!verdict.ok) {
          r.refusals++;
          errors.push(`refused: ${verdict.reason}`);
          rejectedBy = 'guard';
          break;
        }
        parsed.push(action);
      } catch (e) {
        errors.push((e as Error).message);
        rejectedBy = (e as Error).name === 'OutOfFrameError' ? 'frame' : 'schema';
        if (rejectedBy === 'schema') r.parseFailures++;
        break;
      }
    }
    r.attempts.push({
      raw: decision.raw,
      reasoning: decision.reasoning,
      candidates: decision.actions,
      errors,
      rejectedBy,
      modelMs: ms,
      firstTokenMs: decision.timings?.firstTokenMs,
      notes: decision.notes,
    });
    if (errors.length === 0) r.valid = parsed;
    else {
      feedback = errors.join('\n');
      r.rejected.push({ attempt, errors });
    }
  }
  return r;
}
