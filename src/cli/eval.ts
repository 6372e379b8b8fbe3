import path from 'node:path';
import { Option, type Command } from 'commander';
import type { Agent } from '../core/agent.ts';
import type { EngineOptions } from '../../agents/registry.ts';
import { loadSuite, resolveSeeds, SuiteError, type Suite } from '../eval/suite.ts';
import { catchInterrupts } from './interrupts.ts';
import { addEngineOptions, nonNegativeInt, positiveInt, UsageError, type Io } from './options.ts';

/**
 * `handeye eval <suite-dir | task files…> [engine flags] [--seeds N | --seed-list a,b,c]
 *  [--concurrency K] [--max-steps N] [--mode goal|steps] --out DIR`
 * Exit codes: 0 every completed episode passed, 1 some failed or the run was interrupted,
 * 2 bad usage (no tasks, bad flags, engine not configured).
 */

export interface EvalIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Raw stderr writes for the live progress line; defaults to err per line. */
  progress?: (s: string) => void;
  /** Whether progress may rewrite one line (a terminal). */
  tty?: boolean;
}

export interface EvalArgs extends EngineOptions {
  inputs: string[];
  seeds?: number;
  seedList?: number[];
  concurrency?: number;
  maxSteps?: number;
  mode?: 'goal' | 'steps';
  out: string;
  /** A Playwright browser server the episodes' pages open in (each worker connects once). */
  browserWs?: string;
  /** redis://HOST:PORT[/DB]: send the episodes to `handeye worker`s instead of running them here. */
  queue?: string;
  /** With queue: bring each episode's trace back through Redis. */
  collect?: boolean;
  /** With queue: extra tries for an episode whose environment failed. */
  envRetries?: number;
  /** A MiniWoB++ html folder: its tasks are the episodes (instead of inputs). */
  miniwob?: string;
  miniwobTasks?: string;
  miniwobTimeMs?: number;
  /** Tests: stop from outside instead of SIGINT. */
  signal?: AbortSignal;
  /** Tests: an agent factory instead of the engine flags. */
  makeAgent?: () => Promise<Agent>;
}

/** Parses "1,2,5" for --seed-list. */
export function parseSeedList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  const seeds = parts.map(Number);
  if (!parts.length || seeds.some((n) => !Number.isInteger(n) || n < 0)) throw new SuiteError(`--seed-list expects comma-separated non-negative integers, got ${JSON.stringify(value)}`);
  return seeds;
}

export function registerEval(program: Command, io: Io, result: { code: number }): void {
  addEngineOptions(
    program
      .command('eval')
      .description('run a task suite: every task x seed, K episodes in parallel, with a summary and honest statistics')
      .argument('[inputs...]', 'suite directories or task files (or --miniwob DIR)')
      .option('--seeds <n>', 'seeds 0..n-1 per task (default 3)', positiveInt)
      .option('--seed-list <a,b,c>', 'explicit seeds')
      .option('--concurrency <k>', 'episodes in parallel (one browser per worker)', positiveInt)
      .option('--max-steps <n>', 'step budget per episode', positiveInt)
      .option('--browser-ws <url>', 'open the episodes in a Playwright browser server (ws://host:port/...) instead of launching Chromium')
      .option('--queue <redis-url>', 'send the episodes as jobs to a Redis queue (redis://HOST:PORT[/DB]) that handeye worker processes take; rerunning resumes')
      .option('--collect', 'with --queue: bring each episode\'s trace back through Redis (compressed, frames included) so one report covers the run')
      .option('--miniwob <html-dir>', "run the MiniWoB++ tasks of this html/ folder (from a MiniWoB++ checkout): the page's utterance is the goal, its raw reward the score")
      .option('--miniwob-tasks <a,b,c>', 'with --miniwob: only these tasks (click-test, enter-text, ...)')
      .option('--miniwob-time-ms <n>', "with --miniwob: the page's episode time limit (core.EPISODE_MAX_TIME; official default 10000)", positiveInt)
      .option('--env-retries <n>', 'with --queue: extra tries for an episode whose environment failed (default 2)', nonNegativeInt)
      .addOption(new Option('--mode <mode>', 'drive episodes by their goal or their scripted steps').choices(['goal', 'steps']).default('goal'))
      .requiredOption('--out <dir>', 'output directory (re-running with the same --out resumes)'),
  ).action(async (inputs: string[], flags: Record<string, unknown>) => {
    let seedList: number[] | undefined;
    if (typeof flags.seedList === 'string') {
      try {
        seedList = parseSeedList(flags.seedList);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    result.code = await evalCommand(
      { ...(flags as object), inputs, seedList } as EvalArgs,
      { out: io.out, err: io.err, progress: (s) => process.stderr.write(s), tty: process.stderr.isTTY },
    );
  });
}

/** What an eval runs: the valid tasks, the seeds and an agent factory, or the exit code of a bad invocation. */
async function prepareEval(args: EvalArgs, io: EvalIo): Promise<{ suite: Suite; seeds: number[]; makeAgent: () => Promise<Agent>; engineLabel: string; engineArgs: EvalArgs } | number> {
  // Loaded on demand: `handeye --help` should not pay for Playwright, sharp and ONNX.
  const { createAgent, EngineConfigError, resolveModel } = await import('../../agents/registry.ts');
  if (!args.out) {
    io.err('handeye eval: --out DIR is required (episodes, traces and summary.json go there)');
    return 2;
  }
  if (args.concurrency !== undefined && (!Number.isInteger(args.concurrency) || args.concurrency < 1)) {
    io.err(`handeye eval: --concurrency must be a positive integer, got ${args.concurrency}`);
    return 2;
  }
  let suite: Suite;
  let seeds: number[];
  try {
    if (args.miniwob) {
      if (args.inputs?.length) throw new SuiteError('give either suite inputs or --miniwob DIR, not both');
      if (args.queue) throw new SuiteError('--miniwob runs on this machine; it cannot go through --queue yet');
      const { miniwobSuite } = await import('../eval/miniwob.ts');
      const names = args.miniwobTasks?.split(',').map((t) => t.trim()).filter(Boolean);
      suite = { tasks: miniwobSuite({ dir: args.miniwob, tasks: names, timeLimitMs: args.miniwobTimeMs }), invalid: [] };
    } else suite = await loadSuite(args.inputs);
    seeds = resolveSeeds(args);
  } catch (e) {
    if (!(e instanceof SuiteError)) throw e;
    io.err(`handeye eval: ${e.message}`);
    return 2;
  }
  for (const t of suite.invalid) io.err(`handeye eval: skipping invalid task file: ${t.error}`);
  if (!suite.tasks.length) {
    io.err('handeye eval: no valid tasks to run');
    return 2;
  }
  // The served model and family are settled once (and told once), not per task.
  let engineArgs = args;
  let makeAgent = args.makeAgent;
  // Build one agent now so a misconfigured engine is a usage error before any browser starts.
  let probe: Agent;
  try {
    if (!makeAgent && (args.engine ?? process.env.HANDEYE_ENGINE) === 'openai') {
      const r = await resolveModel({ ...args, onNotice: (line) => io.err(`handeye eval: ${line}`) });
      // Every server stays (several --base-url); the model and family are settled.
      engineArgs = { ...args, model: r.model, family: r.family };
    }
    makeAgent ??= () => createAgent(engineArgs);
    probe = await makeAgent();
  } catch (e) {
    if (!(e instanceof EngineConfigError)) throw e;
    io.err(`handeye eval: ${e.message}`);
    return 2;
  }
  await probe.close?.();
  return { suite, seeds, makeAgent, engineLabel: probe.name, engineArgs };
}

/** The queue an eval sends its episodes to, checked before anything is sent (or exit 2). */
async function queueFor(args: EvalArgs, out: string, io: EvalIo) {
  const { checkRedis, QueueConfigError } = await import('../eval/queue/redis.ts');
  try {
    await checkRedis(args.queue!);
  } catch (e) {
    if (!(e instanceof QueueConfigError)) throw e;
    io.err(`handeye eval: ${e.message}`);
    return 2;
  }
  const { queueDispatch } = await import('../eval/queue/dispatch.ts');
  const { packageVersion } = await import('./version.ts');
  const engine = { engine: args.engine, baseUrl: args.baseUrl, model: args.model, family: args.family, apiKeyEnv: args.apiKeyEnv, endpointTimeoutMs: args.endpointTimeoutMs, replay: args.replay };
  return queueDispatch({
    queue: args.queue!,
    out,
    version: packageVersion(),
    mode: args.mode ?? 'goal',
    maxSteps: args.maxSteps,
    engine: Object.fromEntries(Object.entries(engine).filter(([, v]) => v !== undefined)),
    browserWs: args.browserWs,
    collect: args.collect,
    envRetries: args.envRetries,
    log: (line) => io.err(`handeye eval: ${line}`),
  });
}

export async function evalCommand(args: EvalArgs, io: EvalIo): Promise<number> {
  const prepared = await prepareEval(args, io);
  if (typeof prepared === 'number') return prepared;
  const { suite, seeds, makeAgent, engineLabel, engineArgs } = prepared;
  const { ProgressLine } = await import('../eval/progress.ts');
  const { runEval } = await import('../eval/runner.ts');
  const { percent: pct } = await import('../eval/stats.ts');
  const { writeSummaryMarkdown } = await import('../eval/summary-md.ts');
  const interrupts = catchInterrupts(io.err, '\ninterrupted: stopping running episodes; summary.json keeps what finished (Ctrl-C again to quit at once)', args.signal);
  const line = new ProgressLine(io.progress ?? ((s) => io.err(s.replace(/\n$/, ''))), io.tty ?? false);
  const out = path.resolve(args.out);
  let dispatch;
  if (args.queue) {
    const queued = await queueFor(engineArgs, out, io);
    if (typeof queued === 'number') {
      interrupts.dispose();
      return queued;
    }
    dispatch = queued;
  }
  io.err(`handeye eval: ${suite.tasks.length} task(s) × ${seeds.length} seed(s) with ${engineLabel}, ${args.queue ? `on the workers of ${args.queue}` : `concurrency ${args.concurrency ?? 1}`}; writing ${out}`);
  try {
    const summary = await runEval({
      tasks: suite.tasks,
      invalidTasks: suite.invalid,
      seeds,
      out,
      makeAgent,
      concurrency: args.concurrency,
      maxSteps: args.maxSteps,
      browserWs: args.browserWs,
      mode: args.mode,
      engineLabel,
      model: args.model,
      suiteLabel: args.miniwob ? `MiniWoB++ ${args.miniwob}` : args.inputs.length === 1 ? args.inputs[0] : `${args.inputs.length} inputs`,
      signal: interrupts.signal,
      onProgress: (p) => line.update(p),
      dispatch,
    });
    line.end();
    writeSummaryMarkdown(out, summary);
    const a = summary.aggregates;
    io.err(
      `${summary.interrupted ? 'INTERRUPTED' : 'DONE'}: ${a.overall.successes}/${a.overall.n} passed, ${pct(a.overall.rate)} (95% CI ${pct(a.overall.low)}–${pct(a.overall.high)}); ${a.envErrors} env error(s); ${summary.pending.length} pending; summary: ${path.join(out, 'summary.md')}`,
    );
    if (summary.interrupted || summary.pending.length) return 1;
    return a.overall.successes === a.overall.n && a.envErrors === 0 ? 0 : 1;
  } finally {
    line.end();
    interrupts.dispose();
  }
}
