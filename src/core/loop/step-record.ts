import type { Frame } from '../frame.ts';
import type { Step } from '../task.ts';
import type { DialogRecord, StepRecord, StepTimings } from '../trace-schema.ts';
import type { DecideRound } from './decide-round.ts';
import type { AfterActions } from './settle-step.ts';
import type { StepOutcome } from './perform.ts';

export interface StepFacts {
  index: number;
  /** The scripted step and its index, in steps mode. */
  step?: Step;
  stepIndex?: number;
  instruction?: string;
  frame: Frame;
  frameFile: string;
  sent?: StepRecord['frame']['sent'];
  round: DecideRound;
  done: StepOutcome;
  settled?: AfterActions;
  frameCheck?: StepRecord['frameCheck'];
  /** Navigations the policy blocked while the step ran. */
  blocked: string[];
  /** Dialogs the page opened while the step ran. */
  dialogs?: DialogRecord[];
  timings: StepTimings;
}

/** True when the step's scripted work is done: a valid decision, performed, that did not ask for more. */
export function stepCompleted(f: Pick<StepFacts, 'round' | 'done'>): boolean {
  return f.round.valid !== undefined && f.done.outcome === 'done' && f.round.decision?.stepComplete !== false;
}

/** The trace record of one step, in the shape trace-schema.ts defines. */
export function buildStepRecord(f: StepFacts): StepRecord {
  const { frame, round, done } = f;
  return {
    type: 'step',
    index: f.index,
    stepIndex: f.step ? f.stepIndex : undefined,
    instruction: f.instruction,
    frame: { file: f.frameFile, width: frame.width, height: frame.height, scale: frame.scale, origin: frame.origin, sent: f.sent },
    attempts: round.attempts,
    actions: done.performed,
    outcome: done.outcome,
    error: done.error,
    settle: f.settled?.record,
    ...(f.frameCheck ? { frameCheck: f.frameCheck } : {}),
    ...(f.blocked.length ? { blocked: f.blocked } : {}),
    ...(f.dialogs?.length ? { dialogs: f.dialogs } : {}),
    ...(f.step ? { stepCompleted: stepCompleted(f) } : {}),
    timings: f.timings,
    tokens: {
      input: round.decision?.usage?.inputTokens ?? 0,
      output: round.decision?.usage?.outputTokens ?? 0,
    },
  };
}
