import type { ActionInput } from '../../src/core/actions.ts';
import { AgentError, type Agent, type Decision, type DecideInput, type HistoryEntry } from '../../src/core/agent.ts';
import { frameRgb, type Frame, type RgbImage } from '../../src/core/frame.ts';
import { OcrEngine } from './ocr/ocr-engine.ts';
import { describeStep, type Step } from '../../src/core/task.ts';
import type { OcrResult } from '../../kernels/ocr/types.ts';
import { GoalParseError } from './goal-parser.ts';
import { withoutGoalEcho } from './instruction/goal-echo.ts';
import { readGoal } from './instruction/read-goal.ts';
import { groundStep, type GroundContext, type StepProgress } from './step-grounder.ts';
import { checkEffect, type Expectation } from './verify-effect.ts';

/**
 * The embedded (no-VLM) agent: reads the screen with OCR and grounds scripted steps, or the plan
 * parsed from a simple English/Chinese goal, into actions.
 *
 * Goal mode: the goal is parsed once into a plan and walked; steps that need no action (an
 * assertion that holds, a text already in view) are passed in the same decision, and when the
 * plan is done the agent answers `finish`. Steps mode: each task step (a `do` step is parsed
 * like a goal) is grounded on the current frame.
 *
 * After an action it knows the expected effect of (a click changes the screen, a field shows the
 * typed text, a select shows its option), the next decision checks it on the new frame; a miss is
 * re-grounded and retried once. In steps mode the last step is kept open for one more decision
 * (input.stepCount tells which step is last), so its effect is checked too.
 *
 * State is kept per run, keyed by the loop's history array (one per run).
 */

export interface EmbeddedAgentOptions {
  /** The OCR engine; the process-wide shared one by default. */
  ocr?: OcrEngine;
}

interface Pending {
  step: Step;
  expect: Expectation;
  before: RgbImage;
  beforeOcr: OcrResult;
  /** history.length when the action was handed out: one more entry means it was performed. */
  historyLen: number;
  retried: boolean;
}

type Done = (actions: ActionInput[], notes: Record<string, unknown>, extra?: Pick<Decision, 'stepComplete' | 'located' | 'parseError'>) => Decision;

/** One decision's look at the screen: the input, the run's state, and what the phases share. */
interface Look {
  input: DecideInput;
  state: RunState;
  notes: Record<string, unknown>;
  done: Done;
  ctx: Omit<GroundContext, 'progress'>;
}

interface RunState {
  unit?: string;
  plan: Step[];
  clauses: string[];
  /** The goal (or `do` step) in the user's words, when the plan was read from one. */
  source?: string;
  /** How the goal was read ('grammar', 'form', 'intent', …). */
  readAs?: string;
  /** For plan[i], steps that do the same when its target is not on screen. */
  alternatives: (Step[] | undefined)[];
  cursor: number;
  progress: StepProgress;
  pending?: Pending;
  prevOcr?: { image: RgbImage; result: OcrResult };
}

export class EmbeddedAgent implements Agent {
  readonly name = 'embedded';
  private readonly runs = new WeakMap<HistoryEntry[], RunState>();
  private readonly options: EmbeddedAgentOptions;

  constructor(options: EmbeddedAgentOptions = {}) {
    this.options = options;
  }

  private get engine(): OcrEngine {
    return this.options.ocr ?? OcrEngine.shared();
  }

  async decide(input: DecideInput): Promise<Decision> {
    const t0 = performance.now();
    let state = this.runs.get(input.history);
    if (!state) {
      state = { plan: [], clauses: [], alternatives: [], cursor: 0, progress: {} };
      this.runs.set(input.history, state);
    }
    const done: Done = (actions, notes, extra = {}) => ({
      actions,
      reasoning: reasoningOf(notes, actions),
      timings: { modelMs: performance.now() - t0 },
      ...extra,
      notes,
    });
    if (input.feedback) {
      // Our actions are built from the schema; a rejection (guard, frame bounds) is not ours to repair by guessing.
      return done([{ action: 'fail', reason: `the embedded agent's action was refused: ${input.feedback.split('\n')[0]}` }], { feedback: input.feedback });
    }
    const rgb = await frameRgb(input.frame);
    const ocr = await this.read(state, rgb, input.frame);
    const notes: Record<string, unknown> = { ocr: { words: ocr.words.length, ms: round(ocr.timings?.totalMs), reusedLines: (ocr as { reusedLines?: number }).reusedLines, ...ocr.reading } };
    const look: Look = { input, state, notes, done, ctx: { frame: input.frame, ocr, rgb, executor: input.executor } };
    const checked = await this.checkLastAction(look);
    if (checked) return checked;
    const planned = this.planWork(look);
    if (planned) return planned;
    if (state.source) {
      // The page may show the goal itself (a task banner, a chat): its words there are not the target.
      const echo = withoutGoalEcho(ocr, state.source, state.plan.flatMap(stepTexts));
      if (echo.dropped.length) {
        look.ctx = { ...look.ctx, ocr: echo.ocr };
        notes.goalEcho = echo.dropped;
      }
    }
    return this.walkPlan(look);
  }

  /** 1. Checks what the last action should have done; re-grounds and retries a miss once. */
  private async checkLastAction({ input, state, notes, done, ctx }: Look): Promise<Decision | undefined> {
    const p = state.pending;
    state.pending = undefined;
    const last = input.history[input.history.length - 1];
    if (!p || input.history.length <= p.historyLen || last?.outcome !== 'done') return undefined;
    const check = checkEffect(p.expect, p.before, ctx.rgb, ctx.ocr, p.beforeOcr);
    notes.verified = { step: describeStep(p.step), ok: check.ok, detail: check.detail, retried: p.retried };
    if (check.ok || p.retried) return undefined;
    const g = await groundStep(p.step, { ...ctx, progress: {} });
    if (g.actions.length && !g.actions.some((a) => a.action === 'fail')) {
      if (g.expect) state.pending = { step: p.step, expect: g.expect, before: ctx.rgb, beforeOcr: ctx.ocr, historyLen: input.history.length, retried: true };
      notes.retry = { step: describeStep(p.step), ...g.notes };
      // Steps mode: the current step has not started yet; ask again for it.
      return done(g.actions, notes, { stepComplete: input.step ? false : undefined, located: g.located });
    }
    notes.retry = { step: describeStep(p.step), skipped: 'the target is gone from the screen', ...g.notes };
    return undefined;
  }

  /** 2. The plan for what is asked now: the goal, or this scripted step (a `do` step is parsed like a goal). */
  private planWork({ input, state, notes, done }: Look): Decision | undefined {
    const unit = input.step ? `step:${input.stepIndex ?? describeStep(input.step)}` : `goal:${input.goal ?? ''}`;
    if (state.unit === unit) return undefined;
    state.unit = unit;
    state.cursor = 0;
    state.progress = {};
    const source = input.step ? ('do' in input.step ? input.step.do : undefined) : input.goal;
    state.source = source;
    if (source === undefined && !input.step) return done([{ action: 'fail', reason: 'no goal and no step to work on' }], notes);
    if (source === undefined) {
      state.plan = [input.step!];
      state.clauses = [describeStep(input.step!)];
      state.alternatives = [undefined];
      return undefined;
    }
    try {
      const parsed = readGoal(source);
      state.plan = parsed.steps;
      state.clauses = parsed.clauses;
      state.alternatives = parsed.alternatives;
      state.readAs = parsed.readAs;
      if (parsed.readAs !== 'grammar') notes.readAs = parsed.readAs;
      if (parsed.asides.length) notes.asides = parsed.asides;
    } catch (e) {
      if (!(e instanceof GoalParseError)) throw e;
      state.plan = [];
      state.alternatives = [];
      const parseError = { message: e.message, fragment: e.fragment };
      return done([{ action: 'fail', reason: e.message }], notes, { parseError });
    }
    notes.plan = state.plan.map(describeStep);
    return undefined;
  }

  /** 3. Walks the plan: grounds the current step; steps that need no action pass at once. */
  private async walkPlan({ input, state, notes, done, ctx }: Look): Promise<Decision> {
    const grounded: Record<string, unknown>[] = [];
    notes.steps = grounded;
    while (state.cursor < state.plan.length) {
      let step = state.plan[state.cursor];
      const clause = state.source !== undefined ? state.clauses[state.cursor] : undefined;
      let g = await groundStep(step, { ...ctx, progress: state.progress, clause });
      grounded.push({ index: state.cursor, step: describeStep(step), ...g.notes });
      // "remove Jane Roe": "Remove" in her row not on screen, "Delete" there is the same act.
      for (const alt of state.alternatives[state.cursor] ?? []) {
        if (!g.actions.some((a) => a.action === 'fail')) break;
        const next = await groundStep(alt, { ...ctx, progress: state.progress, clause });
        grounded.push({ index: state.cursor, step: describeStep(alt), alternative: true, ...next.notes });
        // A stand-in must match well: it is our reading of the goal, not the user's words.
        if (!next.actions.some((a) => a.action === 'fail') && (next.located?.score ?? 1) >= ALTERNATIVE_MIN_SCORE) {
          step = state.plan[state.cursor] = alt;
          g = next;
        }
      }
      // "打开和李娜的聊天" names 李娜 through a pattern of ours: her name as part of a message
      // preview in another chat is not her chat.
      if (state.readAs === 'name' && 'click' in step && g.located && g.located.score < ALTERNATIVE_MIN_SCORE) {
        const reason = `cannot click ${describeStep(step)}: only a partial match "${g.located.text}" (score ${g.located.score}) is on screen`;
        return done([{ action: 'fail', reason }], notes, { located: g.located });
      }
      if (g.actions.some((a) => a.action === 'fail')) return done(g.actions, notes, { located: g.located });
      if (g.complete) {
        state.cursor++;
        state.progress = {};
      }
      if (!g.actions.length) continue;
      if (g.complete && g.expect) state.pending = { step, expect: g.expect, before: ctx.rgb, beforeOcr: ctx.ocr, historyLen: input.history.length, retried: false };
      // The last scripted step has no next step whose decision would check it: stay on it for one more look.
      const lastScripted = input.step !== undefined && input.stepCount !== undefined && input.stepIndex === input.stepCount - 1;
      const planDone = state.cursor >= state.plan.length;
      return done(g.actions, notes, { stepComplete: input.step ? planDone && !(lastScripted && state.pending) : undefined, located: g.located });
    }
    if (input.step) return done([], notes, { stepComplete: true });
    return done([{ action: 'finish' }], { ...notes, finished: `all ${state.plan.length} planned steps done` });
  }

  /** OCR of this frame, re-reading only what changed since the previous frame of the run. */
  private async read(state: RunState, rgb: RgbImage, frame: Frame): Promise<OcrResult> {
    const detScale = Math.min(1, 1 / Math.max(frame.scale || 1, 1e-3), 2560 / Math.max(rgb.width, rgb.height, 1));
    const prev = state.prevOcr;
    let result: OcrResult;
    try {
      if (prev && prev.image === rgb) result = prev.result;
      else if (prev && prev.image.width === rgb.width && prev.image.height === rgb.height) result = await this.engine.recognizeIncremental(prev, rgb, { detScale });
      else result = await this.engine.recognize(rgb, { detScale });
    } catch (e) {
      throw new AgentError(`OCR failed: ${(e as Error).message.split('\n')[0]}`);
    }
    state.prevOcr = { image: rgb, result };
    return result;
  }
}

/** The texts a step looks for on screen (its target, field, option), for telling them from echoes of the goal. */
function stepTexts(step: Step): string[] {
  const v = Object.values(step)[0] as unknown;
  if (typeof v === 'string') return [v];
  if (v && typeof v === 'object') return Object.values(v as Record<string, unknown>).filter((x): x is string => typeof x === 'string');
  return [];
}

/** Least match score for a plan step's alternative ("Delete" for "remove", "Cora" for "the email from Cora"). */
const ALTERNATIVE_MIN_SCORE = 0.85;

function round(v: number | undefined): number | undefined {
  return v === undefined ? undefined : Math.round(v);
}

/** One or two readable lines: what step is being done and what was found for it. */
function reasoningOf(notes: Record<string, unknown>, actions: ActionInput[]): string {
  const parts: string[] = [];
  const v = notes.verified as { step: string; ok: boolean; detail: string } | undefined;
  if (v) parts.push(`checked ${v.step}: ${v.detail}`);
  if (notes.retry) parts.push('retrying it once');
  const steps = (notes.steps as { step: string; locate?: { match?: { text: string; score: number } } }[] | undefined) ?? [];
  for (const s of steps) {
    const m = s.locate?.match;
    parts.push(`${s.step}${m ? ` → found "${m.text}" (score ${m.score})` : ''}`);
  }
  if (!parts.length && actions[0]?.action === 'fail') parts.push(actions[0].reason);
  return parts.join('; ');
}
