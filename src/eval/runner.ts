import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { Agent } from '../core/agent.ts';
import { connectBrowserServer, launchChromium } from '../executors/browser/chromium.ts';
import { startStaticServer, type StaticServer } from '../run/static-server.ts';
import { episodeRelDir, type InvalidTask, type SuiteTask } from './suite.ts';
import { runEpisode, type Planned } from './episode.ts';

export type { Planned };
import { aggregate, EpisodeSchema, writeJsonAtomic, writeRunSummary, type Episode, type RunSummary } from './summary.ts';

/**
 * Runs tasks × seeds, K episodes at a time. Each worker owns one browser and gives every episode
 * a fresh context in it. Finished episodes are recorded in episodes/<task>/seed-<n>/episode.json
 * (atomically); summary.json is rewritten after each one, so an interrupted run leaves a
 * consistent summary, and a rerun with the same folder skips what is recorded.
 */

export const EPISODE_FILE = 'episode.json';

export interface EvalProgress {
  done: number;
  total: number;
  /** Episodes done before this run started (skipped on resume). */
  skipped: number;
  passed: number;
  completed: number;
  envErrors: number;
  last?: Episode;
  /** Queue evals: episodes running on workers now, and the workers alive. */
  running?: number;
  workers?: number;
}

/**
 * Runs the pending episodes somewhere other than this process (a job queue's workers): calls
 * `record` once per finished episode, `status` when the remote state changes, and returns when
 * every episode is recorded or the signal fires.
 */
export type EpisodeDispatch = (o: {
  pending: Planned[];
  record: (p: Planned, e: Episode) => void;
  status: (s: { running: number; workers: number }) => void;
  signal?: AbortSignal;
}) => Promise<void>;

export interface RunEvalOptions {
  tasks: SuiteTask[];
  invalidTasks?: InvalidTask[];
  seeds: number[];
  out: string;
  /** One agent per worker (agents may keep per-run state; one each keeps workers apart). */
  makeAgent: () => Promise<Agent>;
  concurrency?: number;
  maxSteps?: number;
  /** A Playwright browser server to open the episodes in (ws://…); a dropped connection is an environment failure. */
  browserWs?: string;
  /** goal: the agent plans from the task's goal; steps: it follows the scripted steps. */
  mode?: 'goal' | 'steps';
  engineLabel?: string;
  model?: string;
  suiteLabel?: string;
  signal?: AbortSignal;
  onProgress?: (p: EvalProgress) => void;
  /** Run the episodes elsewhere (--queue) instead of in local workers. */
  dispatch?: EpisodeDispatch;
}


/** The episodes already recorded in an eval folder, by task and seed. Unreadable records count as not done. */
export function readFinishedEpisodes(out: string, planned: { taskId: string; seed: number }[]): Map<string, Episode> {
  const found = new Map<string, Episode>();
  for (const p of planned) {
    const file = path.join(out, episodeRelDir(p.taskId, p.seed), EPISODE_FILE);
    if (!existsSync(file)) continue;
    try {
      const r = EpisodeSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (r.success && r.data.task === p.taskId && r.data.seed === p.seed) found.set(key(p.taskId, p.seed), r.data);
    } catch {
      // A torn or foreign file: the episode runs again.
    }
  }
  return found;
}

const key = (taskId: string, seed: number) => `${taskId}\u0000${seed}`;

export async function runEval(o: RunEvalOptions): Promise<RunSummary> {
  return new EvalRun(o).run();
}

/** One eval run: the planned episodes, those already recorded, and the static servers it started. */
class EvalRun {
  private readonly mode: 'goal' | 'steps';
  private readonly concurrency: number;
  private readonly planned: Planned[] = [];
  private readonly finished: Map<string, Episode>;
  private readonly skipped: number;
  private readonly queue: Planned[];
  private readonly startedAt = new Date().toISOString();
  private readonly t0 = Date.now();
  private readonly servers = new Map<string, Promise<StaticServer>>();
  /** What a dispatch last said of its workers. */
  private remote: { running: number; workers: number } | undefined;

  constructor(private readonly o: RunEvalOptions) {
    this.mode = o.mode ?? 'goal';
    this.concurrency = Math.max(1, Math.floor(o.concurrency ?? 1));
    mkdirSync(o.out, { recursive: true });
    for (const st of o.tasks) for (const seed of o.seeds) this.planned.push({ st, seed, rel: episodeRelDir(st.task.id, seed) });
    this.finished = readFinishedEpisodes(o.out, this.planned.map((p) => ({ taskId: p.st.task.id, seed: p.seed })));
    // Environment errors are retried on resume: they say nothing about the agent.
    for (const [k, e] of this.finished) if (e.kind !== 'completed') this.finished.delete(k);
    this.skipped = this.finished.size;
    this.queue = this.planned.filter((p) => !this.finished.has(key(p.st.task.id, p.seed)));
  }

  async run(): Promise<RunSummary> {
    writeRunSummary(this.o.out, this.summaryNow(false));
    this.progress();
    try {
      if (this.o.dispatch) {
        await this.o.dispatch({
          pending: this.queue,
          record: (p, e) => {
            if (!this.finished.has(key(p.st.task.id, p.seed)) || this.finished.get(key(p.st.task.id, p.seed))!.kind !== 'completed') this.record(p, e);
          },
          status: (st) => {
            this.remote = st;
            this.progress();
          },
          signal: this.o.signal,
        });
      } else await Promise.all(Array.from({ length: Math.min(this.concurrency, Math.max(1, this.queue.length)) }, () => this.worker()));
    } finally {
      for (const s of this.servers.values()) await (await s.catch(() => undefined))?.close();
    }
    const final = this.summaryNow(!!this.o.signal?.aborted);
    writeRunSummary(this.o.out, final);
    return final;
  }

  private serverFor(root: string): Promise<StaticServer> {
    let s = this.servers.get(root);
    if (!s) this.servers.set(root, (s = startStaticServer(root)));
    return s;
  }

  private summaryNow(interrupted: boolean): RunSummary {
    const { o, planned, finished } = this;
    const episodes = planned.map((p) => finished.get(key(p.st.task.id, p.seed))).filter((e): e is Episode => e !== undefined);
    return {
      type: 'eval',
      version: 1,
      suite: o.suiteLabel,
      engine: o.engineLabel ?? 'unknown',
      model: o.model,
      startedAt: this.startedAt,
      durationMs: Date.now() - this.t0,
      episodes,
      aggregates: aggregate(episodes),
      seeds: o.seeds,
      mode: this.mode,
      concurrency: this.concurrency,
      planned: planned.length,
      pending: planned.filter((p) => !finished.has(key(p.st.task.id, p.seed))).map((p) => ({ task: p.st.task.id, seed: p.seed })),
      interrupted,
      invalidTasks: o.invalidTasks ?? [],
    };
  }

  private progress(last?: Episode): void {
    const eps = [...this.finished.values()];
    const count = (f: (e: Episode) => boolean) => eps.filter(f).length;
    this.o.onProgress?.({ done: this.finished.size, total: this.planned.length, skipped: this.skipped, passed: count((e) => e.success), completed: count((e) => e.kind === 'completed'), envErrors: count((e) => e.kind === 'env-error'), last, ...this.remote });
  }

  private record(p: Planned, e: Episode): void {
    writeJsonAtomic(path.join(this.o.out, p.rel, EPISODE_FILE), e);
    this.finished.set(key(p.st.task.id, p.seed), e);
    writeRunSummary(this.o.out, this.summaryNow(false));
    this.progress(e);
  }

  /** One worker: its own agent and browser, episodes taken from the queue until it is empty or the run is stopped. */
  private async worker(): Promise<void> {
    let browser: Browser | undefined;
    let agent: Agent | undefined;
    const getBrowser = async () => {
      if (!browser || !browser.isConnected()) browser = this.o.browserWs ? await connectBrowserServer(this.o.browserWs) : await launchChromium();
      return browser;
    };
    try {
      agent = await this.o.makeAgent();
      for (let p = this.queue.shift(); p && !this.o.signal?.aborted; p = this.queue.shift()) await this.runOne(p, agent, getBrowser);
    } finally {
      await agent?.close?.().catch(() => {});
      await browser?.close().catch(() => {});
    }
  }

  private async runOne(p: Planned, agent: Agent, getBrowser: () => Promise<Browser>): Promise<void> {
    const e = await runEpisode(p, { out: this.o.out, agent, getBrowser, serverFor: (root) => this.serverFor(root), mode: this.mode, maxSteps: this.o.maxSteps, signal: this.o.signal, browserWs: this.o.browserWs });
    // An aborted episode is not recorded: a rerun does it again.
    if (e) this.record(p, e);
  }
}
