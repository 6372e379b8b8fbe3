import { z } from 'zod';
import { EndReasonSchema, TokensSchema } from '../core/trace-schema.ts';

/**
 * The input of the eval index page: DIR/summary.json as `handeye eval` writes it.
 * The eval command (issue 6) writes exactly this shape; extra fields are allowed and ignored.
 */
export const EVAL_SUMMARY_VERSION = 1;

export const EvalEpisodeSchema = z.object({
  task: z.string().min(1),
  seed: z.number().int(),
  /** The task's category; tasks without one go under "uncategorized". */
  category: z.string().min(1),
  success: z.boolean(),
  reason: EndReasonSchema,
  /** Why it ended, in words (the fail reason, the checker that did not hold). */
  detail: z.string().optional(),
  steps: z.number().int().nonnegative(),
  /** The episode's trace directory, relative to the eval directory (its report.html lives there). */
  traceDir: z.string().min(1),
  /** Time spent waiting on the model, summed over steps. */
  modelMs: z.number().nonnegative(),
  /** Time spent in the environment: capture + act + settle, summed over steps. */
  envMs: z.number().nonnegative(),
  tokens: TokensSchema,
  durationMs: z.number().nonnegative().optional(),
});
export type EvalEpisode = z.infer<typeof EvalEpisodeSchema>;

/** A success rate with its 95% Wilson score interval. */
export const RateSchema = z.object({
  n: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  rate: z.number().min(0).max(1),
  low: z.number().min(0).max(1),
  high: z.number().min(0).max(1),
});
export type Rate = z.infer<typeof RateSchema>;

export const EvalSummarySchema = z.object({
  type: z.literal('eval').default('eval'),
  version: z.literal(EVAL_SUMMARY_VERSION).default(EVAL_SUMMARY_VERSION),
  /** The suite or task list that was run. */
  suite: z.string().optional(),
  engine: z.string(),
  model: z.string().optional(),
  startedAt: z.string(),
  durationMs: z.number().nonnegative().optional(),
  episodes: z.array(EvalEpisodeSchema),
  aggregates: z.object({
    overall: RateSchema,
    /** Keyed by category name. */
    categories: z.record(z.string(), RateSchema),
  }),
});
export type EvalSummary = z.infer<typeof EvalSummarySchema>;
export type EvalSummaryInput = z.input<typeof EvalSummarySchema>;

/**
 * The Wilson score interval for `successes` out of `n` (z = 1.96 for 95%).
 * Chosen over the normal approximation because eval suites are small and rates sit near 0 or 1,
 * where the normal interval leaves [0, 1] or collapses to a point.
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): { low: number; high: number } {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`wilsonInterval needs integers 0 <= successes <= n, got ${successes} of ${n}`);
  }
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = ((z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n)));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export function rateOf(successes: number, n: number): Rate {
  return { n, successes, rate: n ? successes / n : 0, ...wilsonInterval(successes, n) };
}

/** The aggregates block for a list of episodes: overall and per category. */
export function aggregateEpisodes(episodes: Pick<EvalEpisode, 'category' | 'success'>[]): EvalSummary['aggregates'] {
  const byCategory = new Map<string, { n: number; ok: number }>();
  for (const e of episodes) {
    const c = byCategory.get(e.category) ?? { n: 0, ok: 0 };
    c.n++;
    if (e.success) c.ok++;
    byCategory.set(e.category, c);
  }
  const categories: Record<string, Rate> = {};
  for (const [name, c] of [...byCategory].sort(([a], [b]) => a.localeCompare(b))) categories[name] = rateOf(c.ok, c.n);
  return { overall: rateOf(episodes.filter((e) => e.success).length, episodes.length), categories };
}
