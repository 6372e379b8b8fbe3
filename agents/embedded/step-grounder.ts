import type { ActionInput, Target } from '../../src/core/actions.ts';
import type { Executor } from '../../src/core/executor.ts';
import { normalizeChord } from '../../src/core/keys.ts';
import type { Frame, RgbImage } from '../../src/core/frame.ts';
import { DescriptionError, parseDescription } from './ground/describe.ts';
import { locate, type LocateResult } from './ground/locate.ts';
import type { Step } from '../../src/core/task.ts';
import type { OcrResult, PixelBox } from '../../kernels/ocr/types.ts';
import { quoteLiteral } from './goal-text.ts';
import { findNativeSelects, selectActions } from './native-select.ts';
import { regionDiff, squash, type Expectation } from './verify-effect.ts';

/**
 * One task step + the current screen (frame, its OCR, its pixels) → the actions that do it, in
 * frame pixels. Steps that take several looks (scroll until a text shows, wait for a text)
 * return complete:false and keep their progress in `progress`.
 */

export interface GroundContext {
  frame: Frame;
  ocr: OcrResult;
  rgb: RgbImage;
  /** For reading the page only (native <select> options); never acted through. */
  executor?: Executor;
  /** Scratch state of this step across decisions; starts as {}. */
  progress: StepProgress;
}

export interface StepProgress {
  scrolls?: number;
  /** The pixels seen at the previous look, to notice that scrolling stopped moving the page. */
  lastRgb?: RgbImage;
  startedAt?: number;
  /** select off the browser: the dropdown was clicked open, the option comes next. */
  opened?: boolean;
  /** scroll-until with `at`: where the first scroll happened (frame pixels), kept for the next ones. */
  scrollAt?: Target;
}

export interface Grounded {
  actions: ActionInput[];
  /** False when the step needs another look after these actions. */
  complete: boolean;
  expect?: Expectation;
  notes: Record<string, unknown>;
}

/** Matches weaker than this do not count as "the text is on screen" for assert / scroll-until / wait-for. */
export const PRESENT_SCORE = 0.75;
/** Looks before a scroll-until gives up. */
export const MAX_SCROLLS = 30;

/** Notches (100 CSS px in the browser) for about three quarters of the view: pages overlap, nothing is skipped. */
function searchNotches(frame: Frame): number {
  return Math.min(20, Math.max(1, Math.floor((0.75 * frame.height) / Math.max(frame.scale, 1e-3) / 100)));
}
export const DEFAULT_WAIT_FOR_MS = 10_000;
const WAIT_POLL_MS = 500;

const fail = (reason: string, notes: Record<string, unknown> = {}): Grounded => ({ actions: [{ action: 'fail', reason }], complete: true, notes });

function targetOf(box: PixelBox, point: [number, number], label: string, frame: Frame): Target {
  const clampBox = [
    Math.max(0, box[0]),
    Math.max(0, box[1]),
    Math.min(frame.width, box[2]),
    Math.min(frame.height, box[3]),
  ] as PixelBox;
  const p: [number, number] = [Math.min(Math.max(point[0], 0), frame.width - 1), Math.min(Math.max(point[1], 0), frame.height - 1)];
  return { box: clampBox, point: p, label };
}

function locateNotes(description: string, r: LocateResult): Record<string, unknown> {
  return {
    description,
    match: r.match && { text: r.match.text, box: r.match.box.map(Math.round), score: r.match.score, kind: r.match.kind },
    candidates: r.candidates.slice(0, 3).map((c) => ({ text: c.text, score: c.score })),
  };
}

function notFound(what: string, description: string, r: LocateResult): Grounded {
  const why = r.message ?? `no match for ${description}`;
  return fail(`${what}: ${why}`, { locate: locateNotes(description, r) });
}

/** "Username" → "the field labelled Username"; descriptions that already name a field pass through. */
export function fieldDescription(into: string): string {
  if (/\b(?:field|fields|box|input|textbox|textarea|text\s*area)\b|输入框|文本框|编辑框/i.test(into)) return into;
  return `the field labelled ${into}`;
}

const HAS_QUOTES = /["“”「」『』‘’«»`]|(^|\s)'|'(\s|$)/;

/**
 * locate() with a plain label kept whole: an unquoted "Sign in" would lose "in" as a filler word
 * in locate's description parser, so a simple phrase is also tried as literal text, and the
 * better match wins. Phrases with structure (ordinals, rows, fields) go to locate() as they are.
 */
export function locateTarget(ocr: OcrResult, description: string, image?: RgbImage): LocateResult {
  const plain = locate(ocr, description, { image });
  if (HAS_QUOTES.test(description)) return plain;
  let q;
  try {
    q = parseDescription(description);
  } catch (e) {
    if (e instanceof DescriptionError) return plain;
    throw e;
  }
  if (q.kind !== 'text' || q.ordinal !== undefined || q.anchor || q.text === description.trim()) return plain;
  const literal = locate(ocr, quoteLiteral(description.trim()), { image });
  if (literal.match && (!plain.match || literal.match.score >= plain.match.score)) return literal;
  return plain;
}

/** OCR-confusable characters folded together, for exact-text comparisons. */
function foldConfusables(s: string): string {
  return squash(s).replace(/o/g, '0').replace(/[il|]/g, '1');
}

/**
 * Whether a text is visibly on screen, with the best match for messages. The text is literal and
 * must match whole: "Item 8" on screen is not "Item 80" (locate alone would accept the near miss).
 */
export function findText(ocr: OcrResult, text: string): { present: boolean; result: LocateResult } {
  const query = HAS_QUOTES.test(text) ? text : quoteLiteral(text.trim());
  const result = locate(ocr, query);
  const want = foldConfusables(bareText(query));
  const m = result.match;
  const present = !!m && m.kind === 'text' && m.score >= PRESENT_SCORE && foldConfusables(m.text) === want;
  return { present, result };
}

/** A text as messages show it: quoted once. */
function shown(text: string): string {
  return HAS_QUOTES.test(text) ? text : JSON.stringify(text);
}

function closestListing(r: LocateResult): string {
  const c = r.match ? [{ text: r.match.text, score: r.match.score }, ...r.candidates] : r.candidates;
  return c.length ? `; closest on screen: ${c.slice(0, 3).map((x) => `"${x.text}" (${x.score.toFixed(2)})`).join(', ')}` : '; nothing similar was read';
}

export async function groundStep(step: Step, ctx: GroundContext): Promise<Grounded> {
  const { frame, ocr, rgb } = ctx;
  const image = rgb;

  if ('click' in step || 'hover' in step) {
    const spec = 'click' in step ? step.click : step.hover;
    const description = typeof spec === 'string' ? spec : spec.target;
    const r = locateTarget(ocr, description, image);
    if (!r.match) return notFound(`cannot ${'click' in step ? 'click' : 'hover over'} ${description}`, description, r);
    const target = targetOf(r.match.box as PixelBox, r.match.point, r.match.text || description, frame);
    const notes = { locate: locateNotes(description, r) };
    if ('hover' in step) return { actions: [{ action: 'hover', target }], complete: true, notes };
    const button = typeof spec === 'string' ? 'left' : (spec.button ?? 'left');
    const count = typeof spec === 'string' ? 1 : (spec.count ?? 1);
    return {
      actions: [{ action: 'click', target, button, count }],
      complete: true,
      expect: { kind: 'screen-changes', box: target.box!, label: JSON.stringify(target.label) },
      notes,
    };
  }

  if ('drag' in step) {
    const { from, to } = step.drag;
    const source = locateTarget(ocr, from, image);
    if (!source.match) return notFound(`cannot drag ${from}`, from, source);
    const dest = locateTarget(ocr, to, image);
    if (!dest.match) return notFound(`cannot drop ${from} on ${to}`, to, dest);
    const a = targetOf(source.match.box as PixelBox, source.match.point, source.match.text || from, frame);
    const b = targetOf(dest.match.box as PixelBox, dest.match.point, dest.match.text || to, frame);
    if (Math.hypot(a.point![0] - b.point![0], a.point![1] - b.point![1]) < 4) {
      return fail(`cannot drag ${from} onto ${to}: both name the same place on screen (${JSON.stringify(a.label)})`, { from: locateNotes(from, source), to: locateNotes(to, dest) });
    }
    return {
      actions: [{ action: 'drag', from: a, to: b }],
      complete: true,
      // What was dragged leaves its place (or the drop zone redraws): the screen changes where we pressed.
      expect: { kind: 'screen-changes', box: a.box!, label: JSON.stringify(a.label), verb: 'dragging' },
      notes: { from: locateNotes(from, source), to: locateNotes(to, dest) },
    };
  }

  if ('type' in step) {
    const spec = typeof step.type === 'string' ? { text: step.type } : step.type;
    if (!spec.into) {
      return { actions: [{ action: 'type', text: spec.text, clear: spec.clear ?? false, submit: spec.submit ?? false }], complete: true, notes: { into: 'the focused element' } };
    }
    const description = fieldDescription(spec.into);
    let r = locate(ocr, description, { image });
    let used = description;
    if (!r.match && description !== spec.into) {
      // No input box seen beside the label: the text itself may be the placeholder inside the field.
      const byText = locateTarget(ocr, spec.into, image);
      if (byText.match) {
        r = byText;
        used = spec.into;
      }
    }
    if (!r.match) return notFound(`cannot find the field ${spec.into} to type into`, description, r);
    const target = targetOf(r.match.box as PixelBox, r.match.point, r.match.text || spec.into, frame);
    return {
      actions: [{ action: 'type', text: spec.text, target, clear: spec.clear ?? true, submit: spec.submit ?? false }],
      complete: true,
      expect: { kind: 'field-shows', box: target.box!, text: spec.text },
      notes: { locate: locateNotes(used, r) },
    };
  }

  if ('press' in step) {
    try {
      const keys = normalizeChord(Array.isArray(step.press) ? step.press : [step.press]);
      return { actions: [{ action: 'key', keys }], complete: true, notes: {} };
    } catch (e) {
      return fail(`cannot press ${JSON.stringify(step.press)}: ${(e as Error).message}`);
    }
  }

  if ('scroll' in step) {
    const spec = typeof step.scroll === 'string' ? { direction: step.scroll } : step.scroll;
    let target: Target | undefined;
    if (spec.at && spec.until && ctx.progress.scrollAt) {
      // The `at` text may have scrolled away: keep scrolling the same place, not wherever it went.
      target = ctx.progress.scrollAt;
    } else if (spec.at) {
      const r = locateTarget(ocr, spec.at, image);
      if (!r.match) return notFound(`cannot scroll at ${spec.at}`, spec.at, r);
      target = targetOf(r.match.box as PixelBox, r.match.point, r.match.text, frame);
    }
    if (!spec.until) {
      return { actions: [{ action: 'scroll', direction: spec.direction, amount: spec.amount ?? 3, ...(target ? { target } : {}) }], complete: true, notes: {} };
    }
    const found = findText(ocr, spec.until);
    const p = ctx.progress;
    const looked = { until: spec.until, scrolls: p.scrolls ?? 0, best: found.result.match && { text: found.result.match.text, score: found.result.match.score } };
    if (found.present) return { actions: [], complete: true, notes: { scroll: { ...looked, found: true } } };
    if (p.lastRgb && (p.scrolls ?? 0) > 0) {
      const d = regionDiff(p.lastRgb, rgb, [0, 0, rgb.width, rgb.height]);
      if (d.changed === 0 && d.mean < 0.05) {
        return fail(`scrolled ${spec.direction} to the end without finding ${shown(spec.until)}${closestListing(found.result)}`, { scroll: looked });
      }
    }
    if ((p.scrolls ?? 0) >= MAX_SCROLLS) {
      return fail(`scrolled ${spec.direction} ${MAX_SCROLLS} times without finding ${shown(spec.until)}${closestListing(found.result)}`, { scroll: looked });
    }
    p.scrolls = (p.scrolls ?? 0) + 1;
    p.lastRgb = rgb;
    if (target) p.scrollAt = target;
    return { actions: [{ action: 'scroll', direction: spec.direction, amount: spec.amount ?? searchNotches(frame), ...(target ? { target } : {}) }], complete: false, notes: { scroll: looked } };
  }

  if ('select' in step) return groundSelect(typeof step.select === 'string' ? { option: step.select } : step.select, ctx);

  if ('wait' in step) {
    if (typeof step.wait === 'number') return { actions: [{ action: 'wait', ms: Math.min(step.wait, 60_000) }], complete: true, notes: {} };
    const spec = step.wait;
    if (!spec.for) return { actions: [{ action: 'wait', ms: Math.min(spec.ms ?? 1000, 60_000) }], complete: true, notes: {} };
    const found = findText(ocr, spec.for);
    if (found.present) return { actions: [], complete: true, notes: { waitFor: spec.for, found: true } };
    const p = ctx.progress;
    p.startedAt ??= Date.now();
    const limit = spec.ms ?? DEFAULT_WAIT_FOR_MS;
    if (Date.now() - p.startedAt >= limit) return fail(`waited ${limit} ms for ${shown(spec.for)} to appear${closestListing(found.result)}`);
    return { actions: [{ action: 'wait', ms: WAIT_POLL_MS }], complete: false, notes: { waitFor: spec.for, found: false } };
  }

  if ('assert' in step) {
    const found = findText(ocr, step.assert);
    const notes = { assert: step.assert, locate: locateNotes(step.assert, found.result) };
    if (found.present) return { actions: [], complete: true, notes };
    return fail(`assertion failed: ${shown(step.assert)} is not on screen${closestListing(found.result)}`, notes);
  }

  if ('navigate' in step) return { actions: [{ action: 'navigate', url: step.navigate }], complete: true, notes: {} };
  if ('back' in step) return { actions: [{ action: 'back' }], complete: true, notes: {} };
  // `do` steps are expanded into a plan by the agent before grounding.
  return fail(`the step ${JSON.stringify(step)} cannot be grounded directly`);
}

function bareText(text: string): string {
  const m = text.trim().match(/^["“「'‘](.*)["”」'’]$/s);
  return m ? m[1] : text.trim();
}

async function groundSelect(spec: { option: string; in?: string }, ctx: GroundContext): Promise<Grounded> {
  const { frame, ocr, rgb, executor, progress } = ctx;
  const option = bareText(spec.option);

  // Browser: a native <select> offering the option (its popup is never painted headless).
  let selects = await findNativeSelects(executor, frame, option);
  if (selects.length > 1 && spec.in) {
    const r = locate(ocr, fieldDescription(spec.in), { image: rgb });
    const c = r.match?.point;
    if (c) {
      const dist = (b: PixelBox) => Math.hypot(Math.max(b[0] - c[0], 0, c[0] - b[2]), Math.max(b[1] - c[1], 0, c[1] - b[3]));
      selects = [...selects].sort((a, b) => dist(a.box) - dist(b.box));
    }
  }
  const chosen = selects[0];
  if (chosen) {
    const actions = selectActions(chosen);
    const notes = { select: { option: chosen.optionText, from: chosen.selectedIndex, to: chosen.optionIndex, label: chosen.label, how: 'native select: click, arrow keys, Enter' } };
    return { actions, complete: true, expect: actions.length ? { kind: 'box-shows', box: chosen.box, text: chosen.optionText } : undefined, notes };
  }

  // A dropdown opened on an earlier look (desktop), or an option shown as a radio/list item: click its text.
  if (progress.opened || !spec.in) {
    const r = locateTarget(ocr, spec.option, rgb);
    if (r.match) {
      const target = targetOf(r.match.box as PixelBox, r.match.point, r.match.text, frame);
      return { actions: [{ action: 'click', target }], complete: true, expect: { kind: 'screen-changes', box: target.box!, label: JSON.stringify(target.label) }, notes: { locate: locateNotes(spec.option, r) } };
    }
    return notFound(`cannot select ${spec.option}`, spec.option, r);
  }

  // Desktop dropdown: open it, then pick the option once it is drawn.
  const description = fieldDescription(spec.in);
  let r = locate(ocr, description, { image: rgb });
  if (!r.match) r = locate(ocr, spec.in, { image: rgb });
  if (!r.match) return notFound(`cannot find the list ${spec.in} to select ${spec.option} in`, description, r);
  progress.opened = true;
  const target = targetOf(r.match.box as PixelBox, r.match.point, r.match.text || spec.in, frame);
  return { actions: [{ action: 'click', target }], complete: false, notes: { select: { opened: spec.in } } };
}
