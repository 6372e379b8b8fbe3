import type { StepTimings, Tokens } from '../trace-schema.ts';

/** What a run spent and how often it was corrected: summed by the loop, and by a session over its runs. */
export interface RunTotals {
  timings: Omit<StepTimings, 'totalMs'>;
  tokens: Tokens;
  repairs: number;
  parseFailures: number;
  /** Actions the policy refused or stopped. */
  refusals: number;
}

export function emptyTotals(): RunTotals {
  return { timings: { captureMs: 0, modelMs: 0, actMs: 0, settleMs: 0 }, tokens: { input: 0, output: 0 }, repairs: 0, parseFailures: 0, refusals: 0 };
}

const TIMING_KEYS = ['captureMs', 'modelMs', 'actMs', 'settleMs'] as const;

/** Adds `more` into `into` (partial: only the fields it has). */
export function addTotals(into: RunTotals, more: Partial<Omit<RunTotals, 'timings'>> & { timings?: Partial<RunTotals['timings']> }): void {
  for (const k of TIMING_KEYS) into.timings[k] += more.timings?.[k] ?? 0;
  into.tokens.input += more.tokens?.input ?? 0;
  into.tokens.output += more.tokens?.output ?? 0;
  into.repairs += more.repairs ?? 0;
  into.parseFailures += more.parseFailures ?? 0;
  into.refusals += more.refusals ?? 0;
}

export function tokensSpent(t: RunTotals): number {
  return t.tokens.input + t.tokens.output;
}
