import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { EngineOptions } from '../../agents/registry.ts';
import { frameSizeProblem } from '../core/frame-limits.ts';
import { loadTaskFile, parseTask, type Task } from '../core/task.ts';
import { TraceError } from '../core/trace.ts';
import type { Summary } from '../core/trace-schema.ts';
import type { Agent } from '../core/agent.ts';
import { catchInterrupts } from './interrupts.ts';
import { addEngineOptions, EXIT, nonNegativeInt, positiveInt, positiveNumber, size, UsageError, type Io } from './options.ts';

/** `handeye run [task] [flags]`: one task file, or an ad-hoc goal on a page. */

interface RunFlags extends EngineOptions {
  url?: string;
  goal?: string;
  trace?: string;
  headed?: boolean;
  cdp?: string;
  browserWs?: string;
  maxSteps?: number;
  timeoutMs?: number;
  modelTimeoutMs?: number;
  viewport?: [number, number];
  dpr?: number;
  json?: boolean;
  report?: boolean;
  policy?: string;
  yes?: boolean;
  resume?: string;
  maxTokens?: number;
  maxRepairs?: number;
  xvfb?: boolean;
  cache?: string;
  cacheMode?: 'read-write' | 'read-only' | 'write-only';
  heal?: boolean;
  /** --no-write: healed steps go to <task>.healed.yaml instead of the task file. */
  write?: boolean;
}

export function registerRun(program: Command, io: Io, result: { code: number }): void {
  addEngineOptions(
    program
      .command('run')
      .description('run a task file, or an ad-hoc goal on a page')
      .argument('[task]', 'task file (YAML)')
      .option('--url <url>', 'page to open for an ad-hoc goal')
      .option('--goal <text>', 'ad-hoc goal, in words'),
  )
    .option('--trace <dir>', 'where to write the trace (default traces/<task>-<time>)')
    .option('--headed', 'show the browser window')
    .option('--cdp <url>', 'connect to a running browser over CDP instead of launching one')
    .option('--browser-ws <url>', 'open the page in a Playwright browser server (ws://host:port/..., e.g. from handeye browser-server) instead of launching Chromium')
    .option('--max-steps <n>', 'step budget', positiveInt)
    .option('--timeout-ms <n>', 'time budget for the whole run', positiveInt)
    .option('--model-timeout-ms <n>', 'time budget for one model call', positiveInt)
    .option('--viewport <WxH>', 'viewport size in CSS pixels', size)
    .option('--dpr <n>', 'device scale factor', positiveNumber)
    .option('--json', 'print the summary as JSON on stdout')
    .option('--policy <file>', 'global policy (YAML): allowed origins, forbidden keys and regions, confirmations, typing cap (default $HANDEYE_POLICY)')
    .option('--yes', 'approve every action the policy says needs confirmation (otherwise a terminal asks, and a non-interactive run refuses)')
    .option('--resume <trace-dir>', 'continue an interrupted scripted run from the step after its last completed one (writes a new trace)')
    .option('--max-tokens <n>', 'model-token budget for the run', positiveInt)
    .option('--max-repairs <n>', 'repair attempts per step after an invalid or refused answer', nonNegativeInt)
    .option('--report', 'write report.html into the trace directory at the end')
    .option('--xvfb', 'desktop tasks: start a private Xvfb display (at app.desktop.screen, default 1280x800) and stop it after')
    .option('--cache <dir>', 'step cache for model runs: a step seen before on a screen like this one is re-grounded by the embedded engine and done without a model call')
    .addOption(new Option('--cache-mode <mode>', 'with --cache: read-write (default), read-only (use entries, write none), write-only (always ask the model, write its steps)').choices(['read-write', 'read-only', 'write-only']))
    .option('--heal', 'scripted tasks: ground each step with the embedded engine; a step it cannot find is asked of the model (--engine openai), and its new description is written into the task file')
    .option('--no-write', "with --heal: write the healed task to <task>.healed.yaml, leaving the task file as it is")
    .action(async (file: string | undefined, flags: RunFlags) => {
      result.code = await runCommand(file, flags, io);
    });
}

function summaryLine(s: Summary): string {
  const secs = (s.durationMs / 1000).toFixed(1);
  const detail = s.detail ? ` (${s.detail})` : '';
  return `${s.success ? 'SUCCESS' : 'FAILED'}: ${s.taskId} ${s.reason}${detail} in ${s.steps} step(s), ${secs} s; trace: ${s.traceDir}`;
}

function cacheLine(c: NonNullable<Summary['cache']>): string {
  return `cache: ${c.hits} hit(s), ${c.misses} miss(es), ${c.rejected} rejected; ${c.modelCalls} model call(s), ${c.savedCalls} saved (${(c.savedMs / 1000).toFixed(1)} s); ${c.written} written (${c.mode}, ${c.dir})`;
}

interface RunPlan {
  task: Task;
  taskFile?: string;
  resume?: { fromStep: number; traceDir: string };
}

/** The task to run: a task file, an interrupted run's (--resume), or an ad-hoc --url/--goal. */
async function planRun(file: string | undefined, flags: RunFlags): Promise<RunPlan> {
  let resume: RunPlan['resume'];
  if (flags.resume) {
    // --resume: the interrupted run's trace says which task file and which step to continue from.
    const { resumePoint, resumedTraceDir, ResumeError } = await import('../run/resume.ts');
    if (flags.url || flags.goal) throw new UsageError('--resume continues a task file run; it cannot take --url or --goal');
    let point;
    try {
      point = resumePoint(flags.resume);
    } catch (e) {
      if (e instanceof ResumeError || e instanceof TraceError) throw new UsageError(e.message);
      throw e;
    }
    file ??= point.taskFile;
    resume = { fromStep: point.fromStep, traceDir: point.traceDir };
    flags.trace ??= resumedTraceDir(point.traceDir, existsSync);
  }
  let plan: RunPlan;
  if (file) {
    if (flags.url || flags.goal) throw new UsageError('give either a task file or --url with --goal, not both');
    const loaded = await loadTaskFile(file);
    plan = { task: loaded.task, taskFile: loaded.file, resume };
  } else {
    if (!flags.url || !flags.goal) throw new UsageError('handeye run needs a task file, or --url URL together with --goal TEXT');
    const app = { web: { url: flags.url, viewport: flags.viewport ?? [1280, 720], deviceScaleFactor: flags.dpr ?? 1 } };
    plan = { task: parseTask({ id: 'adhoc', app, goal: flags.goal }, '--url/--goal') };
  }
  if (flags.viewport && 'web' in plan.task.app) plan.task.app.web.viewport = flags.viewport;
  if (flags.dpr && 'web' in plan.task.app) plan.task.app.web.deviceScaleFactor = flags.dpr;
  if ('web' in plan.task.app) {
    const { viewport, deviceScaleFactor } = plan.task.app.web;
    const tooBig = frameSizeProblem(viewport[0], viewport[1], deviceScaleFactor);
    if (tooBig) throw new UsageError(`--viewport/--dpr: ${tooBig}`);
  }
  return plan;
}

async function runCommand(file: string | undefined, flags: RunFlags, io: Io): Promise<number> {
  // From the start: a Ctrl-C while the agent loads still ends in a summary line and exit 1.
  const interrupts = catchInterrupts(io.err, 'interrupted: finishing the trace (press Ctrl-C again to quit at once)');
  try {
    return await planAndRun(file, flags, io, interrupts.signal);
  } finally {
    interrupts.dispose();
  }
}

async function planAndRun(file: string | undefined, flags: RunFlags, io: Io, signal: AbortSignal): Promise<number> {
  const { task, taskFile, resume } = await planRun(file, flags);
  // Loaded on demand: `handeye --help` should not pay for Playwright, sharp and ONNX.
  const { runTask } = await import('../run/run-task.ts');
  const { loadPolicyFile } = await import('../core/policy-schema.ts');
  const { cliConfirm } = await import('../policy/confirm-prompt.ts');
  const policyFile = flags.policy ?? process.env.HANDEYE_POLICY;
  const globalPolicy = policyFile ? await loadPolicyFile(policyFile) : undefined;
  const agent = await agentFor(task, taskFile, flags, io);
  if (signal.aborted) {
    await agent.close?.();
    io.err(`FAILED: ${task.id} aborted before it started`);
    return EXIT.failed;
  }
  try {
    const summary = await runTask({
      task,
      taskFile,
      agent,
      traceDir: flags.trace,
      headed: flags.headed,
      cdp: flags.cdp,
      browserWs: flags.browserWs,
      xvfb: flags.xvfb,
      maxSteps: flags.maxSteps,
      timeoutMs: flags.timeoutMs,
      modelTimeoutMs: flags.modelTimeoutMs,
      maxTokens: flags.maxTokens,
      maxRepairs: flags.maxRepairs,
      resume,
      policy: globalPolicy,
      confirm: cliConfirm({ yes: flags.yes, isTty: !!process.stdin.isTTY, streams: { input: process.stdin, output: process.stderr } }),
      signal,
      onEvent: (e) => {
        if (e.type === 'opening') io.err(`handeye: ${task.id}: opening ${e.what} (time budget ${((flags.timeoutMs ?? task.timeoutMs) / 1000).toFixed(0)} s)`);
        else if (e.type === 'started') io.err(`handeye: ${task.id} on ${agent.name}${e.url ? ` at ${e.url}` : ''}; trace: ${e.traceDir}`);
        else if (e.type === 'step') io.err(e.line);
        else if (e.type === 'rejected') io.err(`  rejected (attempt ${e.attempt + 1}): ${e.errors.join('; ')}`);
      },
    });
    const code = await reportRun(summary, flags, io);
    if (flags.heal) await reportHeal(agent, taskFile!, summary, flags, io);
    return code;
  } finally {
    await agent.close?.();
  }
}

/** The engine's agent, with a step cache in front (--cache) and image-target steps grounded by template matching. */
async function agentFor(task: Task, taskFile: string | undefined, flags: RunFlags, io: Io): Promise<Agent> {
  const { createAgent } = await import('../../agents/registry.ts');
  if (flags.cacheMode && !flags.cache) throw new UsageError('--cache-mode needs --cache DIR');
  if (flags.cache && (flags.engine ?? process.env.HANDEYE_ENGINE) !== 'openai') throw new UsageError('--cache keeps the steps a model decided: use it with --engine openai (the embedded engine needs no cache)');
  if (flags.heal && (flags.engine ?? process.env.HANDEYE_ENGINE) !== 'openai') throw new UsageError('--heal asks a model for the steps the embedded engine cannot find: add --engine openai --base-url URL');
  if (flags.heal && (!task.steps || !taskFile)) throw new UsageError('--heal heals the steps of a task file; this run has no scripted steps');
  if (flags.write === false && !flags.heal) throw new UsageError('--no-write goes with --heal');
  let agent = await createAgent({ ...flags, onNotice: (line) => io.err(`handeye: ${line}`) });
  if (flags.cache) {
    const { CachingAgent } = await import('../cache/caching-agent.ts');
    agent = new CachingAgent(agent, { dir: flags.cache, mode: flags.cacheMode, task: { id: task.id, goal: task.goal }, onWarning: (w) => io.err(`handeye: cache: ${w}`) });
  }
  const { hasImageSteps, ImageStepAgent, resolveImageTargets } = await import('../compile/image-steps.ts');
  if (flags.heal) {
    // The embedded engine does every step; the model only what it cannot find.
    const { HealingAgent } = await import('../compile/heal.ts');
    agent = new HealingAgent(new ImageStepAgent(await createAgent({ engine: 'embedded' })), agent);
  }
  if (hasImageSteps(task)) {
    task.steps = resolveImageTargets(task, taskFile).steps;
    if (!flags.heal) agent = new ImageStepAgent(agent);
  }
  return agent;
}

/** --heal: writes the steps the model did in the embedded engine's place into the task file (or <task>.healed.yaml). */
async function reportHeal(agent: Agent, taskFile: string, summary: Summary, flags: RunFlags, io: Io): Promise<void> {
  const { HealingAgent } = await import('../compile/heal.ts');
  const { healAssetFile, writeHealed } = await import('../compile/heal-write.ts');
  const healer = agent instanceof HealingAgent ? agent : (agent as { inner?: Agent }).inner;
  if (!(healer instanceof HealingAgent) || !healer.heals.length) {
    io.err('heal: every step was found by the embedded engine; nothing to heal');
    return;
  }
  const stamp = new Date().toISOString().slice(0, 19).replace(/\D/g, '');
  const healed = await healer.healedSteps((n) => healAssetFile(taskFile, n, stamp));
  if (!summary.success || !healed.length) {
    io.err(`heal: the run ${summary.success ? 'healed nothing the model could do' : 'failed'}; ${taskFile} is left as it is`);
    for (const h of healer.heals) io.err(`  step ${h.stepIndex + 1}: ${h.reason}`);
    return;
  }
  const { file, changes } = await writeHealed(taskFile, healed, { inPlace: flags.write !== false });
  for (const c of changes) io.err(`heal: step ${c.stepIndex + 1}: ${c.from} → ${c.to.join(', ')} (${c.reason.split(';')[0]})`);
  io.err(`heal: wrote ${file}`);
}

/** Prints the summary line (and the report, the JSON) and picks the exit code. */
async function reportRun(summary: Summary, flags: RunFlags, io: Io): Promise<number> {
  io.err(summaryLine(summary));
  if (summary.cache) io.err(cacheLine(summary.cache));
  if (flags.report) {
    const { writeRunReport } = await import('../report/index.ts');
    io.err(`report: ${await writeRunReport(summary.traceDir)}`);
  }
  if (flags.json) io.out(JSON.stringify(summary, null, 2));
  if (summary.success) return EXIT.ok;
  // Nothing ran, or nothing could: the browser, the page, the display or the model server could not be reached or used.
  if (summary.unreachable || (summary.reason === 'error' && summary.steps === 0)) return EXIT.usage;
  return EXIT.failed;
}
