import { hostname } from 'node:os';
import path from 'node:path';
import { DelayedError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import type { Agent } from '../../core/agent.ts';
import { loadTaskFile } from '../../core/task.ts';
import { connectBrowserServer, launchChromium } from '../../executors/browser/chromium.ts';
import { cleanupWithin } from '../../run/run-clock.ts';
import { startStaticServer, type StaticServer } from '../../run/static-server.ts';
import { envErrorEpisode, runEpisode, type Planned } from '../episode.ts';
import { episodeRelDir } from '../suite.ts';
import { EpisodeJobSchema, HEARTBEAT_TTL_S, QUEUE_NAME, REFUSALS_KEY, TRACE_KEY_PREFIX, WORKER_KEY_PREFIX, type EpisodeJob, type EpisodeResult } from './jobs.ts';
import { redisOptions, type RedisConnection } from './redis.ts';
import { packTrace } from './trace-transfer.ts';

export interface WorkerOptions {
  queue: string;
  /** Episodes at once in this process (one agent each, one shared browser). */
  concurrency?: number;
  /** Where traces go: <traceRoot>/<runId>/episodes/<task>/seed-<n>/trace. */
  traceRoot?: string;
  /** This worker's handeye version; a job from an eval of another version is refused. */
  version: string;
  /** How long a worker may go silent (a lost machine) before its episode is given to another. */
  lockMs?: number;
  /** The agent an episode's engine settings make (the registry's createAgent). */
  makeAgent: (engine: EpisodeJob['engine']) => Promise<Agent>;
  signal?: AbortSignal;
  log?: (line: string) => void;
}


const COLLECT_TTL_S = 24 * 3600;
const CLOSE_GRACE_MS = 10_000;
/** A refused job waits this long before any worker may take it again. */
const REFUSED_DELAY_MS = 2000;


/**
 * `handeye worker`: takes episodes from the queue and runs them with its own browser and agents,
 * until the signal. A job that dies with its worker is taken again by another after BullMQ's stall
 * check; an environment failure is retried (the job's attempts) and then recorded as one.
 */
export async function runWorker(o: WorkerOptions): Promise<{ ran: number }> {
  const w = new QueueWorker(o);
  await w.start();
  try {
    await new Promise<void>((resolve) => {
      if (o.signal?.aborted) return resolve();
      o.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    await w.stop();
  }
  return { ran: w.ran };
}

/** What one worker process holds: its agents (one per engine setting and slot), browsers, page servers. */
class QueueWorker {
  readonly id = `${hostname()}:${process.pid}`;
  ran = 0;
  private running = 0;
  private readonly label: string;
  private readonly connection: RedisConnection;
  private readonly traceRoot: string;
  private readonly redis: Redis;
  private readonly idleAgents = new Map<string, Agent[]>();
  private readonly servers = new Map<string, Promise<StaticServer>>();
  private readonly browsers = new Map<string, Promise<Browser>>();
  private worker: Worker | undefined;
  private heart: NodeJS.Timeout | undefined;

  constructor(private readonly o: WorkerOptions) {
    const { label, ...connection } = redisOptions(o.queue);
    this.label = label;
    this.connection = connection;
    this.traceRoot = path.resolve(o.traceRoot ?? 'traces');
    this.redis = new Redis(connection);
    this.redis.on('error', () => {});
  }

  async start(): Promise<void> {
    const lockMs = this.o.lockMs ?? 30_000;
    const worker = new Worker(QUEUE_NAME, (job, token) => this.processJob(job, token), {
      connection: this.connection,
      concurrency: Math.max(1, this.o.concurrency ?? 1),
      lockDuration: lockMs,
      stalledInterval: Math.max(1000, Math.round(lockMs / 2)),
      maxStalledCount: 2,
    });
    worker.on('error', (e) => this.o.log?.(`queue error: ${e.message}`));
    worker.on('failed', (job, e) => this.o.log?.(`${job?.id}: ${e.message}`));
    worker.on('completed', (job) => this.o.log?.(`${job.id}: done`));
    this.worker = worker;
    await this.beat();
    this.heart = setInterval(() => void this.beat(), 2000);
    this.o.log?.(`worker ${this.id} (handeye ${this.o.version}) takes episodes from ${this.label}, ${this.o.concurrency ?? 1} at a time; traces under ${this.traceRoot}`);
  }

  async stop(): Promise<void> {
    clearInterval(this.heart);
    const worker = this.worker;
    // Running episodes end (the signal aborts them) and their jobs go back to the queue. A close
    // that waits on a connection Redis dropped is cut short: the stall check returns its jobs.
    // A close stuck on a Redis that went away is given up on: its jobs' locks lapse and the stall check returns them.
    if (worker && !(await cleanupWithin(worker.close(), CLOSE_GRACE_MS))) await cleanupWithin(worker.disconnect(), 2000);
    await cleanupWithin(this.redis.del(`${WORKER_KEY_PREFIX}${this.id}`), 2000);
    this.redis.disconnect();
    for (const agents of this.idleAgents.values()) for (const a of agents) await a.close?.().catch(() => {});
    for (const p of this.browsers.values()) await (await p.catch(() => undefined))?.close().catch(() => {});
    for (const s of this.servers.values()) await (await s.catch(() => undefined))?.close();
  }

  /** Tells evals this worker is alive (and its version), for their progress line. */
  private async beat(): Promise<void> {
    const state = { version: this.o.version, running: this.running, concurrency: this.o.concurrency ?? 1, at: new Date().toISOString() };
    await this.redis.set(`${WORKER_KEY_PREFIX}${this.id}`, JSON.stringify(state), 'EX', HEARTBEAT_TTL_S).catch(() => {});
  }

  /** One browser per place (a local Chromium, or each browser server a job names), reconnected when lost. */
  private getBrowser(ws?: string): Promise<Browser> {
    const key = ws ?? '';
    const current = this.browsers.get(key);
    if (current) {
      // Slots that find it gone reopen it once: the first replaces the entry, the others take the new one.
      const again = () => {
        if (this.browsers.get(key) === current) this.browsers.delete(key);
        return this.getBrowser(ws);
      };
      return current.then((b) => (b.isConnected() ? b : again()));
    }
    const opening = ws ? connectBrowserServer(ws) : launchChromium();
    this.browsers.set(key, opening);
    opening.catch(() => {
      if (this.browsers.get(key) === opening) this.browsers.delete(key);
    });
    return opening;
  }

  private serverFor(root: string): Promise<StaticServer> {
    let s = this.servers.get(root);
    if (!s) this.servers.set(root, (s = startStaticServer(root)));
    return s;
  }

  private async processJob(job: Job, token: string | undefined): Promise<EpisodeResult> {
    const data = EpisodeJobSchema.parse(job.data);
    if (data.version !== this.o.version) {
      const why = `worker ${this.id} runs handeye ${this.o.version}; the eval runs ${data.version}: run workers of the eval's version`;
      this.o.log?.(`refused ${job.id}: ${why}`);
      // Said where the eval looks, and handed back without using up an attempt: a worker of the right version may take it.
      await this.redis.hset(REFUSALS_KEY, job.id!, why).catch(() => {});
      await this.handBack(job, token, REFUSED_DELAY_MS);
    }
    this.o.log?.(`${job.id}: started (attempt ${job.attemptsMade + 1})`);
    const rel = episodeRelDir(data.task, data.seed);
    const out = path.join(this.traceRoot, data.runId);
    let st: Planned['st'];
    try {
      st = { ...(await loadTaskFile(data.taskFile)), file: path.resolve(data.taskFile), category: data.category };
    } catch (e) {
      const planned = { st: { task: { id: data.task } as never, file: data.taskFile, category: data.category }, seed: data.seed, rel };
      return this.retryOrFinish(job, data, envErrorEpisode(planned, '', `the task file is missing or unreadable on worker ${this.id}: ${data.taskFile} (${(e as Error).message.split('\n')[0]})`), out, rel);
    }
    const key = JSON.stringify(data.engine);
    const agent = this.idleAgents.get(key)?.pop() ?? (await this.o.makeAgent(data.engine));
    this.running++;
    try {
      const env = { out, agent, getBrowser: () => this.getBrowser(data.browserWs), serverFor: (root: string) => this.serverFor(root), mode: data.mode, maxSteps: data.maxSteps, signal: this.o.signal, browserWs: data.browserWs };
      const episode = await runEpisode({ st, seed: data.seed, rel }, env);
      // Stopped (Ctrl-C, SIGTERM) mid-episode: the job goes back for another worker, its attempts untouched.
      if (!episode) return await this.handBack(job, token, 0);
      this.ran++;
      return await this.retryOrFinish(job, data, episode, out, rel);
    } finally {
      this.running--;
      this.idleAgents.set(key, [...(this.idleAgents.get(key) ?? []), agent]);
    }
  }

  /** Returns the job to the queue (delayed by `ms`) without counting an attempt; never returns. */
  private async handBack(job: Job, token: string | undefined, ms: number): Promise<never> {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  }

  /** An environment failure is worth another try (maybe on another worker) while the job has attempts left. */
  private retryOrFinish(job: Job, data: EpisodeJob, episode: EpisodeResult['episode'], out: string, rel: string): Promise<EpisodeResult> {
    if (episode.kind === 'env-error' && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw new Error(`environment failure (will retry): ${episode.detail}`);
    return this.finish(job, data, episode, out, rel);
  }

  /** The result the eval records; with collect, the trace packed into Redis beside it. */
  private async finish(job: Job, data: EpisodeJob, episode: EpisodeResult['episode'], out: string, rel: string): Promise<EpisodeResult> {
    const traceDir = path.join(out, rel, 'trace');
    const result: EpisodeResult = { episode, worker: this.id, traceDir };
    if (data.collect) {
      const packed = packTrace(traceDir);
      if ('data' in packed) {
        const key = `${TRACE_KEY_PREFIX}${job.id}`;
        await this.redis.set(key, packed.data, 'EX', COLLECT_TTL_S);
        result.collected = key;
      } else result.collectError = packed.error;
    }
    return result;
  }
}
