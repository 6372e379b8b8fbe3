import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EvalEpisodeSchema, EvalSummarySchema } from './eval-summary-schema.ts';
import { EndpointStatSchema, EndReasonSchema, type EndpointStat } from '../core/trace-schema.ts';
import { mean, median, rateOf, RateSchema, round } from './stats.ts';

/**
 * DIR/summary.json of `handeye eval`: the report's eval schema (src/report/eval-index-schema.ts)
 * extended with what the eval command knows more. Every summary written is validated against
 * both this schema and the report's.
 */

/** completed: the agent ran (it may have failed); env-error: the page or setup never came up. */
export const EpisodeKindSchema = z.enum(['completed', 'env-error']);

export const EpisodeSchema = EvalEpisodeSchema.extend({
  kind: EpisodeKindSchema,
  parseFailures: z.number().int().nonnegative(),
  repairs: z.number().int().nonnegative(),
  timings: z.object({ captureMs: z.number(), modelMs: z.number(), actMs: z.number(), settleMs: z.number() }),
  url: z.string().optional(),
  finishedAt: z.string(),
  /** The model servers the episode's calls went to, when there were several. */
  endpoints: z.array(EndpointStatSchema).optional(),
  /** Queue evals: the worker (host:pid) that ran it, and why its trace was not brought back when it was not. */
  worker: z.string().optional(),
  traceNote: z.string().optional(),
  /** The goal as the page gave it (MiniWoB++'s utterance). */
  goal: z.string().optional(),
  /** The page's own score (MiniWoB++): raw reward, time-scaled reward, and its reason. */
  reward: z.object({ raw: z.number(), reward: z.number(), reason: z.string().optional() }).optional(),
});
export type Episode = z.infer<typeof EpisodeSchema>;

const Spread = z.object({ mean: z.number(), median: z.number() });

export const AggregatesSchema = z.object({
  /** Success over completed episodes (environment errors are counted apart, not as failures). */
  overall: RateSchema,
  categories: z.record(z.string(), RateSchema),
  completed: z.number().int(),
  envErrors: z.number().int(),
  steps: Spread,
  stepLimitHits: z.number().int(),
  reasons: z.record(z.string(), z.number().int()),
  /** Parse failures per step taken. */
  parseFailureRate: z.number(),
  repairs: z.number().int(),
  /** Calls, errors and latency per model server over all episodes, when calls went to several. */
  endpoints: z.array(EndpointStatSchema).optional(),
  /** Mean time per step, model and environment (capture + act + settle). */
  timePerStep: z.object({ modelMs: z.number(), envMs: z.number() }),
  tokensPerEpisode: z.object({ input: z.number(), output: z.number() }),
});

export const RunSummarySchema = EvalSummarySchema.extend({
  episodes: z.array(EpisodeSchema),
  aggregates: AggregatesSchema,
  seeds: z.array(z.number().int()),
  mode: z.enum(['goal', 'steps']),
  concurrency: z.number().int().positive(),
  /** Episodes planned (tasks × seeds) and not finished yet: an interrupted run leaves some. */
  planned: z.number().int(),
  pending: z.array(z.object({ task: z.string(), seed: z.number().int() })),
  interrupted: z.boolean(),
  invalidTasks: z.array(z.object({ file: z.string(), error: z.string() })),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export { EndReasonSchema };

export function aggregate(episodes: Episode[]): RunSummary['aggregates'] {
  const done = episodes.filter((e) => e.kind === 'completed');
  const byCat = new Map<string, Episode[]>();
  for (const e of done) byCat.set(e.category, [...(byCat.get(e.category) ?? []), e]);
  const categories: Record<string, ReturnType<typeof rateOf>> = {};
  for (const [c, es] of [...byCat].sort(([a], [b]) => a.localeCompare(b))) categories[c] = rateOf(es.filter((e) => e.success).length, es.length);
  const reasons: Record<string, number> = {};
  for (const e of episodes) {
    const key = e.kind === 'env-error' ? 'env-error' : e.reason;
    reasons[key] = (reasons[key] ?? 0) + 1;
  }
  const totalSteps = done.reduce((a, e) => a + e.steps, 0);
  return {
    overall: rateOf(done.filter((e) => e.success).length, done.length),
    categories,
    completed: done.length,
    envErrors: episodes.length - done.length,
    steps: { mean: round(mean(done.map((e) => e.steps)), 2), median: median(done.map((e) => e.steps)) },
    stepLimitHits: done.filter((e) => e.reason === 'max-steps').length,
    reasons,
    parseFailureRate: totalSteps ? round(done.reduce((a, e) => a + e.parseFailures, 0) / totalSteps, 4) : 0,
    repairs: done.reduce((a, e) => a + e.repairs, 0),
    timePerStep: {
      modelMs: totalSteps ? round(done.reduce((a, e) => a + e.modelMs, 0) / totalSteps) : 0,
      envMs: totalSteps ? round(done.reduce((a, e) => a + e.envMs, 0) / totalSteps) : 0,
    },
    tokensPerEpisode: {
      input: round(mean(done.map((e) => e.tokens.input))),
      output: round(mean(done.map((e) => e.tokens.output))),
    },
    ...endpointTotals(episodes),
  };
}

/** Each server's calls and errors summed over the episodes; its mean latency weighted by its answered calls. */
function endpointTotals(episodes: Episode[]): { endpoints?: EndpointStat[] } {
  const by = new Map<string, { calls: number; errors: number; answered: number; msSum: number }>();
  for (const e of episodes) {
    for (const x of e.endpoints ?? []) {
      const t = by.get(x.url) ?? { calls: 0, errors: 0, answered: 0, msSum: 0 };
      t.calls += x.calls;
      t.errors += x.errors;
      const answered = x.calls - x.errors;
      if (x.meanMs !== undefined && answered > 0) {
        t.answered += answered;
        t.msSum += x.meanMs * answered;
      }
      by.set(x.url, t);
    }
  }
  if (!by.size) return {};
  return { endpoints: [...by].map(([url, t]) => ({ url, calls: t.calls, errors: t.errors, ...(t.answered ? { meanMs: round(t.msSum / t.answered) } : {}) })) };
}

/** Writes JSON atomically (temp file + rename): a reader or a Ctrl-C never sees half a file. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, file);
}

/** Validates against this schema and the report's, then writes DIR/summary.json. */
export function writeRunSummary(dir: string, summary: RunSummary): void {
  const own = RunSummarySchema.safeParse(summary);
  if (!own.success) throw new Error(`internal: eval summary does not match its schema: ${own.error.issues[0]?.path.join('.')}: ${own.error.issues[0]?.message}`);
  const report = EvalSummarySchema.safeParse(summary);
  if (!report.success) throw new Error(`internal: eval summary does not match the report schema: ${report.error.issues[0]?.message}`);
  writeJsonAtomic(path.join(dir, 'summary.json'), summary);
}
