import { rateOf, RateSchema, wilsonInterval, type Rate } from './eval-summary-schema.ts';

/** Statistics for eval summaries. The Wilson interval is shared with the report's schema module. */
export { rateOf, RateSchema, wilsonInterval, type Rate };

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
