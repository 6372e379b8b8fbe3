import { existsSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ENGINE_NAMES, EngineConfigError } from '../../agents/registry.ts';
import { loadTaskFile, parseTask, TaskFileError, type Task } from '../core/task.ts';
import { TraceError } from '../core/trace.ts';
import type { Summary } from '../core/trace-schema.ts';

/** Exit codes are a public contract: 0 task succeeded, 1 task ran and failed, 2 bad usage or unreachable component. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

class UsageError extends Error {
  override name = 'UsageError';
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function size(value: string): [number, number] {
  const m = /^(\d+)\s*[x×]\s*(\d+)$/i.exec(value.trim());
  if (!m || +m[1] <= 0 || +m[2] <= 0) throw new InvalidArgumentError(`expected WIDTHxHEIGHT like 1280x720, got ${JSON.stringify(value)}`);
  return [+m[1], +m[2]];
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got ${JSON.stringify(value)}`);
  return n;
}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
};

function summaryLine(s: Summary): string {
  const secs = (s.durationMs / 1000).toFixed(1);
  const detail = s.detail ? ` (${s.detail})` : '';
  return `${s.success ? 'SUCCESS' : 'FAILED'}: ${s.taskId} ${s.reason}${detail} in ${s.steps} step(s), ${secs} s; trace: ${s.traceDir}`;
}

interface RunFlags {
  url?: string;
  goal?: string;
  engine?: string;
  replay?: string;
  baseUrl?: string;
  model?: string;
  family?: string;
  apiKeyEnv?: string;
  trace?: string;
  headed?: boolean;
  cdp?: string;
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
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number >= 0, got ${JSON.stringify(value)}`);
  return n;
}

async function runCommand(file: string | undefined, flags: RunFlags, io: Io): Promise<number> {
  let task: Task;
  let taskFile: string | undefined;
  // --resume: the interrupted run's trace says which task file and which step to continue from.
  const { resumePoint, resumedTraceDir, ResumeError } = await import('../run/resume.ts');
  let resume: { fromStep: number; traceDir: string } | undefined;
  if (flags.resume) {
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
  if (file) {
    if (flags.url || flags.goal) throw new UsageError('give either a task file or --url with --goal, not both');
    const loaded = await loadTaskFile(file);
    task = loaded.task;
    taskFile = loaded.file;
  } else {
    if (!flags.url || !flags.goal) throw new UsageError('handeye run needs a task file, or --url URL together with --goal TEXT');
    task = parseTask(
      {
        id: 'adhoc',
        app: { web: { url: flags.url, viewport: flags.viewport ?? [1280, 720], deviceScaleFactor: flags.dpr ?? 1 } },
        goal: flags.goal,
      },
      '--url/--goal',
    );
  }
  if (flags.viewport && 'web' in task.app) task.app.web.viewport = flags.viewport;
  if (flags.dpr && 'web' in task.app) task.app.web.deviceScaleFactor = flags.dpr;

  // Loaded on demand: `handeye --help` should not pay for Playwright, sharp and ONNX.
  const { createAgent } = await import('../../agents/registry.ts');
  const { runTask } = await import('../run/run-task.ts');
  const { loadPolicyFile } = await import('../core/policy-schema.ts');
  const { cliConfirm } = await import('../policy/confirm-prompt.ts');
  const policyFile = flags.policy ?? process.env.HANDEYE_POLICY;
  const globalPolicy = policyFile ? await loadPolicyFile(policyFile) : undefined;
  const agent = await createAgent({
    engine: flags.engine,
    replay: flags.replay,
    baseUrl: flags.baseUrl,
    model: flags.model,
    family: flags.family,
    apiKeyEnv: flags.apiKeyEnv,
  });
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    io.err('interrupted: finishing the trace (press Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await runTask({
      task,
      taskFile,
      agent,
      traceDir: flags.trace,
      headed: flags.headed,
      cdp: flags.cdp,
      xvfb: flags.xvfb,
      maxSteps: flags.maxSteps,
      timeoutMs: flags.timeoutMs,
      modelTimeoutMs: flags.modelTimeoutMs,
      maxTokens: flags.maxTokens,
      maxRepairs: flags.maxRepairs,
      resume,
      policy: globalPolicy,
      confirm: cliConfirm({ yes: flags.yes, isTty: !!process.stdin.isTTY, streams: { input: process.stdin, output: process.stderr } }),
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'started') io.err(`handeye: ${task.id} on ${agent.name}${e.url ? ` at ${e.url}` : ''}; trace: ${e.traceDir}`);
        else if (e.type === 'step') io.err(e.line);
        else if (e.type === 'rejected') io.err(`  rejected (attempt ${e.attempt + 1}): ${e.errors.join('; ')}`);
      },
    });
    io.err(summaryLine(summary));
    if (flags.report) {
      const { writeRunReport } = await import('../report/index.ts');
      io.err(`report: ${await writeRunReport(summary.traceDir)}`);
    }
    if (flags.json) io.out(JSON.stringify(summary, null, 2));
    if (summary.success) return EXIT.ok;
    // Nothing ran: the browser, the page or the engine could not be reached.
    if (summary.reason === 'error' && summary.steps === 0) return EXIT.usage;
    return EXIT.failed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await agent.close?.();
  }
}

export function buildProgram(io: Io = defaultIo): { program: Command; result: { code: number } } {
  const result = { code: EXIT.ok as number };
  const program = new Command('handeye')
    .description('GUI-automation agent: sees the screen, decides with a VLM or the embedded OCR engine, acts with a real mouse and keyboard')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run handeye --help for usage)');

  program
    .command('run')
    .description('run a task file, or an ad-hoc goal on a page')
    .argument('[task]', 'task file (YAML)')
    .option('--url <url>', 'page to open for an ad-hoc goal')
    .option('--goal <text>', 'ad-hoc goal, in words')
    .addOption(new Option('--engine <name>', 'engine to decide with').choices([...ENGINE_NAMES]))
    .option('--replay <trace-dir>', 'with --engine replay: the trace to replay')
    .option('--base-url <url>', 'with --engine openai: the server, e.g. http://127.0.0.1:8000/v1')
    .option('--model <name>', 'with --engine openai: the served model name')
    .option('--family <name>', 'with --engine openai: model family profile (glm-4.1v-thinking, glm-4.5v, ui-tars-1.5, qwen2.5-vl, generic)')
    .option('--api-key-env <NAME>', 'with --engine openai: environment variable holding the API key')
    .option('--trace <dir>', 'where to write the trace (default traces/<task>-<time>)')
    .option('--headed', 'show the browser window')
    .option('--cdp <url>', 'connect to a running browser over CDP instead of launching one')
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
    .action(async (file: string | undefined, flags: RunFlags) => {
      result.code = await runCommand(file, flags, io);
    });

  const engineOptions = (cmd: Command) =>
    cmd
      .addOption(new Option('--engine <name>', 'engine to decide with').choices([...ENGINE_NAMES]))
      .option('--replay <trace-dir>', 'with --engine replay: the trace to replay')
      .option('--base-url <url>', 'with --engine openai: the server')
      .option('--model <name>', 'with --engine openai: the served model name')
      .option('--family <name>', 'with --engine openai: model family profile')
      .option('--api-key-env <NAME>', 'with --engine openai: environment variable holding the API key');

  engineOptions(
    program
      .command('eval')
      .description('run a task suite: every task x seed, K episodes in parallel, with a summary and honest statistics')
      .argument('<inputs...>', 'suite directories or task files')
      .option('--seeds <n>', 'seeds 0..n-1 per task (default 3)', positiveInt)
      .option('--seed-list <a,b,c>', 'explicit seeds')
      .option('--concurrency <k>', 'episodes in parallel (one browser per worker)', positiveInt)
      .option('--max-steps <n>', 'step budget per episode', positiveInt)
      .addOption(new Option('--mode <mode>', 'drive episodes by their goal or their scripted steps').choices(['goal', 'steps']).default('goal'))
      .requiredOption('--out <dir>', 'output directory (re-running with the same --out resumes)'),
  ).action(async (inputs: string[], flags: Record<string, unknown>) => {
    const { evalCommand, parseSeedList } = await import('../eval/eval-command.ts');
    let seedList: number[] | undefined;
    if (typeof flags.seedList === 'string') {
      try {
        seedList = parseSeedList(flags.seedList);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    result.code = await evalCommand(
      { ...(flags as object), inputs, seedList } as Parameters<typeof evalCommand>[0],
      { out: io.out, err: io.err, progress: (s) => process.stderr.write(s), tty: process.stderr.isTTY },
    );
  });

  engineOptions(
    program
      .command('eval-grounding')
      .description('grounding accuracy on a ScreenSpot-format dataset (v1/v2 or Pro): one point per instruction')
      .requiredOption('--dataset <dir>', 'dataset folder')
      .option('--limit <n>', 'evaluate at most N items', positiveInt)
      .requiredOption('--out <dir>', 'output directory'),
  ).action(async (flags: Record<string, unknown>) => {
    const { evalGroundingCommand } = await import('../eval/grounding.ts');
    result.code = await evalGroundingCommand(flags as unknown as Parameters<typeof evalGroundingCommand>[0], { out: io.out, err: io.err });
  });

  program
    .command('report')
    .description('write an HTML report: report.html in a run trace directory, index.html in an eval directory')
    .argument('<dir>', 'a trace directory (trace.jsonl) or an eval directory (summary.json)')
    .action(async (dir: string) => {
      const { writeReport, ReportError } = await import('../report/index.ts');
      try {
        const r = await writeReport(dir);
        io.out(r.file);
      } catch (e) {
        if (e instanceof ReportError) throw new UsageError(e.message);
        throw e;
      }
    });

  program
    .command('ground')
    .description('find a described target on a screenshot; prints {"point","box","text","score"} in image pixels')
    .argument('<image>', 'PNG or JPEG screenshot')
    .argument('<instruction>', 'what to find, e.g. \'the "Sign in" button\' or icon:./gear.png')
    .addOption(new Option('--engine <name>', 'grounding engine').choices(['embedded']).default('embedded'))
    .option('--scale <n>', "the screenshot's device pixel ratio (2 for a HiDPI capture): text detection runs at 1/scale", positiveNumber)
    .action(async (image: string, instruction: string, flags: { scale?: number }) => {
      const { groundImage } = await import('../../agents/embedded/ground/ground-image.ts');
      const r = await groundImage(image, instruction, { scale: flags.scale });
      if (r.ok) {
        io.out(JSON.stringify(r.result));
        result.code = EXIT.ok;
      } else {
        io.err(`handeye: ${r.message}`);
        for (const c of r.candidates ?? []) io.err(`  candidate: ${JSON.stringify(c)}`);
        result.code = r.usage ? EXIT.usage : EXIT.failed;
      }
    });

  program
    .command('resize')
    .description("the image size a model family's server will use for a screenshot, and its image tokens")
    .requiredOption('--family <name>', 'model family, e.g. glm-4.1v-thinking, ui-tars-1.5, qwen2.5-vl')
    .argument('<WxH>', 'screenshot size', size)
    .action(async ([w, h]: [number, number], flags: { family: string }) => {
      const { resizeInfo } = await import('../../agents/profile/inspect.ts');
      io.out(JSON.stringify(resizeInfo(flags.family, w, h)));
    });

  program
    .command('parse')
    .description("parse a model reply (on stdin) with a family's parser; prints canonical actions in frame pixels")
    .requiredOption('--family <name>', 'model family')
    .requiredOption('--image-size <WxH>', 'size of the frame the reply refers to', size)
    .action(async (flags: { family: string; imageSize: [number, number] }) => {
      const { parseReply } = await import('../../agents/profile/inspect.ts');
      const text = await readStdin();
      try {
        io.out(JSON.stringify(parseReply(flags.family, text, { width: flags.imageSize[0], height: flags.imageSize[1] })));
      } catch (e) {
        if ((e as Error).name === 'UnknownFamilyError') throw new UsageError((e as Error).message);
        io.err(`handeye: ${(e as Error).message}`);
        result.code = EXIT.failed;
      }
    });

  return { program, result };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const { program, result } = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof TaskFileError || e instanceof UsageError || e instanceof EngineConfigError || e instanceof TraceError) {
      io.err(`handeye: ${e.message}`);
      return EXIT.usage;
    }
    io.err(`handeye: ${(e as Error).message?.split('\n')[0] ?? String(e)}`);
    return EXIT.usage;
  }
}
