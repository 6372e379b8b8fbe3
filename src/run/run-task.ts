import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Agent } from '../core/agent.ts';
import { runCheckers } from './checks.ts';
import type { Executor } from '../core/executor.ts';
import { BrowserExecutor } from '../executors/browser/browser-executor.ts';
import { openDesktopSession, type DesktopSession } from '../executors/desktop/desktop-session.ts';
import type { Guard } from '../core/guard.ts';
import type { ConfirmFn } from '../policy/policy-guard.ts';
import { RedactingTraceWriter } from '../policy/redacting-trace.ts';
import { RunPolicy } from '../policy/run-policy.ts';
import type { Policy } from '../core/policy-schema.ts';
import type { LoopEvent, LoopResult } from '../core/loop/loop.ts';
import { AgentSession } from '../core/session.ts';
import type { SettleOptions } from '../core/settle.ts';
import { cleanupWithin, RunAbortedError, RunClock, RunTimeoutError } from './run-clock.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';
import type { Task } from '../core/task.ts';
import { TraceWriter, defaultTraceDir } from '../core/trace.ts';
import type { CheckResult, EndpointStat, Summary } from '../core/trace-schema.ts';

/** The folder holding handeye's package.json: the clone, or the installed package (this module may be in dist/). */
function packageRoot(): string {
  for (let d = path.dirname(fileURLToPath(import.meta.url)); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'package.json')) && existsSync(path.join(d, 'tasks'))) return d;
    if (path.dirname(d) === d) return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  }
}

/** The project's bundled tasks folder, served by default for relative task URLs. */
export const BUNDLED_TASKS = path.join(packageRoot(), 'tasks');

export interface RunTaskOptions {
  task: Task;
  /** The task file, used to find the folder that relative URLs resolve against. */
  taskFile?: string;
  agent: Agent;
  traceDir?: string;
  headed?: boolean;
  cdp?: string;
  /** A Playwright browser server (ws://…) to open the page in, instead of launching Chromium. */
  browserWs?: string;
  maxSteps?: number;
  timeoutMs?: number;
  modelTimeoutMs?: number;
  settle?: SettleOptions;
  guard?: Guard;
  signal?: AbortSignal;
  onEvent?: (event: LoopEvent | { type: 'opening'; what: string } | { type: 'started'; traceDir: string; url?: string }) => void;
  /** An executor made by the caller (desktop, tests); the run does not close it. */
  executor?: Executor;
  /** Folder served at the static server's root; defaults to the task file's `tasks/` ancestor. */
  serveRoot?: string;
  /** The global policy; the task's own `policy:` block is merged in (a task can only narrow it). */
  policy?: Policy;
  /** Asked before every action the policy lists under `confirm`; without it those actions are refused. */
  confirm?: ConfirmFn;
  /** Model tokens the run may spend (overrides the task's maxTokens). */
  maxTokens?: number;
  /** Repairs per step (overrides the task's maxRepairs). */
  maxRepairs?: number;
  /** Resuming: the scripted step to start at, and the trace of the interrupted run. */
  resume?: { fromStep: number; traceDir: string };
  /** Where {{secret:NAME}} values come from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Desktop tasks: start a private Xvfb for the run (at the task's screen size) and stop it after. */
  xvfb?: boolean;
  /**
   * A JavaScript expression read after the setup, whose text is the goal: a benchmark page that
   * shows its own instruction (MiniWoB++'s utterance). The summary records what was read.
   */
  goalFromPage?: string;
}

export class SetupError extends Error {
  override name = 'SetupError';
}

/** Reads the screen's text by OCR: the `text` checker's source where there is no DOM. */
async function readScreenText(executor: Executor): Promise<string> {
  const { ocrFrame } = await import('../../agents/embedded/ocr/ocr-engine.ts');
  const ocr = await ocrFrame(await executor.capture({ format: 'png' }));
  return ocr.lines.map((l) => l.text).join('\n');
}

/** The nearest ancestor folder named `tasks` of a task file, else its own folder, else the bundled tasks. */
export function serveRootFor(taskFile?: string): string {
  if (!taskFile) return BUNDLED_TASKS;
  let dir = path.dirname(path.resolve(taskFile));
  for (let d = dir; ; d = path.dirname(d)) {
    if (path.basename(d) === 'tasks') return d;
    if (path.dirname(d) === d) break;
  }
  return existsSync(dir) ? dir : BUNDLED_TASKS;
}

/** What one run holds while it goes: its budgets, policy, trace, and what it opened (closed at the end). */
interface RunContext {
  o: RunTaskOptions;
  maxSteps: number;
  timeoutMs: number;
  maxTokens?: number;
  maxRepairs?: number;
  policy: RunPolicy;
  trace: TraceWriter;
  onEvent: RunTaskOptions['onEvent'];
  startedAt: Date;
  /** The run's one deadline (startedAt + timeoutMs) for everything it waits on. */
  clock: RunClock;
  /** What is being opened, while it is: the component to blame when opening fails. */
  opening?: 'browser' | 'page' | 'display';
  /** The page's URL, once resolved. */
  url?: string;
  server?: StaticServer;
  executor?: Executor;
  ownExecutor: boolean;
  desktop?: DesktopSession;
  /** Cleanup has run: anything that opens after this is closed at once. */
  closed?: boolean;
  /** The goal read from the page (goalFromPage). */
  goal?: string;
  /** The agent's per-server counts when the run started (an eval worker's agent serves several episodes). */
  endpointsBefore?: EndpointStat[];
}

/** How the run went before it is summarized: the loop's result and the checks, or why it could not run. */
interface RunOutcome {
  loop?: LoopResult;
  checks: CheckResult[];
  failure?: { reason: 'error' | 'aborted' | 'timeout'; detail: string; unreachable?: 'browser' | 'page' | 'display' };
}

/** How long the success checks may take when the budget is already spent. */
const CHECK_GRACE_MS = 2000;
/** Bounds on cleanup: undoing the policy, closing the executor, stopping a desktop session or the server. */
const DETACH_GRACE_MS = 1500;
const CLOSE_GRACE_MS = 4000;

/** Runs one task end to end: serve, launch, set up, loop, check, summarize. Never throws for a failed run. */
export async function runTask(o: RunTaskOptions): Promise<Summary> {
  const run = startRun(o);
  const outcome: RunOutcome = { checks: [] };
  try {
    checkSecretsSet(run.policy);
    await run.clock.within(openSurface(run), 'opening the app');
    await run.clock.within(runSetup(o.task, run.executor!, run.clock), 'running the setup');
    const goal = o.goalFromPage ? await run.clock.within(readGoal(run.executor!, o.goalFromPage), 'reading the goal') : o.task.goal;
    if (o.goalFromPage) run.goal = goal;
    // The same session the library API (createHandeye) runs its calls through: one code path.
    const session = new AgentSession({ executor: run.executor!, agent: o.agent, trace: run.trace, modelTimeoutMs: o.modelTimeoutMs, settle: o.settle, guard: run.policy.guard, signal: o.signal, onEvent: run.onEvent });
    // What opening the page took is spent: the loop ends at the run's one deadline.
    outcome.loop = await session.run({ goal, steps: o.goalFromPage ? undefined : o.task.steps, maxSteps: run.maxSteps, timeoutMs: run.timeoutMs, deadline: run.clock.deadline, maxTokens: run.maxTokens, maxRepairs: run.maxRepairs, startAtStep: o.resume?.fromStep });
    if (outcome.loop.reason !== 'aborted') {
      const ex = run.executor!;
      outcome.checks = await run.clock.within(runCheckers(o.task.success, { executor: ex, readScreenText: () => readScreenText(ex) }), 'checking success', CHECK_GRACE_MS);
    }
  } catch (e) {
    const reason = o.signal?.aborted || e instanceof RunAbortedError ? 'aborted' : e instanceof RunTimeoutError ? 'timeout' : 'error';
    const opening = reason === 'aborted' ? undefined : run.opening;
    const detail = opening && e instanceof RunTimeoutError ? `the ${opening}${run.url ? ` ${run.url}` : ''} did not open within the run's time budget of ${run.timeoutMs} ms` : (e as Error).message.split('\n')[0];
    // Opening failed: the browser, the page or the display could not be reached; the CLI exits 2.
    outcome.failure = { reason, detail, ...(opening ? { unreachable: opening } : {}) };
  } finally {
    await closeRun(run);
  }
  return finishRun(run, outcome);
}

/** The run's budgets, policy and trace, with the trace's header written. */
function startRun(o: RunTaskOptions): RunContext {
  const { task } = o;
  const policy = new RunPolicy({ task, policy: o.policy, confirm: o.confirm, guard: o.guard, env: o.env });
  const run: RunContext = {
    o,
    maxSteps: o.maxSteps ?? task.maxSteps,
    timeoutMs: o.timeoutMs ?? task.timeoutMs,
    maxTokens: o.maxTokens ?? task.maxTokens,
    maxRepairs: o.maxRepairs ?? task.maxRepairs,
    policy,
    // Whatever the caller logs has secret values scrubbed, like the trace.
    onEvent: o.onEvent && ((e) => o.onEvent!(policy.secrets.redactDeep(e))),
    trace: new RedactingTraceWriter(o.traceDir ?? defaultTraceDir(task.id), policy.secrets),
    startedAt: new Date(),
    clock: new RunClock(Date.now() + (o.timeoutMs ?? task.timeoutMs), o.signal),
    ownExecutor: false,
    endpointsBefore: o.agent.endpointStats?.(),
  };
  const web = 'web' in task.app ? task.app.web : undefined;
  run.trace.header({
    type: 'run',
    version: 1,
    runId: path.basename(run.trace.dir),
    startedAt: run.startedAt.toISOString(),
    task: { id: task.id, file: o.taskFile, goal: task.goal, steps: task.steps, app: task.app },
    engine: o.agent.name,
    executor: { kind: web ? 'browser' : 'desktop', viewport: web?.viewport, deviceScaleFactor: web?.deviceScaleFactor },
    budgets: { maxSteps: run.maxSteps, timeoutMs: run.timeoutMs, ...(run.maxTokens !== undefined ? { maxTokens: run.maxTokens } : {}), ...(run.maxRepairs !== undefined ? { maxRepairs: run.maxRepairs } : {}) },
    policy: policy.describe(),
    ...(o.resume ? { resumedFrom: { traceDir: path.resolve(o.resume.traceDir), fromStep: o.resume.fromStep } } : {}),
  });
  return run;
}

/** Every secret the task types must be set before anything runs (not found missing at the step that types it). */
function checkSecretsSet(policy: RunPolicy): void {
  const unset = policy.secrets.unset();
  if (!unset.length) return;
  const one = unset.length === 1;
  throw new SetupError(
    `the task types ${unset.map((n) => `{{secret:${n}}}`).join(', ')}, but the environment variable${one ? '' : 's'} ${unset.join(', ')} ${one ? 'is' : 'are'} not set`,
  );
}

/** Serves and opens the task's page (or launches its desktop app), with the policy attached. */
async function openSurface(run: RunContext): Promise<void> {
  const { o, policy } = run;
  let url: string | undefined;
  if ('web' in o.task.app) {
    const web = o.task.app.web;
    run.server = await startStaticServer(o.serveRoot ?? serveRootFor(o.taskFile));
    url = run.server.resolve(web.url);
    run.url = url;
    run.onEvent?.({ type: 'opening', what: url });
    run.executor = o.executor;
    if (!run.executor) {
      run.opening = 'browser';
      const launching = BrowserExecutor.launch({ viewport: web.viewport, deviceScaleFactor: web.deviceScaleFactor, isMobile: web.isMobile, headed: o.headed, cdp: o.cdp, browserWs: o.browserWs, launchTimeoutMs: Math.max(1, run.clock.left()) });
      // A launch the run gave up on (its budget ran out first) still gets its browser closed.
      launching.then((ex) => (run.closed ? ex.close() : undefined), () => {});
      run.executor = await launching;
      run.ownExecutor = true;
    }
    await policy.attach(run.executor, url);
    run.opening = 'page';
    if (run.executor instanceof BrowserExecutor) await run.executor.goto(url, Math.max(1, run.clock.left()));
  } else if (o.executor) {
    run.executor = o.executor;
  } else {
    run.opening = 'display';
    run.onEvent?.({ type: 'opening', what: (o.task.app.desktop.launch ?? ['the desktop']).join(' ') });
    run.desktop = await openDesktopSession(o.task.app.desktop, { xvfb: o.xvfb });
    run.executor = run.desktop.executor;
  }
  run.opening = undefined;
  await policy.attach(run.executor);
  run.onEvent?.({ type: 'started', traceDir: run.trace.dir, url });
}

/** The task's setup: JavaScript in the page, or commands (each bounded by what is left of the budget). */
async function runSetup(task: Task, executor: Executor, clock: RunClock): Promise<void> {
  for (const s of task.setup) {
    if ('js' in s) {
      if (!executor.evaluate) throw new SetupError('setup js needs a browser');
      await executor.evaluate(s.js).catch((e: Error) => {
        throw new SetupError(`setup js ${JSON.stringify(s.js)} failed: ${e.message.split('\n')[0]}`);
      });
    } else {
      const [cmd, ...args] = s.command;
      const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: Math.max(1, Math.min(60_000, clock.left())) });
      if (r.status !== 0) throw new SetupError(`setup command ${s.command.join(' ')} failed: ${r.error?.message ?? r.stderr.trim() ?? `exit ${r.status}`}`);
    }
  }
}

/** The page's own instruction, as the goal (goalFromPage). */
async function readGoal(executor: Executor, expression: string): Promise<string> {
  if (!executor.evaluate) throw new SetupError('a goal read from the page needs a browser');
  const value = await executor.evaluate(expression).catch((e: Error) => {
    throw new SetupError(`setup could not read the goal from the page (${expression}): ${e.message.split('\n')[0]}`);
  });
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) throw new SetupError(`setup found no instruction on the page to work on (${expression} gave ${JSON.stringify(value)})`);
  return text;
}

/** Undoes and closes what the run opened; each step is bounded, so a hung page or browser cannot hold the run. */
async function closeRun(run: RunContext): Promise<void> {
  run.closed = true;
  // An executor the run opened is closed whole: undoing its policy first would only wait on a hung page.
  if (run.ownExecutor) await cleanupWithin(run.executor?.close(), CLOSE_GRACE_MS);
  else if (!run.desktop) await cleanupWithin(run.policy.detach(), DETACH_GRACE_MS);
  await cleanupWithin(run.desktop?.close(), CLOSE_GRACE_MS);
  await cleanupWithin(run.server?.close(), DETACH_GRACE_MS);
}

/** The model servers' share of the run, when its calls went to several. */
function endpointsOf(agent: Agent, since: RunContext['endpointsBefore']): Pick<Summary, 'endpoints'> {
  const stats = agent.endpointStats?.(since) ?? [];
  return stats.length ? { endpoints: stats } : {};
}

/** The run's summary, secrets scrubbed, written to the trace (a full disk is noted, not thrown). */
function finishRun(run: RunContext, { loop, checks, failure }: RunOutcome): Summary {
  const { o, trace } = run;
  const loopOk = loop !== undefined && (loop.reason === 'finished' || loop.reason === 'steps-completed');
  const checksOk = checks.every((c) => c.ok);
  const failedCheck = checks.find((c) => !c.ok);
  const checkDetail = failedCheck && `success check ${JSON.stringify(failedCheck.checker)} did not hold: ${failedCheck.detail ?? ''}`.trim();
  const summary: Summary = {
    runId: path.basename(trace.dir),
    taskId: o.task.id,
    engine: o.agent.name,
    success: !failure && loopOk && checksOk && (checks.length > 0 || loopOk),
    reason: failure?.reason ?? loop!.reason,
    detail: failure?.detail ?? loop?.detail ?? checkDetail,
    ...((failure?.unreachable ?? loop?.unreachable) ? { unreachable: failure?.unreachable ?? loop?.unreachable } : {}),
    answer: loop?.answer,
    steps: loop?.steps ?? 0,
    startedAt: run.startedAt.toISOString(),
    durationMs: Date.now() - run.startedAt.getTime(),
    timings: loop?.timings ?? { captureMs: 0, modelMs: 0, actMs: 0, settleMs: 0 },
    tokens: loop?.tokens ?? { input: 0, output: 0 },
    repairs: loop?.repairs ?? 0,
    parseFailures: loop?.parseFailures ?? 0,
    refusals: loop?.refusals ?? 0,
    checks,
    ...(run.desktop?.paint && { window: { painted: run.desktop.paint.painted, paintMs: Math.round(run.desktop.paint.ms) } }),
    ...endpointsOf(o.agent, run.endpointsBefore),
    ...(run.goal ? { goal: run.goal } : {}),
    ...(o.agent.cacheStats ? { cache: o.agent.cacheStats() } : {}),
    traceDir: trace.dir,
  };
  if (loopOk && !checksOk && checkDetail) summary.detail = checkDetail;
  const safe = run.policy.secrets.redactDeep(summary);
  try {
    trace.finish(safe);
  } catch (e) {
    // A full disk must not turn a recorded run into a crash: the steps already written stay readable.
    safe.detail = `${safe.detail ? safe.detail + '; ' : ''}summary not written: ${(e as Error).message.split('\n')[0]}`;
    try {
      trace.close();
    } catch {
      /* nothing more can be done for the file */
    }
  }
  return safe;
}
