import { hostname } from 'node:os';
import path from 'node:path';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import type { Agent } from '../../core/agent.ts';
import { loadTaskFile } from '../../core/task.ts';
import { connectBrowserServer, launchChromium } from '../../executors/browser/chromium.ts';
import { startStaticServer, type StaticServer } from '../../run/static-server.ts';
import { envErrorEpisode, runEpisode, type Planned } from '../episode.ts';
import { episodeRelDir } from '../suite.ts';
import { EpisodeJobSchema, HEARTBEAT_TTL_S, QUEUE_NAME, TRACE_KEY_PREFIX, WORKER_KEY_PREFIX, type EpisodeJob, type EpisodeResult } from './jobs.ts';
import { redisOptions } from './redis.ts';
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

/** A job this worker will not run (another version): it goes back for a worker that will. */
export class JobRefusedError extends Error {
  override name = 'JobRefusedError';
}

const COLLECT_TTL_S = 24 * 3600;
const CLOSE_GRACE_MS = 10_000;

/** True when `p` settled within `ms`. */
function boundedBy(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * `handeye worker`: takes episodes from the queue and runs them with its own browser and agents,
 * until the signal. A job that dies with its worker is taken again by another after BullMQ's stall
 * check; an environment failure is retried (the job's attempts) and then recorded as one.
 */
export async function runWorker(o: WorkerOptions): Promise<{ ran: number }> {
  const { label, ...connection } = redisOptions(o.queue);
  const id = `${hostname()}:${process.pid}`;
  const traceRoot = path.resolve(o.traceRoot ?? 'traces');
  const idleAgents = new Map<string, Agent[]>();
  const servers = new Map<string, Promise<StaticServer>>();
  const browsers = new Map<string, Promise<Browser>>();
  let ran = 0;
  let running = 0;
  const redis = new Redis(connection);
  redis.on('error', () => {});

  // One browser per place (a local Chromium, or each browser server a job names), reconnected when lost.
  const getBrowser = (ws?: string): Promise<Browser> => {
    const key = ws ?? '';
    const current = browsers.get(key);
    if (current) return current.then((b) => (b.isConnected() ? b : (browsers.delete(key), getBrowser(ws))));
    const opening = ws ? connectBrowserServer(ws) : launchChromium();
    browsers.set(key, opening);
    opening.catch(() => browsers.delete(key));
    return opening;
  };
  const serverFor = (root: string) => {
    let s = servers.get(root);
    if (!s) servers.set(root, (s = startStaticServer(root)));
    return s;
  };

  async function processJob(job: Job): Promise<EpisodeResult> {
    const data = EpisodeJobSchema.parse(job.data);
    if (data.version !== o.version) {
      o.log?.(`refused ${job.id}: this worker runs handeye ${o.version}, the eval ${data.version}`);
      throw new JobRefusedError(`worker ${id} runs handeye ${o.version}; the eval runs ${data.version}: run workers of the eval's version`);
    }
    o.log?.(`${job.id}: started (attempt ${job.attemptsMade + 1})`);
    const rel = episodeRelDir(data.task, data.seed);
    const out = path.join(traceRoot, data.runId);
    let st: Planned['st'];
    try {
      st = { ...(await loadTaskFile(data.taskFile)), file: path.resolve(data.taskFile), category: data.category };
    } catch (e) {
      const planned = { st: { task: { id: data.task } as never, file: data.taskFile, category: data.category }, seed: data.seed, rel };
      return finish(job, data, envErrorEpisode(planned, '', `the task file is missing or unreadable on worker ${id}: ${data.taskFile} (${(e as Error).message.split('\n')[0]})`), out, rel);
    }
    const key = JSON.stringify(data.engine);
    const agent = idleAgents.get(key)?.pop() ?? (await o.makeAgent(data.engine));
    running++;
    try {
      const episode = await runEpisode({ st, seed: data.seed, rel }, { out, agent, getBrowser: () => getBrowser(data.browserWs), serverFor, mode: data.mode, maxSteps: data.maxSteps, signal: o.signal, browserWs: data.browserWs });
      if (!episode) throw new Error(`worker ${id} stopped during the episode`);
      ran++;
      // An environment failure is worth another try while the job has attempts left.
      if (episode.kind === 'env-error' && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw new Error(`environment failure (will retry): ${episode.detail}`);
      return finish(job, data, episode, out, rel);
    } finally {
      running--;
      idleAgents.set(key, [...(idleAgents.get(key) ?? []), agent]);
    }
  }

  async function finish(job: Job, data: EpisodeJob, episode: EpisodeResult['episode'], out: string, rel: string): Promise<EpisodeResult> {
    const traceDir = path.join(out, rel, 'trace');
    const result: EpisodeResult = { episode, worker: id, traceDir };
    if (data.collect) {
      const packed = packTrace(traceDir);
      if ('data' in packed) {
        const key = `${TRACE_KEY_PREFIX}${job.id}`;
        await redis.set(key, packed.data, 'EX', COLLECT_TTL_S);
        result.collected = key;
      } else result.collectError = packed.error;
    }
    return result;
  }

  const lockMs = o.lockMs ?? 30_000;
  const worker = new Worker(QUEUE_NAME, processJob, {
    connection,
    concurrency: Math.max(1, o.concurrency ?? 1),
    lockDuration: lockMs,
    stalledInterval: Math.max(1000, Math.round(lockMs / 2)),
    maxStalledCount: 2,
  });
  worker.on('error', (e) => o.log?.(`queue error: ${e.message}`));
  worker.on('failed', (job, e) => o.log?.(`${job?.id}: ${e.message}`));
  worker.on('completed', (job) => o.log?.(`${job.id}: done`));
  const beat = async () => {
    await redis.set(`${WORKER_KEY_PREFIX}${id}`, JSON.stringify({ version: o.version, running, concurrency: o.concurrency ?? 1, at: new Date().toISOString() }), 'EX', HEARTBEAT_TTL_S).catch(() => {});
  };
  await beat();
  const heart = setInterval(beat, 2000);
  o.log?.(`worker ${id} (handeye ${o.version}) takes episodes from ${label}, ${o.concurrency ?? 1} at a time; traces under ${traceRoot}`);
  try {
    await new Promise<void>((resolve) => {
      if (o.signal?.aborted) return resolve();
      o.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    clearInterval(heart);
    // Running episodes end (the signal aborts them) and their jobs go back to the queue. A close
    // that waits on a connection Redis dropped is cut short: the stall check returns its jobs.
    await boundedBy(worker.close(), CLOSE_GRACE_MS).then((closed) => (closed ? undefined : worker.close(true).catch(() => {})));
    await redis.del(`${WORKER_KEY_PREFIX}${id}`).catch(() => {});
    redis.disconnect();
    for (const agents of idleAgents.values()) for (const a of agents) await a.close?.().catch(() => {});
    for (const p of browsers.values()) await (await p.catch(() => undefined))?.close().catch(() => {});
    for (const s of servers.values()) await (await s.catch(() => undefined))?.close();
  }
  return { ran };
}
