import { findText } from '../../agents/embedded/grounding-kit.ts';
import { textInside } from '../../agents/embedded/verify-effect.ts';
import type { PixelBox } from '../../kernels/ocr/types.ts';
import { actionTargets, targetPoint, type Action, type Target } from '../core/actions.ts';
import type { Step } from '../core/task.ts';
import type { StepRecord } from '../core/trace-schema.ts';
import { describeTarget, fieldResolver, templateBox, type Described, type TargetHint } from './describe-target.ts';
import type { Screen } from './screen.ts';

/**
 * Performed actions (targets in frame pixels) → scripted steps (targets described by what is
 * visible). Each action becomes a step; then patterns become the step a person would write:
 * scrolls that brought the next target into view become `scroll … until`, and a click on a
 * native select followed by arrow keys and Enter becomes `select`.
 */

/** One recorded step: its record, and its screen (and the next step's) read on demand. */
export interface RecordedStep {
  record: StepRecord;
  screen: () => Promise<Screen>;
  /** The screen after this step's actions: the next record's frame, when there is one. */
  after?: () => Promise<Screen>;
}

/** A target the compiled step names: a description, or a template crop kept beside the task file. */
export type TargetRef =
  | { kind: 'described'; described: Described }
  | { kind: 'template'; box: PixelBox; screen: Screen; file: string };

export interface CompiledStep {
  step: Step;
  /** The record (0-based index in the trace) and the action in it this step came from. */
  source: { record: number; action: number };
  /** What was found, for the comment above the step. */
  note: string;
  templates: Extract<TargetRef, { kind: 'template' }>[];
}

export interface CompileActionsOptions {
  /** The path (relative to the task file) of the n-th template crop. */
  assetFile: (n: number) => string;
}

interface Piece {
  step: Step;
  action: Action;
  source: CompiledStep['source'];
  refs: TargetRef[];
  screen: Screen;
  after?: () => Promise<Screen>;
}

/** Stands in for the screen of a step whose actions name no target (keys, waits): never read. */
const NO_SCREEN = new Proxy({} as Screen, {
  get: () => {
    throw new Error('internal: a step without targets read its screen');
  },
});

const hintOf = (t: Target): TargetHint => ({ point: targetPoint(t), ...(t.box ? { box: t.box as PixelBox } : {}) });

/** What a ref writes into the step: the description, or icon:<crop file>. */
export function refText(r: TargetRef): string {
  return r.kind === 'described' ? r.described.description : `icon:./${r.file}`;
}

function refNote(r: TargetRef): string {
  if (r.kind === 'template') return `template crop ${r.file} (nothing visible names it)`;
  const m = r.described.match;
  return `${r.described.form} match "${m.text}" (score ${m.score}) at [${m.box.map(Math.round).join(', ')}]`;
}

class StepCompiler {
  private templates = 0;
  constructor(private readonly o: CompileActionsOptions) {}

  ref(screen: Screen, t: Target, field = false): TargetRef {
    const hint = hintOf(t);
    const described = describeTarget(screen, hint, field ? { resolve: fieldResolver, field: true } : {});
    if (described) return { kind: 'described', described };
    return { kind: 'template', box: templateBox(screen, hint), screen, file: this.o.assetFile(++this.templates) };
  }

  /** One action as a step, or undefined for actions that end a run (finish, fail). */
  piece(a: Action, screen: Screen): { step: Step; refs: TargetRef[] } | undefined {
    switch (a.action) {
      case 'click': {
        const r = this.ref(screen, a.target);
        const plain = a.button === 'left' && a.count === 1;
        return { step: { click: plain ? refText(r) : { target: refText(r), ...(a.button !== 'left' ? { button: a.button } : {}), ...(a.count !== 1 ? { count: a.count } : {}) } }, refs: [r] };
      }
      case 'long_press': {
        const r = this.ref(screen, a.target);
        return { step: { click: refText(r) }, refs: [r] };
      }
      case 'hover': {
        const r = this.ref(screen, a.target);
        return { step: { hover: refText(r) }, refs: [r] };
      }
      case 'drag':
      case 'swipe': {
        const from = this.ref(screen, a.from);
        const to = this.ref(screen, a.to);
        return { step: { drag: { from: refText(from), to: refText(to) } }, refs: [from, to] };
      }
      case 'type': {
        if (!a.target) return { step: { type: a.clear || a.submit ? { text: a.text, ...(a.clear ? { clear: true } : {}), ...(a.submit ? { submit: true } : {}) } : a.text }, refs: [] };
        const r = this.ref(screen, a.target, true);
        return { step: { type: { text: a.text, into: refText(r), ...(a.submit ? { submit: true } : {}) } }, refs: [r] };
      }
      case 'key':
        return { step: { press: a.keys.length === 1 ? a.keys[0] : a.keys }, refs: [] };
      case 'scroll': {
        const r = a.target ? this.ref(screen, a.target) : undefined;
        return { step: { scroll: { direction: a.direction, amount: a.amount, ...(r ? { at: refText(r) } : {}) } }, refs: r ? [r] : [] };
      }
      case 'wait':
        return { step: { wait: a.ms }, refs: [] };
      case 'navigate':
        return { step: { navigate: a.url }, refs: [] };
      case 'back':
        return { step: { back: true }, refs: [] };
      case 'finish':
      case 'fail':
        return undefined;
    }
  }
}

/**
 * One action as a step whose targets are all named by visible text, or undefined when some
 * target has nothing visible naming it (or the action ends a run).
 */
export function describedStep(action: Action, screen: Screen): Step | undefined {
  const p = new StepCompiler({ assetFile: (n) => `template-${n}.png` }).piece(action, screen);
  return p && p.refs.every((r) => r.kind === 'described') ? p.step : undefined;
}

/** The actions of one decision, done on one screen, as steps (template crops named by `assetFile`). */
export function compileDecision(actions: Action[], screen: Screen, o: CompileActionsOptions, source: CompiledStep['source']): CompiledStep[] {
  const compiler = new StepCompiler(o);
  const pieces: Piece[] = [];
  actions.forEach((action, i) => {
    const p = compiler.piece(action, screen);
    if (p) pieces.push({ ...p, action, source: { ...source, action: i }, screen });
  });
  return mergeScrolls(pieces).map(toCompiled);
}

/** Compiles the performed actions of the recorded steps, in order. */
export async function compileActions(steps: RecordedStep[], o: CompileActionsOptions): Promise<{ steps: CompiledStep[]; warnings: string[] }> {
  const compiler = new StepCompiler(o);
  const pieces: Piece[] = [];
  for (const rs of steps) {
    if (!rs.record.actions.some((a) => a.action !== 'finish' && a.action !== 'fail')) continue;
    // Only targets and scrolls need the screen read (OCR is most of compile's time).
    const screen = rs.record.actions.some((a) => actionTargets(a).length || a.action === 'scroll') ? await rs.screen() : NO_SCREEN;
    rs.record.actions.forEach((action, i) => {
      const p = compiler.piece(action, screen);
      if (p) pieces.push({ ...p, action, source: { record: rs.record.index, action: i }, screen, after: rs.after });
    });
  }
  const merged = await mergeSelects(pieces);
  return { steps: mergeScrolls(merged).map(toCompiled), warnings: [] };
}

function toCompiled(p: Piece): CompiledStep {
  const note = p.refs.length ? p.refs.map(refNote).join('; ') : 'no target';
  return { step: p.step, source: p.source, note: `from step ${p.source.record + 1} (${describeAction(p.action)}): ${note}`, templates: p.refs.filter((r): r is Extract<TargetRef, { kind: 'template' }> => r.kind === 'template') };
}

function describeAction(a: Action): string {
  const round = (t: Target) => targetPoint(t).map(Math.round).join(', ');
  if ('target' in a && a.target) return `${a.action} at ${round(a.target)}`;
  if (a.action === 'drag' || a.action === 'swipe') return `${a.action} ${round(a.from)} → ${round(a.to)}`;
  return a.action;
}

const isArrow = (p: Piece) => p.action.action === 'key' && p.action.keys.length === 1 && /^Arrow(Up|Down)$/.test(p.action.keys[0]);
const isEnter = (p: Piece) => p.action.action === 'key' && p.action.keys.length === 1 && p.action.keys[0] === 'Enter';

/**
 * A click followed, in the same step, by arrow keys and Enter drove a native <select> (its popup
 * is not painted in screenshots): the option is read from the select's box on the next screen.
 */
async function mergeSelects(pieces: Piece[]): Promise<Piece[]> {
  const out: Piece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    let j = i + 1;
    while (j < pieces.length && isArrow(pieces[j]) && pieces[j].source.record === p.source.record) j++;
    const enter = pieces[j];
    if (p.action.action !== 'click' || j === i + 1 || !enter || !isEnter(enter) || enter.source.record !== p.source.record || !p.after) {
      out.push(p);
      continue;
    }
    const select = await selectStep(p, await p.after());
    if (!select) {
      out.push(p);
      continue;
    }
    out.push(select);
    i = j;
  }
  return out;
}

async function selectStep(p: Piece, after: Screen): Promise<Piece | undefined> {
  if (p.action.action !== 'click') return undefined;
  const hint = hintOf(p.action.target);
  const field = describeTarget(p.screen, hint, { resolve: fieldResolver, field: true });
  const box = (field?.match.kind === 'field' ? field.match.box : hint.box) as PixelBox | undefined;
  const read = box ? textInside(after.ocr, box).trim() : nearestText(after, hint.point);
  if (!read) return undefined;
  const label = field && field.match.text.trim() !== read ? field.description : undefined;
  const step: Step = { select: label ? { option: read, in: label } : read };
  return { ...p, step, refs: field ? [{ kind: 'described', described: field }] : [] };
}

function nearestText(s: Screen, p: [number, number]): string {
  const g = s.ocr.groups.find((g) => p[0] >= g.box[0] && p[0] <= g.box[2] && p[1] >= g.box[1] && p[1] <= g.box[3]);
  return g?.text ?? '';
}

/** The text a described target is found by: the quoted text of an ordinal or anchor, else the description. */
function mainText(r: TargetRef | undefined): string | undefined {
  if (!r || r.kind !== 'described') return undefined;
  const d = r.described;
  if (d.form === 'text') return d.description;
  if (d.form === 'ordinal' || d.form === 'anchor') return /"([^"]+)"/.exec(d.description)?.[1];
  return undefined;
}

/**
 * Scrolls in one direction followed by an action on a text that their first screen did not show:
 * they scrolled to find it, so the step is `scroll … until` that text (positions move, the text stays).
 */
function mergeScrolls(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    if (p.action.action !== 'scroll') {
      out.push(p);
      continue;
    }
    const dir = p.action.direction;
    let j = i;
    while (j + 1 < pieces.length && pieces[j + 1].action.action === 'scroll' && (pieces[j + 1].action as { direction: string }).direction === dir) j++;
    const next = pieces[j + 1];
    const text = next && next.action.action !== 'scroll' ? mainText(next.refs[0]) : undefined;
    const at = 'scroll' in p.step && typeof p.step.scroll === 'object' ? p.step.scroll.at : undefined;
    if (text && !findText(p.screen.ocr, text).present) {
      out.push({ ...p, step: { scroll: { direction: dir, until: text, ...(at ? { at } : {}) } } });
    } else {
      const amount = pieces.slice(i, j + 1).reduce((n, q) => n + (q.action.action === 'scroll' ? q.action.amount : 0), 0);
      out.push({ ...p, step: { scroll: { direction: dir, amount: Math.min(100, amount), ...(at ? { at } : {}) } } });
    }
    i = j;
  }
  return out;
}
