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
import { startStaticServer, type StaticServer } from './static-server.ts';
import type { Task } from '../core/task.ts';
import { TraceWriter, defaultTraceDir } from '../core/trace.ts';
import type { CheckResult, Summary } from '../core/trace-schema.ts';

/** The project's bundled tasks folder, served by default for relative task URLs. */
export const BUNDLED_TASKS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'tasks');

export interface RunTaskOptions {
  task: Task;
  /** The task file, used to find the folder that relative URLs resolve against. */
  taskFile?: string;
  agent: Agent;
  traceDir?: string;
  headed?: boolean;
  cdp?: string;
  maxSteps?: number;
  timeoutMs?: number;
  modelTimeoutMs?: number;
  settle?: SettleOptions;
  guard?: Guard;
  signal?: AbortSignal;
  onEvent?: (event: LoopEvent | { type: 'started'; traceDir: string; url?: string }) => void;
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
  server?: StaticServer;
  executor?: Executor;
  ownExecutor: boolean;
  desktop?: DesktopSession;
}

/** How the run went before it is summarized: the loop's result and the checks, or why it could not run. */
interface RunOutcome {
  loop?: LoopResult;
  checks: CheckResult[];
  failure?: { reason: 'error' | 'aborted'; detail: string };
}

/** Runs one task end to end: serve, launch, set up, loop, check, summarize. Never throws for a failed run. */
export async function runTask(o: RunTaskOptions): Promise<Summary> {
  const run = startRun(o);
  const outcome: RunOutcome = { checks: [] };
  try {
    await openSurface(run);
    await runSetup(o.task, run.executor!);
    // The same session the library API (createHandeye) runs its calls through: one code path.
    const session = new AgentSession({ executor: run.executor!, agent: o.agent, trace: run.trace, modelTimeoutMs: o.modelTimeoutMs, settle: o.settle, guard: run.policy.guard, signal: o.signal, onEvent: run.onEvent });
    outcome.loop = await session.run({ goal: o.task.goal, steps: o.task.steps, maxSteps: run.maxSteps, timeoutMs: run.timeoutMs, maxTokens: run.maxTokens, maxRepairs: run.maxRepairs, startAtStep: o.resume?.fromStep });
    if (outcome.loop.reason !== 'aborted') {
      const ex = run.executor!;
      outcome.checks = await runCheckers(o.task.success, { executor: ex, readScreenText: () => readScreenText(ex) });
    }
  } catch (e) {
    outcome.failure = { reason: o.signal?.aborted ? 'aborted' : 'error', detail: (e as Error).message.split('\n')[0] };
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
    ownExecutor: false,
  };
  const web = 'web' in task.app ? task.app.web : undefined;
  run.trace.header({
    type: 'run',
    version: 1,
    runId: path.basename(run.trace.dir),
    startedAt: run.startedAt.toISOString(),
    task: { id: task.id, file: o.taskFile, goal: task.goal, steps: task.steps },
    engine: o.agent.name,
    executor: { kind: web ? 'browser' : 'desktop', viewport: web?.viewport, deviceScaleFactor: web?.deviceScaleFactor },
    budgets: { maxSteps: run.maxSteps, timeoutMs: run.timeoutMs, ...(run.maxTokens !== undefined ? { maxTokens: run.maxTokens } : {}), ...(run.maxRepairs !== undefined ? { maxRepairs: run.maxRepairs } : {}) },
    policy: policy.describe(),
    ...(o.resume ? { resumedFrom: { traceDir: path.resolve(o.resume.traceDir), fromStep: o.resume.fromStep } } : {}),
  });
  return run;
}

/** Serves and opens the task's page (or launches its desktop app), with the policy attached. */
async function openSurface(run: RunContext): Promise<void> {
  const { o, policy } = run;
  let url: string | undefined;
  if ('web' in o.task.app) {
    const web = o.task.app.web;
    run.server = await startStaticServer(o.serveRoot ?? serveRootFor(o.taskFile));
    url = run.server.resolve(web.url);
    run.executor = o.executor;
    if (!run.executor) {
      run.executor = await BrowserExecutor.launch({ viewport: web.viewport, deviceScaleFactor: web.deviceScaleFactor, isMobile: web.isMobile, headed: o.headed, cdp: o.cdp });
      run.ownExecutor = true;
    }
    await policy.attach(run.executor, url);
    if (run.executor instanceof BrowserExecutor) await run.executor.goto(url);
  } else if (o.executor) {
    run.executor = o.executor;
  } else {
    run.desktop = await openDesktopSession(o.task.app.desktop, { xvfb: o.xvfb });
    run.executor = run.desktop.executor;
  }
  await policy.attach(run.executor);
  run.onEvent?.({ type: 'started', traceDir: run.trace.dir, url });
}

/** The task's setup: JavaScript in the page, or commands. */
async function runSetup(task: Task, executor: Executor): Promise<void> {
  for (const s of task.setup) {
    if ('js' in s) {
      if (!executor.evaluate) throw new SetupError('setup js needs a browser');
      await executor.evaluate(s.js).catch((e: Error) => {
        throw new SetupError(`setup js ${JSON.stringify(s.js)} failed: ${e.message.split('\n')[0]}`);
      });
    } else {
      const [cmd, ...args] = s.command;
      const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
      if (r.status !== 0) throw new SetupError(`setup command ${s.command.join(' ')} failed: ${r.error?.message ?? r.stderr.trim() ?? `exit ${r.status}`}`);
    }
  }
}

async function closeRun(run: RunContext): Promise<void> {
  await run.policy.detach();
  if (run.ownExecutor) await run.executor?.close().catch(() => {});
  await run.desktop?.close().catch(() => {});
  await run.server?.close().catch(() => {});
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
