import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { envErrorEpisode, type Planned } from '../episode.ts';
import type { EpisodeDispatch } from '../runner.ts';
import { writeJsonAtomic, type Episode } from '../summary.ts';
import { EpisodeResultSchema, jobIdOf, QUEUE_NAME, REFUSALS_KEY, WORKER_KEY_PREFIX, type EpisodeJob, type EpisodeResult } from './jobs.ts';
import { redisOptions } from './redis.ts';
import { unpackTrace } from './trace-transfer.ts';

export interface QueueDispatchOptions {
  /** redis://HOST:PORT[/DB] */
  queue: string;
  /** The eval's output folder: its queue.json keeps the run id, so a rerun finds its jobs again. */
  out: string;
  version: string;
  mode: 'goal' | 'steps';
  maxSteps?: number;
  engine: EpisodeJob['engine'];
  browserWs?: string;
  collect?: boolean;
  /** Extra tries for an episode whose environment failed (a page that did not load, a lost browser). */
  envRetries?: number;
  log?: (line: string) => void;
}

const POLL_MS = 300;

/** The run id of the eval in `out`: made once, kept in queue.json, so enqueuing again adds nothing. */
export function queueRunId(out: string): string {
  const file = path.join(out, 'queue.json');
  if (existsSync(file)) {
    try {
      const id = (JSON.parse(readFileSync(file, 'utf8')) as { runId?: unknown }).runId;
      if (typeof id === 'string' && /^[\w.-]+$/.test(id)) return id;
    } catch {
      // A torn file: a new id (the episodes already recorded are still skipped).
    }
  }
  const runId = `${path.basename(path.resolve(out)).replace(/[^\w.-]/g, '_')}-${randomBytes(4).toString('hex')}`;
  mkdirSync(out, { recursive: true });
  writeJsonAtomic(file, { runId, createdAt: new Date().toISOString() });
  return runId;
}

/**
 * Sends an eval's pending episodes to the queue as jobs and records each result as it comes back.
 * Ctrl-C stops waiting, not the jobs: they stay queued, and a rerun with the same output folder
 * picks up their results (and enqueues nothing twice).
 */
export function queueDispatch(o: QueueDispatchOptions): EpisodeDispatch {
  return async ({ pending, record, status, signal }) => {
    const { label, ...connection } = redisOptions(o.queue);
    const runId = queueRunId(o.out);
    const queue = new Queue(QUEUE_NAME, { connection });
    const redis = new Redis(connection);
    let lastError = '';
    const noteError = (e: unknown) => {
      const m = (e as Error).message.split('\n')[0];
      if (m !== lastError) o.log?.(`queue at ${label}: ${m} (retrying)`);
      lastError = m;
    };
    queue.on('error', noteError);
    redis.on('error', noteError);
    const byId = new Map(pending.map((p) => [jobIdOf(runId, p.st.task.id, p.seed), p]));
    const told = new Set<string>();
    try {
      await enqueue(queue, byId, runId, o);
      o.log?.(`${byId.size} episode(s) queued at ${label} as run ${runId}`);
      const left = new Set(byId.keys());
      while (left.size && !signal?.aborted) {
        try {
          for (const job of await queue.getJobs(['completed', 'failed'], 0, 999)) {
            const p = job.id ? byId.get(job.id) : undefined;
            if (!p || !left.has(job.id!)) continue;
            record(p, await finishedEpisode(job, p, o.out, redis));
            left.delete(job.id!);
            await job.remove().catch(() => {});
          }
          await tellRefusals(redis, left, told, o.log);
          status({ running: await queue.getActiveCount(), workers: await countWorkers(redis) });
          lastError = '';
        } catch (e) {
          noteError(e);
        }
        await sleep(POLL_MS, signal);
      }
    } finally {
      await queue.close().catch(() => {});
      redis.disconnect();
    }
  };
}

async function enqueue(queue: Queue, byId: Map<string, Planned>, runId: string, o: QueueDispatchOptions): Promise<void> {
  // A job an earlier run of this eval left failed is run again (its failure was recorded as an environment error).
  for (const id of byId.keys()) {
    const old = await queue.getJob(id);
    if (old && (await old.isFailed())) await old.remove();
  }
  await queue.addBulk(
    [...byId].map(([id, p]) => ({
      name: 'episode',
      data: {
        version: o.version,
        runId,
        task: p.st.task.id,
        seed: p.seed,
        taskFile: p.st.file,
        category: p.st.category,
        mode: o.mode,
        ...(o.maxSteps ? { maxSteps: o.maxSteps } : {}),
        engine: o.engine,
        ...(o.browserWs ? { browserWs: o.browserWs } : {}),
        collect: !!o.collect,
      } satisfies EpisodeJob,
      opts: { jobId: id, attempts: (o.envRetries ?? 2) + 1, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false },
    })),
  );
}

/** A finished job as an episode: a failed job, or a result that cannot be read or unpacked, is an environment failure of that episode alone. */
async function finishedEpisode(job: Job, p: Planned, out: string, redis: Redis): Promise<Episode> {
  try {
    if (await job.isFailed()) return envErrorEpisode(p, '', `the job failed on the workers: ${job.failedReason}`);
    return await localEpisode(EpisodeResultSchema.parse(job.returnvalue), p, out, redis);
  } catch (e) {
    return envErrorEpisode(p, '', `the worker's result could not be recorded: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Workers' refusals of this eval's jobs (another handeye version), each told once. */
async function tellRefusals(redis: Redis, left: Set<string>, told: Set<string>, log?: (line: string) => void): Promise<void> {
  const refusals = await redis.hgetall(REFUSALS_KEY);
  for (const [id, why] of Object.entries(refusals)) {
    if (!left.has(id)) continue;
    await redis.hdel(REFUSALS_KEY, id);
    if (told.has(why)) continue;
    told.add(why);
    log?.(`a worker refused an episode: ${why}`);
  }
}

/** The worker's episode as this eval records it: its trace pulled in (collect), or where the worker wrote it. */
async function localEpisode(r: EpisodeResult, p: Planned, out: string, redis: Redis): Promise<Episode> {
  mkdirSync(path.join(out, p.rel), { recursive: true });
  const e: Episode = { ...r.episode, worker: r.worker };
  if (r.collected) {
    const data = await redis.getBuffer(r.collected);
    if (data) {
      unpackTrace(data, path.join(out, p.rel, 'trace'));
      await redis.del(r.collected);
      return { ...e, traceDir: path.posix.join(p.rel, 'trace') };
    }
  }
  return { ...e, traceDir: r.traceDir, ...(r.collectError ? { traceNote: r.collectError } : {}) };
}

async function countWorkers(redis: Redis): Promise<number> {
  let n = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${WORKER_KEY_PREFIX}*`, 'COUNT', 200);
    n += keys.length;
    cursor = next;
  } while (cursor !== '0');
  return n;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
