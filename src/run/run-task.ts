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

/** Runs one task end to end: serve, launch, set up, loop, check, summarize. Never throws for a failed run. */
export async function runTask(o: RunTaskOptions): Promise<Summary> {
  const { task } = o;
  const maxSteps = o.maxSteps ?? task.maxSteps;
  const timeoutMs = o.timeoutMs ?? task.timeoutMs;
  const traceDir = o.traceDir ?? defaultTraceDir(task.id);
  const policy = new RunPolicy({ task, policy: o.policy, confirm: o.confirm, guard: o.guard, env: o.env });
  const maxTokens = o.maxTokens ?? task.maxTokens;
  const maxRepairs = o.maxRepairs ?? task.maxRepairs;
  // Whatever the caller logs has secret values scrubbed, like the trace.
  const onEvent: RunTaskOptions['onEvent'] = o.onEvent && ((e) => o.onEvent!(policy.secrets.redactDeep(e)));
  const trace: TraceWriter = new RedactingTraceWriter(traceDir, policy.secrets);
  const startedAt = new Date();
  const runId = path.basename(trace.dir);
  let server: StaticServer | undefined;
  let executor = o.executor;
  let ownExecutor = false;
  let desktop: DesktopSession | undefined;
  let loop: LoopResult | undefined;
  let checks: CheckResult[] = [];
  let failure: { reason: 'error' | 'aborted'; detail: string } | undefined;

  trace.header({
    type: 'run',
    version: 1,
    runId,
    startedAt: startedAt.toISOString(),
    task: { id: task.id, file: o.taskFile, goal: task.goal, steps: task.steps },
    engine: o.agent.name,
    executor: {
      kind: 'web' in task.app ? 'browser' : 'desktop',
      viewport: 'web' in task.app ? task.app.web.viewport : undefined,
      deviceScaleFactor: 'web' in task.app ? task.app.web.deviceScaleFactor : undefined,
    },
    budgets: { maxSteps, timeoutMs, ...(maxTokens !== undefined ? { maxTokens } : {}), ...(maxRepairs !== undefined ? { maxRepairs } : {}) },
    policy: policy.describe(),
    ...(o.resume ? { resumedFrom: { traceDir: path.resolve(o.resume.traceDir), fromStep: o.resume.fromStep } } : {}),
  });

  try {
    let url: string | undefined;
    if ('web' in task.app) {
      const web = task.app.web;
      server = await startStaticServer(o.serveRoot ?? serveRootFor(o.taskFile));
      url = server.resolve(web.url);
      if (!executor) {
        executor = await BrowserExecutor.launch({
          viewport: web.viewport,
          deviceScaleFactor: web.deviceScaleFactor,
          isMobile: web.isMobile,
          headed: o.headed,
          cdp: o.cdp,
        });
        ownExecutor = true;
      }
      await policy.attach(executor, url);
      if (executor instanceof BrowserExecutor) await executor.goto(url);
    } else if (!executor) {
      desktop = await openDesktopSession(task.app.desktop, { xvfb: o.xvfb });
      executor = desktop.executor;
    }
    await policy.attach(executor);
    onEvent?.({ type: 'started', traceDir: trace.dir, url });

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

    // The same session the library API (createHandeye) runs its calls through: one code path.
    const session = new AgentSession({ executor, agent: o.agent, trace, modelTimeoutMs: o.modelTimeoutMs, settle: o.settle, guard: policy.guard, signal: o.signal, onEvent });
    loop = await session.run({ goal: task.goal, steps: task.steps, maxSteps, timeoutMs, maxTokens, maxRepairs, startAtStep: o.resume?.fromStep });
    if (loop.reason !== 'aborted') {
      const ex = executor;
      checks = await runCheckers(task.success, { executor: ex, readScreenText: () => readScreenText(ex) });
    }
  } catch (e) {
    failure = { reason: o.signal?.aborted ? 'aborted' : 'error', detail: (e as Error).message.split('\n')[0] };
  } finally {
    await policy.detach();
    if (ownExecutor) await executor?.close().catch(() => {});
    await desktop?.close().catch(() => {});
    await server?.close().catch(() => {});
  }

  const loopOk = loop !== undefined && (loop.reason === 'finished' || loop.reason === 'steps-completed');
  const checksOk = checks.every((c) => c.ok);
  const failedCheck = checks.find((c) => !c.ok);
  const summary: Summary = {
    runId,
    taskId: task.id,
    engine: o.agent.name,
    success: !failure && loopOk && checksOk && (checks.length > 0 || loopOk),
    reason: failure?.reason ?? loop!.reason,
    detail:
      failure?.detail ??
      loop?.detail ??
      (failedCheck ? `success check ${JSON.stringify(failedCheck.checker)} did not hold: ${failedCheck.detail ?? ''}`.trim() : undefined),
    answer: loop?.answer,
    steps: loop?.steps ?? 0,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    timings: loop?.timings ?? { captureMs: 0, modelMs: 0, actMs: 0, settleMs: 0 },
    tokens: loop?.tokens ?? { input: 0, output: 0 },
    repairs: loop?.repairs ?? 0,
    parseFailures: loop?.parseFailures ?? 0,
    refusals: loop?.refusals ?? 0,
    checks,
    ...(desktop?.paint && { window: { painted: desktop.paint.painted, paintMs: Math.round(desktop.paint.ms) } }),
    traceDir: trace.dir,
  };
  if (loopOk && !checksOk && failedCheck) summary.detail = `success check ${JSON.stringify(failedCheck.checker)} did not hold: ${failedCheck.detail ?? ''}`.trim();
  const safe = policy.secrets.redactDeep(summary);
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
