import { type Action, describeAction, parseAction } from './actions.ts';
import { AgentError, type Agent, type Decision, type HistoryEntry } from './agent.ts';
import type { Executor, Thumbnail } from './executor.ts';
import { assertInFrame, type Frame } from './frame.ts';
import { allowAll, type Guard } from './guard.ts';
import { identicalScreen, settle, type SettleOptions } from './settle.ts';
import { PolicyRefusalError } from './secrets.ts';
import { describeStep, type Step } from './task.ts';
import type { TraceWriter } from './trace.ts';
import type { Attempt, EndReason, StepRecord, StepTimings, Tokens } from './trace-schema.ts';

export interface LoopOptions {
  executor: Executor;
  agent: Agent;
  trace: TraceWriter;
  goal?: string;
  steps?: Step[];
  maxSteps: number;
  timeoutMs: number;
  /** Bound on one agent.decide call. */
  modelTimeoutMs?: number;
  /** Repair attempts after an invalid or refused candidate, per step. */
  maxRepairs?: number;
  /** The same action on an unchanged screen this many times in a row ends the run as stuck. */
  stuckAfter?: number;
  settle?: SettleOptions;
  guard?: Guard;
  signal?: AbortSignal;
  onEvent?: (event: LoopEvent) => void;
  /** Scripted step to start from (resuming an interrupted run). */
  startAtStep?: number;
  /** Index of the first step record (several loops appending to one trace keep counting). */
  startIndex?: number;
  /** Model tokens (input + output) the run may spend; the run ends with 'token-budget' once spent. */
  maxTokens?: number;
}

export type LoopEvent =
  | { type: 'step'; record: StepRecord; line: string }
  | { type: 'rejected'; index: number; attempt: number; errors: string[] };

export interface LoopResult {
  reason: EndReason;
  detail?: string;
  answer?: string;
  steps: number;
  timings: Omit<StepTimings, 'totalMs'>;
  tokens: Tokens;
  repairs: number;
  parseFailures: number;
  /** Scripted steps fully done. */
  stepsCompleted: number;
  /** Actions the policy refused or stopped. */
  refusals: number;
}

class LoopStop extends Error {
  constructor(
    readonly reason: EndReason,
    detail: string,
  ) {
    super(detail);
  }
}

/** Races a promise against the run's abort signal, its deadline and an optional per-call bound. */
function bounded<T>(p: Promise<T>, signal: AbortSignal, deadline: number, callMs?: number, what = 'the agent'): Promise<T> {
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

function pad(n: number): string {
  return String(n).padStart(3, '0');
}

/** The perception-action loop: capture, decide, validate, guard, perform, settle, record. */
export async function runLoop(o: LoopOptions): Promise<LoopResult> {
  const started = Date.now();
  const deadline = started + o.timeoutMs;
  const signal = o.signal ?? new AbortController().signal;
  const guard = o.guard ?? allowAll;
  const maxRepairs = o.maxRepairs ?? 2;
  const stuckAfter = o.stuckAfter ?? 3;
  const steps = o.steps;
  const history: HistoryEntry[] = [];
  const totals = { captureMs: 0, modelMs: 0, actMs: 0, settleMs: 0 };
  const tokens: Tokens = { input: 0, output: 0 };
  let repairs = 0;
  let parseFailures = 0;
  let refusals = 0;
  let stepCursor = o.startAtStep ?? 0;
  const firstIndex = o.startIndex ?? 0;
  let index = firstIndex;
  let lastSignature = '';
  let stuckCount = 0;
  let answer: string | undefined;

  const end = (reason: EndReason, detail?: string): LoopResult => ({
    reason,
    detail,
    answer,
    steps: index - firstIndex,
    timings: totals,
    tokens,
    repairs,
    parseFailures,
    stepsCompleted: stepCursor,
    refusals,
  });
  const spent = () => tokens.input + tokens.output;
  const overBudget = () => o.maxTokens !== undefined && spent() >= o.maxTokens;
  const tokenStop = () => new LoopStop('token-budget', `model-token budget of ${o.maxTokens} used up (${spent()} tokens)`);

  let captureStart = performance.now();
  let frame: Frame;
  let screen: Thumbnail | undefined;
  try {
    frame = await bounded(o.executor.capture(), signal, deadline, undefined, 'the first capture');
  } catch (e) {
    if (e instanceof LoopStop) return end(e.reason, e.message);
    return end('error', `capture failed: ${(e as Error).message.split('\n')[0]}`);
  }
  let captureMs = performance.now() - captureStart;

  while (true) {
    if (signal.aborted) return end('aborted', 'run aborted');
    if (Date.now() >= deadline) return end('timeout', `time budget of ${o.timeoutMs} ms ran out`);
    if (steps && stepCursor >= steps.length) return end('steps-completed');
    if (index - firstIndex >= o.maxSteps) return end('max-steps', `step budget of ${o.maxSteps} used up`);
    if (overBudget()) return end('token-budget', tokenStop().message);

    const step = steps?.[stepCursor];
    const instruction = step ? describeStep(step) : o.goal;
    const stepStarted = performance.now();
    const frameFile = o.trace.saveFrame(`step-${pad(index)}`, frame);
    // A frame that cannot be written means the trace can no longer keep up: stop before acting unrecorded.
    if (frameFile.startsWith('(not written')) return end('disk-full', `could not write the frame of step ${index + 1} ${frameFile.slice(1, -1)}`);
    const attempts: Attempt[] = [];
    let decision: Decision | undefined;
    let valid: Action[] | undefined;
    let feedback: string | undefined;
    let modelMs = 0;
    let sentRef: StepRecord['frame']['sent'];
    let fatal: LoopStop | undefined;

    for (let attempt = 0; attempt <= maxRepairs && !valid; attempt++) {
      if (attempt > 0 && overBudget()) {
        fatal = tokenStop();
        break;
      }
      if (attempt > 0) repairs++;
      const t0 = performance.now();
      try {
        decision = await bounded(
          o.agent.decide({ goal: o.goal, step, stepIndex: step ? stepCursor : undefined, stepCount: steps?.length, frame, history, feedback, executor: o.executor, signal }),
          signal,
          deadline,
          o.modelTimeoutMs,
        );
      } catch (e) {
        const ms = performance.now() - t0;
        modelMs += ms;
        if (e instanceof LoopStop) {
          fatal = e;
          break;
        }
        const msg = (e as Error).message.split('\n')[0];
        attempts.push({ candidates: [], errors: [msg], rejectedBy: 'model', modelMs: ms });
        if (!(e instanceof AgentError && e.retryable)) {
          fatal = new LoopStop('error', msg);
          break;
        }
        feedback = undefined;
        continue;
      }
      const ms = performance.now() - t0;
      modelMs += ms;
      if (decision.usage) {
        tokens.input += decision.usage.inputTokens;
        tokens.output += decision.usage.outputTokens;
      }
      if (decision.sentImage && !sentRef) {
        sentRef = { file: o.trace.saveFrame(`step-${pad(index)}.sent`, decision.sentImage), width: decision.sentImage.width, height: decision.sentImage.height };
      }
      const errors: string[] = [];
      let rejectedBy: Attempt['rejectedBy'];
      const parsed: Action[] = [];
      const parseError = decision.notes?.parseError;
      if (typeof parseError === 'string') {
        errors.push(parseError);
        rejectedBy = 'schema';
        parseFailures++;
      } else if (decision.actions.length === 0 && !step) {
        errors.push('no action given; answer with one action');
        rejectedBy = 'schema';
      }
      for (const candidate of errors.length ? [] : decision.actions) {
        try {
          const action = parseAction(candidate);
          assertInFrame(frame, action);
          const verdict = await guard.check(action, { executor: o.executor, frame });
          if (!verdict.ok) {
            refusals++;
            errors.push(`refused: ${verdict.reason}`);
            rejectedBy = 'guard';
            break;
          }
          parsed.push(action);
        } catch (e) {
          errors.push((e as Error).message);
          rejectedBy = (e as Error).name === 'OutOfFrameError' ? 'frame' : 'schema';
          if (rejectedBy === 'schema') parseFailures++;
          break;
        }
      }
      attempts.push({
        raw: decision.raw,
        reasoning: decision.reasoning,
        candidates: decision.actions,
        errors,
        rejectedBy,
        modelMs: ms,
        firstTokenMs: decision.timings?.firstTokenMs,
        notes: decision.notes,
      });
      if (errors.length === 0) valid = parsed;
      else {
        feedback = errors.join('\n');
        o.onEvent?.({ type: 'rejected', index, attempt, errors });
      }
    }

    const actStart = performance.now();
    let outcome: StepRecord['outcome'] = 'done';
    let error: string | undefined;
    let navigated = false;
    let stop: LoopStop | undefined = fatal;
    if (!valid && !stop) {
      const last = attempts[attempts.length - 1];
      outcome = last?.rejectedBy === 'guard' ? 'refused' : last?.rejectedBy === 'model' ? 'error' : 'invalid';
      error = last?.errors.join('; ');
      stop = new LoopStop(outcome === 'error' ? 'error' : outcome === 'refused' ? 'refused' : 'invalid-output', `no valid action after ${attempts.length} attempt(s): ${error}`);
    }
    if (fatal) {
      outcome = 'error';
      error = fatal.message;
    }
    const performed: Action[] = [];
    for (const action of valid ?? []) {
      if (action.action === 'finish') {
        outcome = 'finish';
        answer = action.answer;
        performed.push(action);
        stop = new LoopStop('finished', action.answer ?? 'agent finished');
        break;
      }
      if (action.action === 'fail') {
        outcome = 'fail';
        performed.push(action);
        stop = new LoopStop('agent-failed', action.reason);
        break;
      }
      try {
        const r = await bounded(o.executor.perform(action, frame), signal, deadline, undefined, 'the executor');
        navigated ||= !!r.navigated;
        performed.push(action);
      } catch (e) {
        if (e instanceof LoopStop) {
          stop = e;
          break;
        }
        if (e instanceof PolicyRefusalError) {
          // Refused at the last moment by the executor (a secret for a focused frame of another origin): fed back, not fatal.
          refusals++;
          outcome = 'refused';
          error = `refused: ${e.message}`;
          break;
        }
        outcome = 'error';
        error = `${describeAction(action)} failed: ${(e as Error).message.split('\n')[0]}`;
        break;
      }
    }
    const actMs = performance.now() - actStart;

    let settleInfo: StepRecord['settle'];
    let settleMs = 0;
    const acted = performed.length > 0;
    if (acted && !stop) {
      const s0 = performance.now();
      try {
        const s = await bounded(
          settle(o.executor, { ...o.settle, navigated, timeoutMs: Math.min(o.settle?.timeoutMs ?? 3000, Math.max(0, deadline - Date.now())) }),
          signal,
          deadline,
          undefined,
          'the screen to settle',
        );
        settleInfo = { stable: s.stable, thumbnails: s.thumbnails, ms: s.ms };
        const signature = JSON.stringify(performed);
        const unchanged = screen !== undefined && s.last !== undefined && identicalScreen(screen, s.last);
        // Waiting on an unchanged screen is what a wait is for: its bound is the time budget, not stuck detection.
        const waiting = performed.every((a) => a.action === 'wait');
        stuckCount = unchanged && !waiting && signature === lastSignature ? stuckCount + 1 : 0;
        lastSignature = signature;
        screen = s.last;
      } catch (e) {
        stop = e instanceof LoopStop ? e : new LoopStop('error', `settle failed: ${(e as Error).message}`);
      }
      settleMs = performance.now() - s0;
    }
    // Read after settling: a navigation the browser blocked is reported once its request arrived.
    const blocked = guard.drainEvents?.() ?? [];
    refusals += blocked.length;

    const stepDone = valid !== undefined && outcome === 'done' && decision?.stepComplete !== false;
    const record: StepRecord = {
      type: 'step',
      index,
      stepIndex: step ? stepCursor : undefined,
      instruction,
      frame: { file: frameFile, width: frame.width, height: frame.height, scale: frame.scale, origin: frame.origin, sent: sentRef },
      attempts,
      actions: performed,
      outcome,
      error,
      settle: settleInfo,
      ...(blocked.length ? { blocked } : {}),
      ...(step ? { stepCompleted: stepDone } : {}),
      timings: { captureMs, modelMs, actMs, settleMs, totalMs: performance.now() - stepStarted + captureMs },
      tokens: {
        input: decision?.usage?.inputTokens ?? 0,
        output: decision?.usage?.outputTokens ?? 0,
      },
    };
    try {
      o.trace.step(record);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return end(code === 'ENOSPC' || code === 'EDQUOT' ? 'disk-full' : 'error', `could not append step ${index + 1} to the trace: ${(e as Error).message.split('\n')[0]}`);
    }
    totals.captureMs += captureMs;
    totals.modelMs += modelMs;
    totals.actMs += actMs;
    totals.settleMs += settleMs;
    const told = [error ? `${outcome}: ${error}` : outcome, ...blocked].join('; ');
    history.push({ index, instruction, step, actions: performed, outcome: told, frame });
    const what = performed.length ? performed.map(describeAction).join(', ') : valid?.length ? describeAction(valid[0]) : outcome === 'done' ? `${instruction ?? 'step'}: ok` : outcome;
    o.onEvent?.({
      type: 'step',
      record,
      line: `step ${index + 1}${step ? ` [${stepCursor + 1}/${steps!.length}]` : ''}  ${what}${error ? `  ! ${error}` : ''}${blocked.map((b) => `  ! ${b}`).join('')}  (capture ${captureMs.toFixed(0)} ms, model ${modelMs.toFixed(0)} ms, act ${actMs.toFixed(0)} ms, settle ${settleMs.toFixed(0)} ms)`,
    });
    index++;
    if (stepDone && steps) stepCursor++;
    if (stop) return end(stop.reason, stop.message);
    if (outcome === 'error') return end('error', error);
    if (stuckCount >= stuckAfter - 1 && stuckAfter > 0 && acted) {
      return end('stuck', `the same action (${what}) left the screen unchanged ${stuckCount + 1} times`);
    }

    captureStart = performance.now();
    try {
      frame = await bounded(o.executor.capture(), signal, deadline, undefined, 'a capture');
    } catch (e) {
      if (e instanceof LoopStop) return end(e.reason, e.message);
      return end('error', `capture failed: ${(e as Error).message.split('\n')[0]}`);
    }
    captureMs = performance.now() - captureStart;
  }
}
