import type { Agent, HistoryEntry } from '../agent.ts';
import type { Executor } from '../executor.ts';
import type { Frame } from '../frame.ts';
import { allowAll, type Guard } from '../guard.ts';
import { checkFrame, frameThumbnail, type FrameCheck, type SettleOptions } from '../settle.ts';
import { describeStep, type Step } from '../task.ts';
import { stepFileName, type TraceWriter } from '../trace.ts';
import type { EndReason, StepRecord } from '../trace-schema.ts';
import { bounded, LoopStop } from './bounded.ts';
import { decideRound, type DecideRound } from './decide-round.ts';
import { decideOnCheckedFrame } from './frame-check.ts';
import { performActions, roundOutcome } from './perform.ts';
import { progressLine, whatWasDone } from './progress.ts';
import { settleAfterActions, settleBeforeReturn, type SettleContext } from './settle-step.ts';
import { buildStepRecord, stepCompleted } from './step-record.ts';
import { StuckDetector, type StuckCandidate } from './stuck.ts';
import { addTotals, emptyTotals, tokensSpent, type RunTotals } from './totals.ts';

export interface LoopOptions {
  executor: Executor;
  agent: Agent;
  trace: TraceWriter;
  goal?: string;
  steps?: Step[];
  maxSteps: number;
  timeoutMs: number;
  /** Date.now() time the run must end by, when its budget started before the loop (page load): default now + timeoutMs. */
  deadline?: number;
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

export interface LoopResult extends RunTotals {
  reason: EndReason;
  detail?: string;
  /** The run ended because this component could not be reached or used. */
  unreachable?: 'model';
  answer?: string;
  steps: number;
  /** Scripted steps fully done. */
  stepsCompleted: number;
}

/** What a finished step leaves for the next capture: whether to check that capture while deciding. */
interface StepHandOver {
  acted: boolean;
  /** The settle deadline (performance.now() time) the step's screen is checked until. */
  settleUntil: number;
  candidate: StuckCandidate;
}

/** The perception-action loop: capture, decide, validate, guard, perform, settle, record. */
export async function runLoop(o: LoopOptions): Promise<LoopResult> {
  return new LoopRun(o).run();
}

/** One run of the loop and the state it carries from step to step. */
class LoopRun {
  private readonly deadline: number;
  private readonly signal: AbortSignal;
  private readonly guard: Guard;
  private readonly firstIndex: number;
  private readonly settleTimeoutMs: number;
  /** Overlapped settling: the frame is checked by a later capture while the agent decides; only agents whose decisions can be dropped allow it. */
  private readonly overlap: boolean;
  private readonly context: SettleContext;
  private readonly totals = emptyTotals();
  private readonly history: HistoryEntry[] = [];
  private readonly stuck: StuckDetector;
  private index: number;
  private stepCursor: number;
  private answer: string | undefined;
  private frame!: Frame;
  private captureMs = 0;
  /** The overlapped check of the current frame, and the previous step it judges for stuck. */
  private pending: { check: Promise<FrameCheck>; candidate: StuckCandidate } | undefined;

  constructor(private readonly o: LoopOptions) {
    this.deadline = o.deadline ?? Date.now() + o.timeoutMs;
    this.signal = o.signal ?? new AbortController().signal;
    this.guard = o.guard ?? allowAll;
    this.firstIndex = this.index = o.startIndex ?? 0;
    this.stepCursor = o.startAtStep ?? 0;
    this.settleTimeoutMs = o.settle?.timeoutMs ?? 3000;
    this.overlap = (o.settle?.overlap ?? true) && o.agent.stateless === true;
    this.context = { executor: o.executor, settle: o.settle, signal: this.signal, deadline: this.deadline };
    this.stuck = new StuckDetector(o.stuckAfter ?? 3);
  }

  async run(): Promise<LoopResult> {
    const failed = await this.capture('the first capture');
    if (failed) return failed;
    while (true) {
      const over = await this.budgetEnd();
      if (over) return over;
      const next = await this.step();
      if ('reason' in next) return next;
      const lost = await this.capture('a capture');
      if (lost) return lost;
      if (this.overlap && next.acted) {
        const check = checkFrame(this.o.executor, this.frame, { deadline: next.settleUntil, threshold: this.o.settle?.threshold, signal: this.signal });
        void check.catch(() => {});
        this.pending = { check, candidate: next.candidate };
      }
    }
  }

  private end(reason: EndReason, detail?: string, unreachable?: 'model'): LoopResult {
    return { reason, detail, ...(unreachable ? { unreachable } : {}), answer: this.answer, steps: this.index - this.firstIndex, ...this.totals, stepsCompleted: this.stepCursor };
  }

  private tokenStop(): LoopStop {
    return new LoopStop('token-budget', `model-token budget of ${this.o.maxTokens} used up (${tokensSpent(this.totals)} tokens)`);
  }

  /** The run's end when a budget is spent or the script is done; where callers read the final screen, it settles first. */
  private async budgetEnd(): Promise<LoopResult | undefined> {
    const o = this.o;
    if (this.signal.aborted) return this.end('aborted', 'run aborted');
    if (Date.now() >= this.deadline) return this.end('timeout', `time budget of ${o.timeoutMs} ms ran out`);
    let result: LoopResult | undefined;
    if (o.steps && this.stepCursor >= o.steps.length) result = this.end('steps-completed');
    else if (this.index - this.firstIndex >= o.maxSteps) result = this.end('max-steps', `step budget of ${o.maxSteps} used up`);
    else if (o.maxTokens !== undefined && tokensSpent(this.totals) >= o.maxTokens) result = this.end('token-budget', this.tokenStop().message);
    if (!result) return undefined;
    const check = this.pending?.check;
    this.pending = undefined;
    this.totals.timings.settleMs += await settleBeforeReturn(this.context, check, this.frame, this.settleTimeoutMs);
    return result;
  }

  /** Captures the next frame; returns the run's end when that fails. */
  private async capture(what: string): Promise<LoopResult | undefined> {
    const t0 = performance.now();
    try {
      this.frame = await bounded(this.o.executor.capture(), this.signal, this.deadline, undefined, what);
    } catch (e) {
      if (e instanceof LoopStop) return this.end(e.reason, e.message);
      return this.end('error', `capture failed: ${(e as Error).message.split('\n')[0]}`);
    }
    this.captureMs = performance.now() - t0;
    return undefined;
  }

  private decide(on: Frame, step: Step | undefined, signal: AbortSignal): Promise<DecideRound> {
    const o = this.o;
    return decideRound({
      agent: o.agent,
      executor: o.executor,
      guard: this.guard,
      input: { goal: o.goal, step, stepIndex: step ? this.stepCursor : undefined, stepCount: o.steps?.length, frame: on, history: this.history, executor: o.executor },
      signal,
      deadline: this.deadline,
      modelTimeoutMs: o.modelTimeoutMs,
      maxRepairs: o.maxRepairs ?? 2,
      overBudget: (extra) => o.maxTokens !== undefined && tokensSpent(this.totals) + extra >= o.maxTokens,
      tokenStop: () => this.tokenStop(),
    });
  }

  /** One step: decide on the current frame (checked for stillness meanwhile), perform, settle, record. */
  private async step(): Promise<LoopResult | StepHandOver> {
    const o = this.o;
    const step = o.steps?.[this.stepCursor];
    const instruction = step ? describeStep(step) : o.goal;
    const stepStarted = performance.now();
    const frameName = stepFileName(this.index);
    let frameFile = o.trace.saveFrame(frameName, this.frame);
    // A frame that cannot be written means the trace can no longer keep up: stop before acting unrecorded.
    if (frameFile.startsWith('(not written')) return this.end('disk-full', `could not write the frame of step ${this.index + 1} ${frameFile.slice(1, -1)}`);
    const pending = this.pending;
    this.pending = undefined;
    const decided = await decideOnCheckedFrame({
      check: pending?.check,
      frame: this.frame,
      decide: (on, signal) => this.decide(on, step, signal),
      signal: this.signal,
      deadline: this.deadline,
      stepStarted,
      onNewFrame: (f) => (frameFile = o.trace.saveFrame(frameName, f)),
      onDropped: (r) => addTotals(this.totals, { tokens: r.tokens }),
      judgeStuck: pending && (async (f) => this.stuck.judge(pending.candidate, await frameThumbnail(f).catch(() => undefined))),
    });
    if (decided.kind === 'stopped') return this.end(decided.stop.reason, decided.stop.message);
    if (decided.kind === 'stuck') return this.end('stuck', this.stuck.detail(pending!.candidate.what));
    this.frame = decided.frame;
    const { round } = decided;
    addTotals(this.totals, { repairs: round.repairs, parseFailures: round.parseFailures, refusals: round.refusals, tokens: round.tokens });
    for (const r of round.rejected) o.onEvent?.({ type: 'rejected', index: this.index, ...r });
    const sent = round.sentImage && { file: o.trace.saveFrame(`${frameName}.sent`, round.sentImage), width: round.sentImage.width, height: round.sentImage.height };
    return this.act(round, { step, instruction, stepStarted, frameFile, sent, frameCheck: decided.frameCheck, checkMs: decided.checkMs });
  }

  /** Performs a decided round, settles, records the step and says whether the run goes on. */
  private async act(
    round: DecideRound,
    s: { step?: Step; instruction?: string; stepStarted: number; frameFile: string; sent?: StepRecord['frame']['sent']; frameCheck?: StepRecord['frameCheck']; checkMs: number },
  ): Promise<LoopResult | StepHandOver> {
    const o = this.o;
    const actStart = performance.now();
    const done = await performActions(o.executor, round.valid ?? [], this.frame, roundOutcome(round), { signal: this.signal, deadline: this.deadline });
    const actMs = performance.now() - actStart;
    this.totals.refusals += done.refusals;
    if (done.outcome === 'finish') this.answer = done.answer;
    const candidate: StuckCandidate = { signature: JSON.stringify(done.performed), waiting: done.performed.every((a) => a.action === 'wait'), what: '' };
    const settleUntil = performance.now() + Math.min(this.settleTimeoutMs, Math.max(0, this.deadline - Date.now()));
    const acted = done.performed.length > 0;
    const settled = acted && !done.stop ? await settleAfterActions(this.context, { overlap: this.overlap, navigated: done.navigated, until: settleUntil }) : undefined;
    done.stop ??= settled?.stop;
    const stuck = settled?.settled ? this.stuck.judge(candidate, settled.settled.last) : false;
    // Read after settling: a navigation the browser blocked is reported once its request arrived.
    const blocked = this.guard.drainEvents?.() ?? [];
    this.totals.refusals += blocked.length;
    const dialogs = o.executor.takeDialogs?.() ?? [];
    const timings = { captureMs: this.captureMs, modelMs: round.modelMs, actMs, settleMs: s.checkMs + (settled?.ms ?? 0) };
    const record = buildStepRecord({ ...s, index: this.index, stepIndex: this.stepCursor, frame: this.frame, round, done, settled, blocked, dialogs, timings: { ...timings, totalMs: performance.now() - s.stepStarted + this.captureMs } });
    try {
      o.trace.step(record);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return this.end(code === 'ENOSPC' || code === 'EDQUOT' ? 'disk-full' : 'error', `could not append step ${this.index + 1} to the trace: ${(e as Error).message.split('\n')[0]}`);
    }
    addTotals(this.totals, { timings });
    const told = [done.error ? `${done.outcome}: ${done.error}` : done.outcome, ...blocked].join('; ');
    const d = round.decision;
    this.history.push({
      index: this.index,
      instruction: s.instruction,
      step: s.step,
      actions: done.performed,
      outcome: told,
      frame: this.frame,
      ...(d?.raw !== undefined || d?.toolCalls ? { reply: { text: d.raw ?? '', ...(d.toolCalls ? { toolCalls: d.toolCalls } : {}) } } : {}),
      ...(d?.memory !== undefined ? { memory: d.memory } : {}),
    });
    const what = whatWasDone(done, round, s.instruction);
    o.onEvent?.({ type: 'step', record, line: progressLine(record, what, s.step ? { cursor: this.stepCursor, count: o.steps!.length } : undefined) });
    this.index++;
    if (s.step && stepCompleted({ round, done })) this.stepCursor++;
    if (done.stop) return this.end(done.stop.reason, done.stop.message, done.stop.unreachable);
    if (done.outcome === 'error') return this.end('error', done.error);
    if (stuck) return this.end('stuck', this.stuck.detail(what));
    return { acted, settleUntil, candidate: { ...candidate, what } };
  }
}
