import { z } from 'zod';
import { EpisodeSchema } from '../summary.ts';

/** The queue every handeye eval and worker share (a job says which eval it belongs to). */
export const QUEUE_NAME = 'handeye-episodes';
/** Redis keys beside BullMQ's: workers' heartbeats and collected traces. */
export const WORKER_KEY_PREFIX = 'handeye:worker:';
export const TRACE_KEY_PREFIX = 'handeye:trace:';
/** Job id → why a worker refused it (another handeye version): the eval shows it. */
export const REFUSALS_KEY = 'handeye:refusals';
/** A worker that has not said it is alive for this long is counted as gone. */
export const HEARTBEAT_TTL_S = 15;

/** One episode as a job: where its task file is, the seed, how to run it and with which engine. */
export const EpisodeJobSchema = z.object({
  /** The eval's handeye version: a worker of another version refuses the job. */
  version: z.string(),
  runId: z.string(),
  task: z.string(),
  seed: z.number().int().nonnegative(),
  /** Absolute path of the task file: the worker must see the same path (a shared checkout or folder). */
  taskFile: z.string(),
  category: z.string(),
  mode: z.enum(['goal', 'steps']),
  maxSteps: z.number().int().positive().optional(),
  engine: z
    .object({
      engine: z.string().optional(),
      baseUrl: z.union([z.string(), z.array(z.string())]).optional(),
      model: z.string().optional(),
      family: z.string().optional(),
      /** The name of the key's environment variable on the worker; never the key. */
      apiKeyEnv: z.string().optional(),
      endpointTimeoutMs: z.number().int().positive().optional(),
      /** A trace to replay: a path the worker sees. */
      replay: z.string().optional(),
    })
    .strict(),
  browserWs: z.string().optional(),
  /** Send the trace back through Redis (compressed), for a report of the whole run on the eval's machine. */
  collect: z.boolean().default(false),
});
export type EpisodeJob = z.infer<typeof EpisodeJobSchema>;

export const EpisodeResultSchema = z.object({
  episode: EpisodeSchema,
  /** The worker that ran it (host:pid) and where it wrote the trace, on that machine. */
  worker: z.string(),
  traceDir: z.string(),
  /** With collect: the Redis key holding the compressed trace, or why it was not sent. */
  collected: z.string().optional(),
  collectError: z.string().optional(),
});
export type EpisodeResult = z.infer<typeof EpisodeResultSchema>;

/** The same episode of the same eval is one job, however often it is enqueued. */
export function jobIdOf(runId: string, task: string, seed: number): string {
  // BullMQ reserves ":" in custom ids.
  return `${runId}.${task}.${seed}`.replace(/:/g, '_');
}
