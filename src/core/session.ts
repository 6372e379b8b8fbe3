import type { Agent } from './agent.ts';
import type { Executor } from './executor.ts';
import type { Guard } from './guard.ts';
import { runLoop, type LoopEvent, type LoopResult } from './loop/loop.ts';
import { addTotals, emptyTotals, type RunTotals } from './loop/totals.ts';
import type { SettleOptions } from './settle.ts';
import type { Step } from './task.ts';
import { stepFileName, type TraceWriter } from './trace.ts';
import type { Attempt, StepRecord, Tokens } from './trace-schema.ts';
import type { ChatImage, Usage } from './model-client.ts';
import type { Frame } from './frame.ts';

/**
 * One executor, one agent, one trace: the place every piece of work goes through, whether a
 * task file's whole script (runTask), one library call (agent.click), or a goal (agent.act).
 * Step records keep counting across runs, so one trace holds everything the session did.
 */

export interface SessionOptions {
  executor: Executor;
  agent: Agent;
  trace: TraceWriter;
  guard?: Guard;
  settle?: SettleOptions;
  /** Bound on one agent.decide call. */
  modelTimeoutMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: LoopEvent) => void;
}

/** What to do in one run, and its budgets. */
export interface SessionWork {
  goal?: string;
  steps?: Step[];
  maxSteps: number;
  timeoutMs: number;
  /** Date.now() time the run must end by (default: now + timeoutMs). */
  deadline?: number;
  maxTokens?: number;
  maxRepairs?: number;
  /** Scripted step to start at (resuming). */
  startAtStep?: number;
  /** An extra abort signal for this run only (a per-call timeout). */
  signal?: AbortSignal;
}

export interface SessionRun extends LoopResult {
  /** The step records this run appended to the trace, in order. */
  records: StepRecord[];
}

/** A read of the screen done outside the loop, to be recorded. */
export interface ReadRecord {
  instruction: string;
  frame: Frame;
  sentImage?: ChatImage;
  attempts: Attempt[];
  /** Set when the read failed: the record's outcome is then `failure`. */
  error?: string;
  failure: 'fail' | 'error';
  captureMs: number;
  modelMs: number;
  /** performance.now() when the read began. */
  startedAt: number;
  usage?: Usage;
}

export class AgentSession {
  /** Index of the next step record in the trace. */
  private nextIndex = 0;
  /** What every run and read of the session spent, summed. */
  readonly spent: RunTotals = emptyTotals();

  constructor(readonly options: SessionOptions) {}

  /** Time per phase, summed over the session. */
  get totals(): RunTotals['timings'] {
    return this.spent.timings;
  }

  get tokens(): Tokens {
    return this.spent.tokens;
  }

  get repairs(): number {
    return this.spent.repairs;
  }

  get parseFailures(): number {
    return this.spent.parseFailures;
  }

  get refusals(): number {
    return this.spent.refusals;
  }

  get executor(): Executor {
    return this.options.executor;
  }

  get agent(): Agent {
    return this.options.agent;
  }

  get trace(): TraceWriter {
    return this.options.trace;
  }

  /** Step records written so far. */
  get recordCount(): number {
    return this.nextIndex;
  }

  /** Runs the loop on a goal or a script, appending to the session's trace. */
  async run(work: SessionWork): Promise<SessionRun> {
    const o = this.options;
    const records: StepRecord[] = [];
    const signal = work.signal && o.signal ? AbortSignal.any([work.signal, o.signal]) : (work.signal ?? o.signal);
    const result = await runLoop({
      executor: o.executor,
      agent: o.agent,
      trace: o.trace,
      goal: work.goal,
      steps: work.steps,
      maxSteps: work.maxSteps,
      timeoutMs: work.timeoutMs,
      deadline: work.deadline,
      modelTimeoutMs: o.modelTimeoutMs,
      settle: o.settle,
      guard: o.guard,
      signal,
      maxTokens: work.maxTokens,
      maxRepairs: work.maxRepairs,
      startAtStep: work.startAtStep,
      startIndex: this.nextIndex,
      onEvent: (e) => {
        if (e.type === 'step') records.push(e.record);
        o.onEvent?.(e);
      },
    });
    this.nextIndex += result.steps;
    addTotals(this.spent, result);
    return { ...result, records };
  }

  /**
   * Appends a record for work done outside the loop (a locate, a query): it read the screen and
   * acted on nothing. The frames are saved and the index assigned here.
   */
  recordRead(r: ReadRecord): StepRecord {
    const index = this.nextIndex;
    const trace = this.options.trace;
    const { frame, sentImage } = r;
    const record: StepRecord = {
      type: 'step',
      index,
      instruction: r.instruction,
      frame: {
        file: trace.saveFrame(stepFileName(index), frame),
        width: frame.width,
        height: frame.height,
        scale: frame.scale,
        origin: frame.origin,
        sent: sentImage && { file: trace.saveFrame(`${stepFileName(index)}.sent`, sentImage), width: sentImage.width, height: sentImage.height },
      },
      attempts: r.attempts,
      actions: [],
      outcome: r.error ? r.failure : 'done',
      error: r.error,
      timings: { captureMs: r.captureMs, modelMs: r.modelMs, actMs: 0, settleMs: 0, totalMs: performance.now() - r.startedAt },
      tokens: { input: r.usage?.inputTokens ?? 0, output: r.usage?.outputTokens ?? 0 },
    };
    trace.step(record);
    this.nextIndex++;
    addTotals(this.spent, { timings: { captureMs: record.timings.captureMs, modelMs: record.timings.modelMs }, tokens: record.tokens });
    return record;
  }
}
