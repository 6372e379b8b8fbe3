import { type Action, describeAction } from '../actions.ts';
import type { Agent, HistoryEntry } from '../agent.ts';
import type { Executor, Thumbnail } from '../executor.ts';
import type { Frame } from '../frame.ts';
import { allowAll, type Guard } from '../guard.ts';
import { bounded, decideRound, LoopStop, type DecideRound } from './decide-round.ts';
import { checkFrame, frameThumbnail, identicalScreen, settle, type FrameCheck, type SettleOptions } from '../settle.ts';
import { PolicyRefusalError } from '../secrets.ts';
import { describeStep, type Step } from '../task.ts';
import type { TraceWriter } from '../trace.ts';
import type { EndReason, StepRecord, StepTimings, Tokens } from '../trace-schema.ts';

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

  // Overlapped settling: the frame is captured right after an action and checked by a later
  // capture while the agent decides; only agents whose decisions can be dropped allow it.
  const overlap = (o.settle?.overlap ?? true) && o.agent.stateless === true;
  const settleTimeoutMs = o.settle?.timeoutMs ?? 3000;
  let check: Promise<FrameCheck> | undefined;
  /** The last step's actions, judged for stuck once its screen is known to have settled. */
  let stuckPending: { signature: string; waiting: boolean; what: string } | undefined;

  /** Stuck detection: the same actions again, and the screen after them identical to the one before. */
  const judgeStuck = (signature: string, waiting: boolean, settled: Thumbnail | undefined): boolean => {
    const unchanged = screen !== undefined && settled !== undefined && identicalScreen(screen, settled);
    // Waiting on an unchanged screen is what a wait is for: its bound is the time budget, not stuck detection.
    stuckCount = unchanged && !waiting && signature === lastSignature ? stuckCount + 1 : 0;
    lastSignature = signature;
    screen = settled;
    return stuckAfter > 0 && stuckCount >= stuckAfter - 1;
  };
  const stuckEnd = (what: string) => end('stuck', `the same action (${what}) left the screen unchanged ${stuckCount + 1} times`);
  /** Lets an overlapped check finish before the loop returns, so callers find a settled screen. */
  const settled = async (result: LoopResult): Promise<LoopResult> => {
    let c = check;
    check = undefined;
    const t0 = performance.now();
    const until = t0 + Math.min(settleTimeoutMs, Math.max(0, deadline - Date.now()));
    let last = frame;
    let still = 0;
    while (c) {
      const r = await bounded(c, signal, deadline, undefined, 'the screen to settle').catch(() => undefined);
      if (!r) break;
      if (!r.stable) {
        still = 0;
        last = r.frame;
        c = r.next;
        continue;
      }
      // One still pair can be two captures of a page too busy to paint (both show the frame it
      // last drew): where the run ends and callers read the final state, a second pair confirms.
      if (++still >= 2 || performance.now() >= until) break;
      c = checkFrame(o.executor, last, { deadline: until, threshold: o.settle?.threshold, signal });
    }
    totals.settleMs += performance.now() - t0;
    return result;
  };

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
    if (steps && stepCursor >= steps.length) return settled(end('steps-completed'));
    if (index - firstIndex >= o.maxSteps) return settled(end('max-steps', `step budget of ${o.maxSteps} used up`));
    if (overBudget()) return settled(end('token-budget', tokenStop().message));

    const step = steps?.[stepCursor];
    const instruction = step ? describeStep(step) : o.goal;
    const stepStarted = performance.now();
    const frameName = `step-${pad(index)}`;
    let frameFile = o.trace.saveFrame(frameName, frame);
    // A frame that cannot be written means the trace can no longer keep up: stop before acting unrecorded.
    if (frameFile.startsWith('(not written')) return end('disk-full', `could not write the frame of step ${index + 1} ${frameFile.slice(1, -1)}`);

    const decide = (on: Frame, roundSignal: AbortSignal) =>
      decideRound({
        agent: o.agent,
        guard,
        input: { goal: o.goal, step, stepIndex: step ? stepCursor : undefined, stepCount: steps?.length, frame: on, history, executor: o.executor },
        signal: roundSignal,
        deadline,
        modelTimeoutMs: o.modelTimeoutMs,
        maxRepairs,
        overBudget: (extra) => o.maxTokens !== undefined && spent() + extra >= o.maxTokens,
        tokenStop,
      });
    let round: DecideRound;
    let frameCheck: StepRecord['frameCheck'];
    /** Time the check of this step's frame added to the step: re-captures, dropped decisions, waiting past the decision. */
    let checkMs = 0;
    if (!check) {
      round = await decide(frame, signal);
    } else {
      let captures = 0;
      let dropped = 0;
      let outcome: FrameCheck | undefined;
      let kept: { deciding: Promise<DecideRound>; dropper: AbortController; started: number; decidedAt?: number } | undefined;
      while (check) {
        const started = performance.now();
        const dropper = new AbortController();
        const current: NonNullable<typeof kept> = { deciding: decide(frame, AbortSignal.any([signal, dropper.signal])), dropper, started };
        void current.deciding.then(() => (current.decidedAt = performance.now()), () => {});
        try {
          outcome = await bounded(check, signal, deadline, undefined, 'the screen to settle');
        } catch (e) {
          if (e instanceof LoopStop) return end(e.reason, e.message);
          // A failed check capture leaves the frame unconfirmed; the decision on it stands.
          outcome = undefined;
        }
        check = undefined;
        captures += outcome?.captures ?? 0;
        if (outcome?.stable !== false) {
          kept = current;
          break;
        }
        // The screen moved after the frame was taken: drop the decision made on it (its tokens were spent all the same).
        dropper.abort();
        void current.deciding.then(
          (r) => {
            tokens.input += r.tokens.input;
            tokens.output += r.tokens.output;
          },
          () => {},
        );
        dropped++;
        frame = outcome.frame;
        frameFile = o.trace.saveFrame(frameName, frame);
        // Past the settle timeout there is no next check: the newest frame is decided on unchecked.
        check = outcome.next;
      }
      const checkedAt = performance.now();
      frameCheck = { stable: outcome?.stable === true, captures, dropped, ms: checkedAt - stepStarted };
      if (stuckPending) {
        const { signature, waiting, what } = stuckPending;
        stuckPending = undefined;
        if (judgeStuck(signature, waiting, await frameThumbnail(frame).catch(() => undefined))) {
          kept?.dropper.abort();
          return stuckEnd(what);
        }
      }
      if (kept) {
        round = await kept.deciding;
        checkMs = kept.started - stepStarted + Math.max(0, checkedAt - (kept.decidedAt ?? checkedAt));
      } else {
        checkMs = performance.now() - stepStarted;
        round = await decide(frame, signal);
      }
    }
    repairs += round.repairs;
    parseFailures += round.parseFailures;
    refusals += round.refusals;
    tokens.input += round.tokens.input;
    tokens.output += round.tokens.output;
    for (const r of round.rejected) o.onEvent?.({ type: 'rejected', index, ...r });
    const { decision, valid, attempts, modelMs, fatal } = round;
    const sentRef: StepRecord['frame']['sent'] = round.sentImage && {
      file: o.trace.saveFrame(`${frameName}.sent`, round.sentImage),
      width: round.sentImage.width,
      height: round.sentImage.height,
    };

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
    let settleMs = checkMs;
    const acted = performed.length > 0;
    let stuck = false;
    const signature = JSON.stringify(performed);
    // Waiting on an unchanged screen is what a wait is for: its bound is the time budget, not stuck detection.
    const waiting = performed.every((a) => a.action === 'wait');
    const settleDeadline = performance.now() + Math.min(settleTimeoutMs, Math.max(0, deadline - Date.now()));
    if (acted && !stop) {
      const s0 = performance.now();
      try {
        if (overlap) {
          // The screen is checked while the next decision is made; only a navigation is waited for here.
          if (navigated && o.executor.waitForIdle) {
            await bounded(o.executor.waitForIdle(Math.max(0, settleDeadline - performance.now())), signal, deadline, undefined, 'the page to load');
          }
        } else {
          const s = await bounded(
            settle(o.executor, { ...o.settle, navigated, timeoutMs: Math.max(0, settleDeadline - performance.now()) }),
            signal,
            deadline,
            undefined,
            'the screen to settle',
          );
          settleInfo = { stable: s.stable, thumbnails: s.thumbnails, ms: s.ms };
          stuck = judgeStuck(signature, waiting, s.last);
        }
      } catch (e) {
        stop = e instanceof LoopStop ? e : new LoopStop('error', `settle failed: ${(e as Error).message}`);
      }
      settleMs += performance.now() - s0;
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
      ...(frameCheck ? { frameCheck } : {}),
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
    if (stuck) return stuckEnd(what);

    captureStart = performance.now();
    try {
      frame = await bounded(o.executor.capture(), signal, deadline, undefined, 'a capture');
    } catch (e) {
      if (e instanceof LoopStop) return end(e.reason, e.message);
      return end('error', `capture failed: ${(e as Error).message.split('\n')[0]}`);
    }
    captureMs = performance.now() - captureStart;
    if (overlap && acted) {
      check = checkFrame(o.executor, frame, { deadline: settleDeadline, threshold: o.settle?.threshold, signal });
      void check.catch(() => {});
      stuckPending = { signature, waiting, what };
    }
  }
}
