import { type Action, parseAction } from '../actions.ts';
import { AgentError, type Agent, type Decision, type DecideInput } from '../agent.ts';
import type { ChatImage } from '../model-client.ts';
import { assertInFrame, type Frame } from '../frame.ts';
import type { Executor } from '../executor.ts';
import type { Guard } from '../guard.ts';
import type { Attempt, Tokens } from '../trace-schema.ts';
import { bounded, LoopStop } from './bounded.ts';

export interface DecideRoundOptions {
  agent: Agent;
  /** The executor the guard checks actions against (the agent sees only input.executor's read-only view). */
  executor: Executor;
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

/** The most characters of a reply's raw text, and of its reasoning, that a step record keeps. */
export const MAX_STORED_REPLY_CHARS = 64 * 1024;

/**
 * A reply as the trace keeps it: a runaway one (20 MB of thinking) is cut in the middle with a
 * marker saying how much was left out. The parser has already seen all of it.
 */
export function capForTrace(text: string | undefined, max = MAX_STORED_REPLY_CHARS): string | undefined {
  if (text === undefined || text.length <= max) return text;
  const head = Math.floor(max / 4);
  return `${text.slice(0, head)}\n…[${text.length - max} of ${text.length} characters not stored]…\n${text.slice(text.length - (max - head))}`;
}

/** What validating one decision found. */
interface Validation {
  parsed: Action[];
  errors: string[];
  rejectedBy?: Attempt['rejectedBy'];
  parseFailures: number;
  refusals: number;
}

export async function decideRound(o: DecideRoundOptions): Promise<DecideRound> {
  const r: DecideRound = { attempts: [], modelMs: 0, repairs: 0, parseFailures: 0, refusals: 0, tokens: { input: 0, output: 0 }, rejected: [] };
  let feedback: string | undefined;
  for (let attempt = 0; attempt <= o.maxRepairs && !r.valid; attempt++) {
    if (attempt > 0 && o.overBudget(r.tokens.input + r.tokens.output)) {
      r.fatal = o.tokenStop();
      break;
    }
    if (attempt > 0) r.repairs++;
    const asked = await ask(o, feedback, r);
    if (asked === 'stop') break;
    if (asked === 'retry') {
      feedback = undefined;
      continue;
    }
    const { decision, ms } = asked;
    const v = await validate(decision, o);
    r.parseFailures += v.parseFailures;
    r.refusals += v.refusals;
    r.attempts.push({
      raw: capForTrace(decision.raw),
      reasoning: capForTrace(decision.reasoning),
      ...(decision.toolCalls ? { toolCalls: decision.toolCalls.map((c) => ({ ...c, arguments: capForTrace(c.arguments)! })) } : {}),
      candidates: decision.actions,
      errors: v.errors,
      rejectedBy: v.rejectedBy,
      modelMs: ms,
      firstTokenMs: decision.timings?.firstTokenMs,
      notes: decision.parseError ? { ...decision.notes, parseError: decision.parseError } : decision.notes,
    });
    if (v.errors.length === 0) r.valid = v.parsed;
    else {
      feedback = v.errors.join('\n');
      r.rejected.push({ attempt, errors: v.errors });
    }
  }
  return r;
}

/**
 * Asks the agent once. A decision is returned with the time it took; an agent error is recorded
 * as a rejected attempt ('retry' when a retry may help, 'stop' with r.fatal set when not).
 */
async function ask(o: DecideRoundOptions, feedback: string | undefined, r: DecideRound): Promise<{ decision: Decision; ms: number } | 'retry' | 'stop'> {
  const t0 = performance.now();
  // The call's own signal: aborted when the run stops, the round is dropped, or the call runs past its bounds.
  const call = new AbortController();
  const signal = AbortSignal.any([o.signal, call.signal]);
  let decision: Decision;
  try {
    decision = await bounded(o.agent.decide({ ...o.input, feedback, signal }), o.signal, o.deadline, o.modelTimeoutMs, 'the agent', () => call.abort());
  } catch (e) {
    const ms = performance.now() - t0;
    r.modelMs += ms;
    if (e instanceof LoopStop) {
      // The run ended while the agent was deciding: its call (an HTTP request) was aborted, not left running.
      r.attempts.push({ candidates: [], errors: [`${e.message}; the call was aborted`], rejectedBy: 'model', modelMs: ms });
      r.fatal = e;
      return 'stop';
    }
    const msg = (e as Error).message.split('\n')[0];
    const details = e instanceof AgentError ? e.details : {};
    r.attempts.push({ candidates: [], errors: [msg], rejectedBy: 'model', modelMs: ms, ...(details.notes ? { notes: details.notes } : {}) });
    if (!(e instanceof AgentError && e.retryable)) {
      r.fatal = new LoopStop('error', msg, details.unreachable);
      return 'stop';
    }
    return 'retry';
  }
  r.decision = decision;
  const ms = performance.now() - t0;
  r.modelMs += ms;
  if (decision.usage) {
    r.tokens.input += decision.usage.inputTokens;
    r.tokens.output += decision.usage.outputTokens;
  }
  r.sentImage ??= decision.sentImage;
  return { decision, ms };
}

/** Checks a decision's candidates in order (schema, frame bounds, guard); the first error rejects the decision. */
async function validate(decision: Decision, o: DecideRoundOptions): Promise<Validation> {
  const v: Validation = { parsed: [], errors: [], parseFailures: 0, refusals: 0 };
  const frame: Frame = o.input.frame;
  if (decision.parseError && decision.actions.length === 0) {
    v.errors.push(decision.parseError.message);
    v.rejectedBy = 'schema';
    v.parseFailures++;
    return v;
  }
  if (decision.actions.length === 0 && !o.input.step) {
    v.errors.push('no action given; answer with one action');
    v.rejectedBy = 'schema';
    return v;
  }
  for (const candidate of decision.actions) {
    try {
      const action = parseAction(candidate);
      assertInFrame(frame, action);
      const verdict = await o.guard.check(action, { executor: o.executor, frame });
      if (!verdict.ok) {
        v.refusals++;
        v.errors.push(`refused: ${verdict.reason}`);
        v.rejectedBy = 'guard';
        break;
      }
      v.parsed.push(action);
    } catch (e) {
      v.errors.push((e as Error).message);
      v.rejectedBy = (e as Error).name === 'OutOfFrameError' ? 'frame' : 'schema';
      if (v.rejectedBy === 'schema') v.parseFailures++;
      break;
    }
  }
  return v;
}
