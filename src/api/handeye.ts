import path from 'node:path';
import type { Page } from 'playwright-core';
import type { z } from 'zod';
import { formatIssues } from '../core/actions.ts';
import type { Agent } from '../core/agent.ts';
import type { Executor } from '../core/executor.ts';
import { BrowserExecutor } from '../executors/browser/browser-executor.ts';
import type { Guard } from '../core/guard.ts';
import type { LoopEvent } from '../core/loop/loop.ts';
import type { SettleOptions } from '../core/settle.ts';
import { describeStep, StepSchema, type Step } from '../core/task.ts';
import { TraceWriter, defaultTraceDir } from '../core/trace.ts';
import type { StepRecord } from '../core/trace-schema.ts';
import { createEngineAgent, type VisionModel } from './engine-setup.ts';
import {
  AssertionFailedError,
  HandeyeBusyError,
  HandeyeClosedError,
  HandeyeError,
  HandeyeUsageError,
  PageClosedError,
  QueryError,
  StepFailedError,
  TargetNotFoundError,
  VisionRequiredError,
  WaitTimeoutError,
  type TraceLocation,
} from './errors.ts';
import { askVision } from './query.ts';
import { locateOnScreen } from './locate-target.ts';
import { AgentSession, type SessionRun } from '../core/session.ts';
import * as T from './types.ts';

/** Something handeye can drive: a Playwright page, an executor (desktop, browser), or a desktop session. */
export type Surface = Page | Executor | { executor: Executor };

export interface HandeyeOptions extends T.HandeyeConfig {
  /** A ready agent instead of the engine options (tests, custom engines). */
  agent?: Agent;
  /** The VLM query() asks, when `agent` is given; with engine: 'openai' it is built from the same options. */
  vision?: VisionModel;
  guard?: Guard;
  settle?: SettleOptions;
  /** Runs every call: the Playwright fixture wraps each in test.step(call, …). */
  wrapCall?: <R>(call: string, run: () => Promise<R>) => Promise<R>;
  onEvent?: (event: LoopEvent) => void;
  /** The trace writer to record into, made by the caller (a redacting one); default a new TraceWriter at traceDir. */
  trace?: TraceWriter;
}

const isPage = (s: unknown): s is Page => !!s && typeof (s as Page).mainFrame === 'function' && typeof (s as Page).isClosed === 'function';
const isExecutor = (s: unknown): s is Executor => !!s && typeof (s as Executor).perform === 'function' && typeof (s as Executor).capture === 'function';

/** `agent.click("Sign in")`, `agent.type("alice", {"into":"Username"})`: how calls are named in steps and errors. */
export function callName(method: string, ...args: unknown[]): string {
  const shown = args.filter((a) => a !== undefined && !(typeof a === 'object' && a !== null && Object.keys(a).length === 0));
  return `agent.${method}(${shown.map((a) => JSON.stringify(a)).join(', ')})`;
}

/** Creates an agent over a page or a desktop; it writes one trace, across all its calls, until close(). */
export async function createHandeye(surface: Surface, options: HandeyeOptions = {}): Promise<Handeye> {
  const { agent: given, vision, guard, settle, wrapCall, onEvent, trace: givenTrace, ...rest } = options;
  const parsed = T.HandeyeConfigSchema.safeParse(rest);
  const where = { dir: path.resolve(rest.traceDir ?? '.') };
  if (!parsed.success) throw new HandeyeUsageError('createHandeye', `bad options: ${formatIssues(parsed.error, rest).join('; ')}`, where);
  const config = parsed.data;
  let executor: Executor;
  let ownExecutor = false;
  if (isPage(surface)) {
    if (surface.isClosed()) throw new PageClosedError('createHandeye', where);
    executor = await BrowserExecutor.fromPage(surface);
    ownExecutor = true;
  } else if (isExecutor(surface)) executor = surface;
  else if (isExecutor((surface as { executor?: unknown } | undefined)?.executor)) executor = (surface as { executor: Executor }).executor;
  else throw new HandeyeUsageError('createHandeye', 'expected a Playwright Page, an executor, or a desktop session ({ executor })', where);

  let built: Awaited<ReturnType<typeof createEngineAgent>>;
  let trace: TraceWriter;
  try {
    built = given ? { agent: given, vision } : await createEngineAgent(config);
    trace = givenTrace ?? new TraceWriter(config.traceDir ?? defaultTraceDir(config.name ?? 'handeye'));
  } catch (e) {
    // An engine that cannot be built or a trace folder already in use: let go of the page again.
    if (ownExecutor) await executor.close().catch(() => {});
    throw e;
  }
  const browser = executor instanceof BrowserExecutor ? executor : undefined;
  trace.header({
    type: 'run',
    version: 1,
    runId: path.basename(trace.dir),
    startedAt: new Date().toISOString(),
    task: { id: config.name ?? 'handeye' },
    engine: built.agent.name,
    executor: { kind: executor.kind, viewport: browser?.options.viewport, deviceScaleFactor: browser?.options.deviceScaleFactor },
    budgets: { maxSteps: config.actMaxSteps ?? T.DEFAULT_ACT_MAX_STEPS, timeoutMs: config.actTimeoutMs ?? T.DEFAULT_ACT_TIMEOUT_MS },
  });
  const session = new AgentSession({ executor, agent: built.agent, trace, guard, settle, modelTimeoutMs: config.modelTimeoutMs, onEvent });
  return new Handeye(session, config, {
    vision: built.vision,
    wrapCall,
    ownExecutor,
    ownAgent: !given,
  });
}

interface Internals {
  vision?: VisionModel;
  wrapCall?: HandeyeOptions['wrapCall'];
  ownExecutor: boolean;
  ownAgent: boolean;
}

/**
 * The library face of handeye: one agent over one page or desktop. Each method runs through the
 * same loop as `handeye run` (capture, decide, validate, act, settle, record), appends to the
 * agent's one trace, and either returns a typed result or throws a HandeyeError naming the call
 * and where in the trace it was recorded. Calls are sequential: await each one.
 */
export class Handeye {
  private closed = false;
  private running: string | undefined;
  private failures = 0;
  private lastFailure: StepFailedError | undefined;
  /** Aborts the call now running (withSignal): a service whose client went away, a request past its time. */
  private callSignal: AbortSignal | undefined;
  private readonly startedAt = Date.now();

  constructor(
    private readonly session: AgentSession,
    private readonly config: T.HandeyeConfig,
    private readonly internals: Internals,
  ) {}

  /** Absolute path of this agent's trace directory. */
  get traceDir(): string {
    return this.session.trace.dir;
  }

  get executor(): Executor {
    return this.session.executor;
  }

  /** The engine's name as traces record it: embedded, replay, vlm:<family>. */
  get engine(): string {
    return this.session.agent.name;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Runs `calls` with an abort signal: a goal or a step that is running when it fires ends as
   * aborted (the loop stops between actions). For callers that serve others (handeye mcp, serve).
   */
  async withSignal<R>(signal: AbortSignal, calls: (agent: this) => Promise<R>): Promise<R> {
    const before = this.callSignal;
    this.callSignal = before ? AbortSignal.any([before, signal]) : signal;
    try {
      return await calls(this);
    } finally {
      this.callSignal = before;
    }
  }

  /** Works toward an open-ended goal until the agent finishes (or fails, or runs out of budget). */
  act(goal: string): Promise<T.ActResult> {
    const call = callName('act', goal);
    return this.call(call, async () => {
      if (typeof goal !== 'string' || !goal.trim()) throw new HandeyeUsageError(call, 'the goal must be a non-empty string', this.where());
      const t0 = Date.now();
      const r = await this.session.run({ goal, maxSteps: this.config.actMaxSteps ?? T.DEFAULT_ACT_MAX_STEPS, timeoutMs: this.config.actTimeoutMs ?? T.DEFAULT_ACT_TIMEOUT_MS, signal: this.callSignal });
      const trace = this.where(r.records.at(-1));
      if (r.reason !== 'finished') throw this.failure(call, undefined, r, trace);
      return { call, instruction: goal, actions: performed(r), records: r.records.length, durationMs: Date.now() - t0, trace, reason: r.reason, answer: r.answer };
    });
  }

  click(target: string, options: T.ClickOptions = {}): Promise<T.StepResult> {
    const call = callName('click', target, options);
    return this.step(call, () => ({ click: hasKeys(this.check(call, T.ClickOptionsSchema, options)) ? { target, ...options } : target }));
  }

  hover(target: string): Promise<T.StepResult> {
    return this.step(callName('hover', target), () => ({ hover: target }));
  }

  /** Drags what `from` names and drops it on what `to` names (press, move in steps, release). */
  drag(from: string, to: string): Promise<T.StepResult> {
    return this.step(callName('drag', from, to), () => ({ drag: { from, to } }));
  }

  /** Types text into the field named by `into`, or at the focus. */
  type(text: string, options: T.TypeOptions = {}): Promise<T.StepResult> {
    const call = callName('type', text, options);
    return this.step(call, () => {
      const o = this.check(call, T.TypeOptionsSchema, options);
      return { type: hasKeys(o) ? { text, ...o } : text };
    });
  }

  /** Presses a key or a chord: "Enter", ["Control", "a"], "ctrl+a". */
  press(keys: string | string[]): Promise<T.StepResult> {
    return this.step(callName('press', keys), () => ({ press: keys }));
  }

  /** Scrolls (the page, or over `at`), by `amount` notches, or until the text `until` shows. */
  scroll(direction: T.ScrollDirection, options: T.ScrollOptions = {}): Promise<T.StepResult> {
    const call = callName('scroll', direction, options);
    return this.step(call, () => ({ scroll: { direction, ...this.check(call, T.ScrollOptionsSchema, options) } }), { long: !!options?.until });
  }

  /** Chooses an option (of a native select, a dropdown, a radio list), optionally in the list labelled `in`. */
  select(option: string, options: T.SelectOptions = {}): Promise<T.StepResult> {
    const call = callName('select', option, options);
    return this.step(call, () => ({ select: hasKeys(this.check(call, T.SelectOptionsSchema, options)) ? { option, ...options } : option }));
  }

  /** Checks that the statement holds on screen (with the embedded engine: the text is shown). */
  assert(statement: string): Promise<T.StepResult> {
    return this.step(callName('assert', statement), () => ({ assert: statement }));
  }

  /** Waits until the statement holds on screen, up to `timeout` ms (default 10 s). */
  waitFor(statement: string, options: T.WaitForOptions = {}): Promise<T.StepResult> {
    const call = callName('waitFor', statement, options);
    const timeout = options?.timeout ?? T.DEFAULT_WAIT_FOR_TIMEOUT_MS;
    return this.step(call, () => (this.check(call, T.WaitForOptionsSchema, options), { wait: { for: statement, ms: timeout } }), { waitMs: timeout });
  }

  /** Finds a target without acting on it: its box in page coordinates (CSS px) or screen points. */
  locate(target: string): Promise<T.Located> {
    const call = callName('locate', target);
    return this.call(call, async () => {
      this.stepOf(call, () => ({ hover: target }));
      const r = await locateOnScreen(this.session, target);
      const trace = this.where(r.record);
      if (!r.found) throw new TargetNotFoundError(call, r.error ?? 'not found', trace);
      return { ...r.found, trace };
    });
  }

  /** Asks a VLM a question about the screen; the answer is validated by `schema` and returned as its data. */
  query<S extends z.ZodType>(question: string, schema: S): Promise<z.infer<S>> {
    const call = callName('query', question);
    return this.call(call, async () => {
      if (typeof question !== 'string' || !question.trim()) throw new HandeyeUsageError(call, 'the question must be a non-empty string', this.where());
      if (!schema || typeof (schema as z.ZodType).safeParse !== 'function') throw new HandeyeUsageError(call, 'the second argument must be a zod schema of the answer', this.where());
      const vision = this.internals.vision;
      if (!vision) throw new VisionRequiredError(call, this.session.agent.name, this.where());
      const t0 = performance.now();
      const frame = await this.session.executor.capture();
      const captureMs = performance.now() - t0;
      const out = await askVision(vision, frame, question, schema);
      const error = out.ok ? undefined : (out.engineError ?? out.issues.join('; '));
      const record = this.session.recordRead({ instruction: `query ${JSON.stringify(question)}`, frame, sentImage: out.sentImage, attempts: out.attempts, error, failure: 'error', captureMs, modelMs: out.modelMs, startedAt: t0, usage: out.usage });
      const trace = this.where(record);
      if (out.engineError) throw new QueryError(call, out.engineError, trace);
      if (!out.ok) throw new QueryError(call, `the answer does not match the schema: ${out.issues.join('; ')}`, trace, out.answer, out.issues);
      return out.data as z.infer<S>;
    });
  }

  /** Ends the trace (summary.json) and lets go of the page; the page, browser and desktop stay open. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const s = this.session;
    const failed = this.lastFailure;
    try {
      s.trace.finish({
        runId: path.basename(s.trace.dir),
        taskId: this.config.name ?? 'handeye',
        engine: s.agent.name,
        success: this.failures === 0,
        reason: failed?.reason ?? (this.failures ? 'error' : 'finished'),
        detail: this.failures ? `${this.failures} call(s) failed${failed ? `; last: ${failed.message}` : ''}` : undefined,
        steps: s.recordCount,
        startedAt: new Date(this.startedAt).toISOString(),
        durationMs: Date.now() - this.startedAt,
        timings: s.totals,
        tokens: s.tokens,
        repairs: s.repairs,
        parseFailures: s.parseFailures,
        refusals: s.refusals,
        checks: [],
        ...(s.agent.endpointStats?.().length ? { endpoints: s.agent.endpointStats() } : {}),
        traceDir: s.trace.dir,
      });
    } finally {
      if (this.internals.ownExecutor) await s.executor.close().catch(() => {});
      if (this.internals.ownAgent) {
        await s.agent.close?.().catch(() => {});
        await this.internals.vision?.engine.close?.().catch(() => {});
      }
    }
  }

  // ---- internals

  private where(record?: StepRecord): TraceLocation {
    const dir = this.session.trace.dir;
    if (!record) return { dir };
    const file = record.frame.file;
    return { dir, step: record.index, ...(file.startsWith('(') ? {} : { frame: path.join(dir, file) }) };
  }

  private check<O>(call: string, schema: z.ZodType<O>, value: unknown): O {
    const r = schema.safeParse(value ?? {});
    if (!r.success) throw new HandeyeUsageError(call, `bad options: ${formatIssues(r.error, value).join('; ')}`, this.where());
    return r.data;
  }

  private stepOf(call: string, make: () => unknown): Step {
    const value = make();
    const r = StepSchema.safeParse(value);
    if (!r.success) throw new HandeyeUsageError(call, `bad arguments: ${formatIssues(r.error, value).join('; ')}`, this.where());
    return r.data;
  }

  /** True when the page this agent drives is gone (every tab closed). */
  private surfaceGone(): boolean {
    const ex = this.session.executor;
    if (!(ex instanceof BrowserExecutor)) return false;
    try {
      return ex.page.isClosed();
    } catch {
      return true;
    }
  }

  private call<R>(call: string, body: () => Promise<R>): Promise<R> {
    const run = () => this.guarded(call, body);
    return this.internals.wrapCall ? this.internals.wrapCall(call, run) : run();
  }

  private async guarded<R>(call: string, body: () => Promise<R>): Promise<R> {
    if (this.closed) throw new HandeyeClosedError(call, this.where());
    if (this.running) throw new HandeyeBusyError(call, this.running, this.where());
    if (this.surfaceGone()) throw new PageClosedError(call, this.where());
    this.running = call;
    try {
      return await body();
    } catch (e) {
      if (e instanceof HandeyeUsageError) throw e;
      this.failures++;
      if (e instanceof StepFailedError) this.lastFailure = e;
      if (e instanceof HandeyeError) throw e;
      // Anything else (a capture on a page that just closed, an engine that failed outside the loop).
      if (this.surfaceGone()) throw new PageClosedError(call, this.where(), (e as Error).message.split('\n')[0]);
      throw new StepFailedError(call, 'error', (e as Error).message.split('\n')[0], this.where());
    } finally {
      this.running = undefined;
    }
  }

  private step(call: string, make: () => unknown, budget: { long?: boolean; waitMs?: number } = {}): Promise<T.StepResult> {
    return this.call(call, async () => {
      const step = this.stepOf(call, make);
      const t0 = Date.now();
      const stepMs = this.config.stepTimeoutMs ?? T.DEFAULT_STEP_TIMEOUT_MS;
      // A wait polls about twice a second; a scroll-until looks after every scroll.
      const maxSteps = budget.waitMs !== undefined ? Math.ceil(budget.waitMs / 400) + 10 : budget.long ? 80 : 10;
      const timeoutMs = budget.waitMs !== undefined ? budget.waitMs + stepMs : budget.long ? stepMs * 3 : stepMs;
      const r = await this.session.run({ steps: [step], maxSteps, timeoutMs, signal: this.callSignal });
      const trace = this.where(r.records.at(-1));
      if (r.reason !== 'steps-completed' && r.reason !== 'finished') throw this.failure(call, step, r, trace);
      return { call, instruction: describeStep(step), actions: performed(r), records: r.records.length, durationMs: Date.now() - t0, trace };
    });
  }

  private failure(call: string, step: Step | undefined, r: SessionRun, trace: TraceLocation): HandeyeError {
    const detail = r.detail ?? r.reason;
    if (this.surfaceGone()) return new PageClosedError(call, trace, detail);
    if (step && 'assert' in step) return new AssertionFailedError(call, r.reason, detail, trace);
    if (step && 'wait' in step) return new WaitTimeoutError(call, r.reason, detail, trace);
    return new StepFailedError(call, r.reason, detail, trace);
  }
}

function performed(r: SessionRun) {
  return r.records.flatMap((x) => x.actions).filter((a) => a.action !== 'finish' && a.action !== 'fail');
}

function hasKeys(o: object): boolean {
  return Object.values(o).some((v) => v !== undefined);
}
