import { describeAction } from '../actions.ts';
import type { StepRecord } from '../trace-schema.ts';
import type { DecideRound } from './decide-round.ts';
import type { StepOutcome } from './perform.ts';

/** A step's actions in words: what was done, else what was decided, else how it ended. */
export function whatWasDone(done: StepOutcome, round: DecideRound, instruction: string | undefined): string {
  if (done.performed.length) return done.performed.map(describeAction).join(', ');
  if (round.valid?.length) return describeAction(round.valid[0]);
  return done.outcome === 'done' ? `${instruction ?? 'step'}: ok` : done.outcome;
}

/** The one progress line a step prints: its number, what it did, what went wrong, and where the time went. */
export function progressLine(record: StepRecord, what: string, script?: { cursor: number; count: number }): string {
  const t = record.timings;
  const position = script ? ` [${script.cursor + 1}/${script.count}]` : '';
  const problems = `${record.error ? `  ! ${record.error}` : ''}${(record.blocked ?? []).map((b) => `  ! ${b}`).join('')}`;
  const times = `capture ${t.captureMs.toFixed(0)} ms, model ${t.modelMs.toFixed(0)} ms, act ${t.actMs.toFixed(0)} ms, settle ${t.settleMs.toFixed(0)} ms`;
  return `step ${record.index + 1}${position}  ${what}${problems}  (${times})`;
}
