import type { ActionInput } from '../../src/core/actions.ts';
import { AgentError, type Agent, type Decision, type DecideInput, type HistoryEntry } from '../../src/core/agent.ts';
import { frameRgb, type Frame, type RgbImage } from '../../src/core/frame.ts';
import { OcrEngine } from './ocr/ocr-engine.ts';
import type { LazyReading } from './ocr/query-read.ts';
import { groundFromQuery } from './query-step.ts';
import { describeStep, type Step } from '../../src/core/task.ts';
import { ALTERNATIVE_MIN_SCORE, foundAsIcon, onOneOf, placesTarget, readAsQuoted } from './alternatives.ts';
import type { OcrResult } from '../../kernels/ocr/types.ts';
import { GoalParseError } from './goal-parser.ts';
import { withoutGoalEcho } from './instruction/goal-echo.ts';
import { readGoal } from './instruction/read-goal.ts';
import { screenReading } from './instruction/screen-reading.ts';
import { quantifiedStep } from './instruction/quantified.ts';
import { expandQuantified } from './ground/every.ts';
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
  /**
   * Scripted clicks and hovers read only the lines their target needs when that settles the
   * match (ground/settled-locate.ts), the whole screen otherwise. Default true.
   */
  queryOcr?: boolean;
}

interface Pending {
  step: Step;
  expect: Expectation;
  before: RgbImage;
  beforeOcr: OcrResult;
  /** history.length when the action was handed out: one more entry means it was performed. */
  historyLen: number;
  retried: boolean;
  /** Looks spent waiting for the effect to finish (a list closing). */
  waits?: number;
}

/** How many short waits a list gets to close after its entry is clicked, and how long each is. */
const LIST_CLOSE_WAITS = 3;
const LIST_CLOSE_WAIT_MS = 150;

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
  /** The previous frame's reading; `lazy` when it was read only in part (result: what was read). */
  prevOcr?: { image: RgbImage; result: OcrResult; lazy?: LazyReading };
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
    const query = this.options.queryOcr === false ? undefined : await this.decideFromQuery(state, rgb, input, done);
    if (query && 'decision' in query) return query.decision;
    const ocr = await this.read(state, rgb, input.frame);
    const notes: Record<string, unknown> = {
      ocr: { words: ocr.words.length, ms: round(ocr.timings?.totalMs), reusedLines: (ocr as { reusedLines?: number }).reusedLines, ...ocr.reading, ...(query ? { query: 'fallback', why: query.why } : {}) },
    };
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
    let check = checkEffect(p.expect, p.before, ctx.rgb, ctx.ocr, p.beforeOcr);
    if (check.wait) {
      const waits = (p.waits ?? 0) + 1;
      if (waits <= LIST_CLOSE_WAITS) {
        state.pending = { ...p, historyLen: input.history.length, waits };
        notes.verified = { step: describeStep(p.step), ok: false, detail: check.detail, waits };
        return done([{ action: 'wait', ms: LIST_CLOSE_WAIT_MS }], notes, { stepComplete: input.step ? false : undefined });
      }
      // A list that stays open after its entry lit up is a list that stays open (a multi-select): the click took.
      check = { ok: true, detail: `the list still shows ${p.expect.kind === 'list-closes' ? p.expect.label : 'its entry'} after ${LIST_CLOSE_WAITS} waits: it stays open` };
    }
    notes.verified = { step: describeStep(p.step), ok: check.ok, detail: check.detail, retried: p.retried };
    if (check.ok || p.retried) return undefined;
    const other = await this.otherReading(state, p.step, ctx);
    if (other) {
      if (other.g.expect) state.pending = { step: other.alt, expect: other.g.expect, before: ctx.rgb, beforeOcr: ctx.ocr, historyLen: input.history.length, retried: true };
      notes.retry = { step: describeStep(p.step), alternative: describeStep(other.alt), why: check.detail, ...other.g.notes };
      return done(other.g.actions, notes, { stepComplete: input.step ? false : undefined, located: other.g.located });
    }
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

  /**
   * A move that did nothing was our reading of the words ("checkbox for the budget.xlsx file": the
   * file icon beside the name, taken for its checkbox): the step's other reading, when one grounds
   * well somewhere else, replaces it.
   */
  private async otherReading(state: RunState, step: Step, ctx: Look['ctx']): Promise<{ alt: Step; g: Awaited<ReturnType<typeof groundStep>> } | undefined> {
    const i = state.plan.indexOf(step);
    for (const alt of i >= 0 ? (state.alternatives[i] ?? []) : []) {
      const g = await groundStep(alt, { ...ctx, progress: {} });
      if (!g.actions.length || g.actions.some((a) => a.action === 'fail') || (g.located?.score ?? 1) < ALTERNATIVE_MIN_SCORE) continue;
      state.plan[i] = alt;
      state.alternatives[i] = undefined;
      return { alt, g };
    }
    return undefined;
  }

  /** 2. The plan for what is asked now: the goal, or this scripted step (a `do` step is parsed like a goal). */
  private planWork(look: Look): Decision | undefined {
    const { input, state, notes, done } = look;
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
      // A bare description not found as a whole ("take me to Instances") may still name one label on screen.
      const onScreen = parsed.readAs === 'target' && parsed.steps.length === 1 ? screenReading(source, look.ctx.ocr) : undefined;
      if (onScreen && 'step' in onScreen) state.alternatives = [[...(parsed.alternatives[0] ?? []), onScreen.step]];
      if (parsed.asides.length) notes.asides = parsed.asides;
    } catch (e) {
      if (!(e instanceof GoalParseError)) throw e;
      // What the grammar cannot read may still name one label on screen ("go to my profile").
      const onScreen = screenReading(source, look.ctx.ocr);
      if (onScreen && 'step' in onScreen) {
        Object.assign(state, { plan: [onScreen.step], clauses: [source], alternatives: [undefined], readAs: 'screen' });
        notes.readAs = 'screen';
        notes.plan = state.plan.map(describeStep);
        return undefined;
      }
      state.plan = [];
      state.alternatives = [];
      const parseError = { message: e.message, fragment: e.fragment };
      return done([{ action: 'fail', reason: onScreen ? `${e.message}; ${onScreen.refused}` : e.message }], notes, { parseError });
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
      // "tick every box", "type the code into both fields": one step per target on this screen.
      const many = quantifiedStep(step, clause);
      if (many) {
        const ex = expandQuantified(many, ctx.ocr, ctx.rgb);
        grounded.push({ index: state.cursor, step: describeStep(step), ...('why' in ex ? { refused: ex.why } : { expanded: ex.steps.map(describeStep), found: ex.found }) });
        if ('why' in ex) return done([{ action: 'fail', reason: `cannot ${describeStep(step)}: ${ex.why}` }], notes);
        state.plan.splice(state.cursor, 1, ...ex.steps);
        state.clauses.splice(state.cursor, 1, ...ex.steps.map(() => clause ?? describeStep(step)));
        state.alternatives.splice(state.cursor, 1, ...ex.steps.map(() => undefined));
        continue;
      }
      let g = await groundStep(step, { ...ctx, progress: state.progress, clause });
      grounded.push({ index: state.cursor, step: describeStep(step), ...g.notes });
      // "remove Jane Roe": "Remove" in her row not on screen, "Delete" there is the same act.
      // But a tie stays a tie: "previous" with two ‹ icons is not settled by the one OCR reads as "<".
      const tied = g.tied;
      for (const alt of state.alternatives[state.cursor] ?? []) {
        if (!g.actions.some((a) => a.action === 'fail')) break;
        const next = await groundStep(alt, { ...ctx, progress: state.progress, clause });
        grounded.push({ index: state.cursor, step: describeStep(alt), alternative: true, ...next.notes });
        if (tied && onOneOf(next.actions, tied) && !placesTarget(alt)) continue;
        // A stand-in must match well: it is our reading of the goal, not the user's words.
        if (!next.actions.some((a) => a.action === 'fail') && ((next.located?.score ?? 1) >= ALTERNATIVE_MIN_SCORE || readAsQuoted(alt, next.located?.text) || foundAsIcon(step, alt, next.located?.text))) {
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

  /**
   * A scripted click or hover decided from the lines its target needs (query-step.ts), when the
   * step starts on this look and the last action's check needs no text; otherwise why not, and
   * the whole screen is read (reusing what this look read).
   */
  private async decideFromQuery(state: RunState, rgb: RgbImage, input: DecideInput, done: Done): Promise<{ decision: Decision } | { why: string } | undefined> {
    const step = input.step;
    if (!step || 'do' in step || !('click' in step || 'hover' in step)) return undefined;
    const unit = `step:${input.stepIndex ?? describeStep(step)}`;
    // A second look at the same step (its effect checked, a retry) goes the usual way.
    if (state.unit === unit) return undefined;
    const p = state.pending;
    let verified: Record<string, unknown> | undefined;
    if (p && input.history.length > p.historyLen && input.history[input.history.length - 1]?.outcome === 'done') {
      // A click's check compares pixels; a field's reads its text, and a miss is grounded again.
      if (p.expect.kind !== 'screen-changes') return undefined;
      const check = checkEffect(p.expect, p.before, rgb, p.beforeOcr, p.beforeOcr);
      if (!check.ok && !p.retried) return undefined;
      verified = { step: describeStep(p.step), ok: check.ok, detail: check.detail, retried: p.retried };
    }
    const reading = await this.readLazily(state, rgb, input.frame);
    const g = await groundFromQuery(step, reading, { frame: input.frame, rgb, executor: input.executor });
    if ('why' in g) return { why: g.why };
    // What planWork and walkPlan would have set for this step, which is now done.
    Object.assign(state, { unit, cursor: 1, progress: {}, source: undefined, plan: [step], clauses: [describeStep(step)], alternatives: [undefined], pending: undefined });
    const { grounded } = g;
    if (grounded.expect) state.pending = { step, expect: grounded.expect, before: rgb, beforeOcr: g.ocr, historyLen: input.history.length, retried: false };
    const ocr = g.ocr;
    const notes: Record<string, unknown> = {
      ocr: { words: ocr.words.length, ms: round(ocr.timings?.totalMs), detectMs: round(ocr.timings?.detectMs), ...ocr.reading, query: 'settled' },
      ...(verified ? { verified } : {}),
      steps: [{ index: 0, step: describeStep(step), ...grounded.notes }],
    };
    const lastScripted = input.stepCount !== undefined && input.stepIndex === input.stepCount - 1;
    return { decision: done(grounded.actions, notes, { stepComplete: !(lastScripted && state.pending), located: grounded.located }) };
  }

  /** Detection of this frame with nothing read yet (lines unchanged since the previous frame are reused). */
  private async readLazily(state: RunState, rgb: RgbImage, frame: Frame): Promise<LazyReading> {
    const prev = state.prevOcr;
    if (prev?.lazy && prev.image === rgb) return prev.lazy;
    let reading: LazyReading;
    try {
      reading = await this.engine.recognizeLazy(rgb, { detScale: detScaleOf(rgb, frame) }, prev);
    } catch (e) {
      throw new AgentError(`OCR failed: ${(e as Error).message.split('\n')[0]}`);
    }
    state.prevOcr = { image: rgb, result: reading.partial(), lazy: reading };
    return reading;
  }

  /** OCR of this frame, re-reading only what changed since the previous frame of the run. */
  private async read(state: RunState, rgb: RgbImage, frame: Frame): Promise<OcrResult> {
    const detScale = detScaleOf(rgb, frame);
    const prev = state.prevOcr;
    let result: OcrResult;
    try {
      if (prev?.lazy && prev.image === rgb) result = await prev.lazy.complete();
      else if (prev && prev.image === rgb) result = prev.result;
      else if (prev && prev.image.width === rgb.width && prev.image.height === rgb.height) result = await this.engine.recognizeIncremental(prev, rgb, { detScale });
      else result = await this.engine.recognize(rgb, { detScale });
    } catch (e) {
      throw new AgentError(`OCR failed: ${(e as Error).message.split('\n')[0]}`);
    }
    state.prevOcr = { image: rgb, result };
    return result;
  }
}

/** The detector's scale: text at about its CSS size, at most 2560 px a side. */
function detScaleOf(rgb: RgbImage, frame: Frame): number {
  return Math.min(1, 1 / Math.max(frame.scale || 1, 1e-3), 2560 / Math.max(rgb.width, rgb.height, 1));
}

/** The texts a step looks for on screen (its target, field, option), for telling them from echoes of the goal. */
function stepTexts(step: Step): string[] {
  const v = Object.values(step)[0] as unknown;
  if (typeof v === 'string') return [v];
  if (v && typeof v === 'object') return Object.values(v as Record<string, unknown>).filter((x): x is string => typeof x === 'string');
  return [];
}

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
