import { z } from 'zod';

/** Statistics for eval summaries and reports: rates with their intervals, means, medians, percentages. */

/** A success rate with its 95% Wilson score interval. */
export const RateSchema = z.object({
  n: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  rate: z.number().min(0).max(1),
  low: z.number().min(0).max(1),
  high: z.number().min(0).max(1),
});
export type Rate = z.infer<typeof RateSchema>;

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

/** A rate as a percentage with one decimal ("83.5%"); compact drops the decimal at 0% and 100%. */
export function percent(x: number, style: 'fixed' | 'compact' = 'fixed'): string {
  return `${(x * 100).toFixed(style === 'compact' && (x === 0 || x === 1) ? 0 : 1)}%`;
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

export function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
