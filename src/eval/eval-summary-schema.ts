import { z } from 'zod';
import { EndReasonSchema, TokensSchema } from '../core/trace-schema.ts';
import { rateOf, RateSchema, type Rate } from './stats.ts';

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
