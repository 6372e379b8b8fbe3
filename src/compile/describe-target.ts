import { medianTextHeight } from '../../agents/embedded/ground/controls.ts';
import { locate, type LocateMatch, type LocateResult } from '../../agents/embedded/ground/locate.ts';
import { fieldDescription, locateTarget } from '../../agents/embedded/grounding-kit.ts';
import type { PixelBox } from '../../kernels/ocr/types.ts';
import type { Screen } from './screen.ts';

/**
 * Describes what an action pointed at by what is visible there: the shortest description that
 * the embedded grounder resolves, on the same screen, to the element that was acted on. Tried in
 * order: the text itself, an ordinal ("the second "Edit""), a row anchor ("Delete" in the row
 * with "alice"), a field or checkbox by its label. Nothing resolving: undefined (the caller keeps
 * a template crop instead).
 */

export type DescriptionForm = 'text' | 'ordinal' | 'anchor' | 'field' | 'checkbox';

export interface Described {
  description: string;
  form: DescriptionForm;
  /** What the grounder found for it on the screen it was described on. */
  match: LocateMatch;
}

/** Where the action landed, in frame pixels, and the box the agent gave, when it gave one. */
export interface TargetHint {
  point: [number, number];
  box?: PixelBox;
}

/** How a step kind grounds its target text: the description → what the grounder finds. */
export type Resolver = (screen: Screen, description: string) => LocateResult;

/** click, hover, drag and scroll `at`: locateTarget on the description. */
export const pointerResolver: Resolver = (s, d) => locateTarget(s.ocr, d, s.rgb);

/** type `into`: the field labelled so, else the text itself (a placeholder inside the field), as the type grounder does. */
export const fieldResolver: Resolver = (s, d) => {
  const fd = fieldDescription(d);
  const r = locate(s.ocr, fd, { image: s.rgb });
  if (r.match || fd === d) return r;
  const byText = locateTarget(s.ocr, d, s.rgb);
  return byText.match ? byText : r;
};

/** Matches weaker than this are not trusted to find the same element on another day. */
const MIN_SCORE = 0.7;
const MAX_TEXTS = 8;
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

function inside(p: [number, number], b: PixelBox): boolean {
  return p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
}

function grow(b: PixelBox, m: number): PixelBox {
  return [b[0] - m, b[1] - m, b[2] + m, b[3] + m];
}

function distance(p: [number, number], b: PixelBox): number {
  return Math.hypot(Math.max(b[0] - p[0], 0, p[0] - b[2]), Math.max(b[1] - p[1], 0, p[1] - b[3]));
}

/** Whether a grounded match is the element the action landed on. */
export function sameElement(match: LocateMatch, hint: TargetHint, screen: Screen): boolean {
  const m = match.box as PixelBox;
  const h = m[3] - m[1];
  // A text match is the label; the widget around it (a button) reaches a little beyond it.
  const margin = match.kind === 'text' ? Math.max(4 * screen.frame.scale, 0.6 * h) : 2 * screen.frame.scale;
  if (inside(hint.point, grow(m, margin))) return true;
  const b = hint.box;
  if (!b) return false;
  const small = (b[2] - b[0]) * (b[3] - b[1]) < 0.25 * screen.frame.width * screen.frame.height;
  return small && inside(match.point, b);
}

/**
 * A group's text without what tends to change from one day to the next: a leading glyph OCR read
 * as a letter (a radio "O", a bullet) and tokens that mix digits with symbols (prices, dates,
 * times, counts like "3/5"). "O Pro plan $17/month" → "Pro plan"; "Item 73" stays.
 */
export function stableText(text: string): string {
  const tokens = text.trim().split(/\s+/);
  while (tokens.length > 1 && /^(?:[oO0○●◯•·□■☐☑✓✔*\-–—>»]|\W)$/.test(tokens[0])) tokens.shift();
  const kept = tokens.filter((t) => !(/\d/.test(t) && /[$€£¥%/:.,+]/.test(t)));
  return (kept.length ? kept : tokens).join(' ');
}

/** Distance from the target to a text: to the point, or to the agent's box when it gave a sensible one. */
function distanceTo(hint: TargetHint, screen: Screen, b: PixelBox): number {
  const d = distance(hint.point, b);
  const h = hint.box;
  if (!h || (h[2] - h[0]) * (h[3] - h[1]) >= 0.25 * screen.frame.width * screen.frame.height) return d;
  const inBox = Math.hypot(Math.max(h[0] - b[2], 0, b[0] - h[2]), Math.max(h[1] - b[3], 0, b[1] - h[3]));
  return Math.min(d, inBox);
}

/** Texts that may name the target: OCR groups nearest first (each in its stable form first), then the words of the group under it. */
function candidateTexts(screen: Screen, hint: TargetHint, radius: number): string[] {
  const groups = screen.ocr.groups
    .map((g) => ({ text: g.text.trim(), d: distanceTo(hint, screen, g.box), p: distance(hint.point, g.box), g }))
    // A lone character counts only under the point (a keypad's "7"); elsewhere it is often a border read as a letter.
    .filter((c) => c.text && c.d <= radius && !c.text.includes('"') && (c.text.length > 1 || c.p <= 0.5 * (c.g.box[3] - c.g.box[1])))
    .sort((a, b) => a.d - b.d || a.p - b.p);
  const out: string[] = [];
  const add = (t: string) => t && !t.includes('"') && !out.includes(t) && out.push(t);
  // OCR may run two neighbouring labels into one group ("Imprint Terms of service"): the words inside the agent's box come first.
  const words = wordsInside(screen, hint);
  if (words) {
    add(stableText(words));
    add(words);
  }
  for (const c of groups) {
    add(stableText(c.text));
    add(c.text);
  }
  const under = groups.find((c) => c.d === 0);
  if (under) {
    for (const wi of under.g.words) {
      const w = screen.ocr.words[wi]?.text.trim();
      if (w && !w.includes('"') && /\p{L}{2}/u.test(w)) add(w);
    }
  }
  return out.slice(0, MAX_TEXTS);
}

/** The words whose centres lie in the agent's box (when it gave a sensible one), in reading order. */
function wordsInside(screen: Screen, hint: TargetHint): string | undefined {
  const b = hint.box;
  if (!b || (b[2] - b[0]) * (b[3] - b[1]) >= 0.25 * screen.frame.width * screen.frame.height) return undefined;
  const inside = screen.ocr.words.filter((w) => {
    const cx = (w.box[0] + w.box[2]) / 2;
    const cy = (w.box[1] + w.box[3]) / 2;
    return cx >= b[0] - 2 && cx <= b[2] + 2 && cy >= b[1] - 2 && cy <= b[3] + 2;
  });
  const words = inside.length > 1 ? inside.filter((w) => w.text.trim().length > 1) : inside;
  if (!words.length) return undefined;
  words.sort((a, c) => a.line - c.line || a.box[0] - c.box[0]);
  return words.map((w) => w.text.trim()).join(' ');
}

/** Texts on the same row as a box (other than itself), nearest first: anchors for "in the row with". */
function rowTexts(screen: Screen, box: PixelBox): string[] {
  const cy = (box[1] + box[3]) / 2;
  return screen.ocr.groups
    .filter((g) => g.box[1] <= cy && g.box[3] >= cy && !(g.box[0] === box[0] && g.box[1] === box[1]) && g.text.trim() && !g.text.includes('"'))
    .sort((a, b) => Math.abs(a.box[0] - box[0]) - Math.abs(b.box[0] - box[0]))
    .map((g) => g.text.trim())
    .slice(0, 4);
}

const GUESSED_FIELD_MIN_SCORE = 0.55;
/** A control found from a label must have been seen (not guessed beside the label) to name a clicked target. */
const CONTROL_MIN_SCORE = 0.85;

function tryDescription(screen: Screen, hint: TargetHint, resolve: Resolver, description: string, form: DescriptionForm, min = MIN_SCORE): Described | undefined {
  const r = resolve(screen, description);
  if (!r.match || r.match.score < min || !sameElement(r.match, hint, screen)) return undefined;
  return { description, form, match: r.match };
}

export interface DescribeOptions {
  /** How the step kind grounds its text (default: the pointer grounder). */
  resolve?: Resolver;
  /** The target is an input: field descriptions come first. */
  field?: boolean;
}

/** The shortest description that finds the acted-on element again on this screen, or undefined. */
export function describeTarget(screen: Screen, hint: TargetHint, o: DescribeOptions = {}): Described | undefined {
  const resolve = o.resolve ?? pointerResolver;
  const h = medianTextHeight(screen.ocr);
  const near = candidateTexts(screen, hint, Math.max(2.5 * h, 24 * screen.frame.scale));
  const wide = candidateTexts(screen, hint, Math.max(14 * h, 200 * screen.frame.scale));
  const attempt = (d: string, form: DescriptionForm, min?: number) => tryDescription(screen, hint, resolve, d, form, min);
  if (o.field) {
    // A field guessed beside its label (no border seen, a textarea) is what the type grounder uses too.
    const byLabel = bestLabelled(screen, wide.map((t) => attempt(t, 'field', GUESSED_FIELD_MIN_SCORE)));
    if (byLabel) return byLabel;
  }
  const ordered: Array<() => Described | undefined> = [];
  if (!o.field) for (const t of near) ordered.push(() => attempt(t, 'text'));
  for (const t of near) {
    for (const w of ORDINALS) ordered.push(() => attempt(`the ${w} "${t}"`, 'ordinal'));
    ordered.push(() => attempt(`the last "${t}"`, 'ordinal'));
  }
  for (const t of near) {
    const own = screen.ocr.groups.find((g) => g.text.trim() === t);
    if (own) for (const u of rowTexts(screen, own.box)) ordered.push(() => attempt(`"${t}" in the row with "${u}"`, 'anchor'));
  }
  if (!o.field) {
    ordered.push(() => bestLabelled(screen, wide.map((t) => attempt(`the field labelled "${t}"`, 'field', CONTROL_MIN_SCORE))));
    ordered.push(() => bestLabelled(screen, wide.map((t) => attempt(`the checkbox next to "${t}"`, 'checkbox', CONTROL_MIN_SCORE))));
  }
  for (const next of ordered) {
    const got = next();
    if (got) return got;
  }
  return undefined;
}

/**
 * Among labels that all find the control, the one that sits next to it (a heading above the form
 * finds the first field too, but only its own label stays beside it when the form changes). Text
 * inside the control (a placeholder, the current value) counts only when no label outside does.
 */
function bestLabelled(screen: Screen, found: Array<Described | undefined>): Described | undefined {
  let best: { d: Described; cost: number } | undefined;
  for (const d of found) {
    if (!d) continue;
    const label = screen.ocr.groups.find((g) => g.text.trim() === d.match.text.trim());
    const box = d.match.box as PixelBox;
    const within = label && label.box[0] >= box[0] - 1 && label.box[2] <= box[2] + 1 && label.box[1] >= box[1] - 1 && label.box[3] <= box[3] + 1;
    const gap = label ? Math.hypot(Math.max(box[0] - label.box[2], 0, label.box[0] - box[2]), Math.max(box[1] - label.box[3], 0, label.box[1] - box[3])) : 1e6;
    // A label sits right beside its control, in text of the usual size; a heading (larger) or
    // another field's label further away is a last resort.
    const lh = label ? label.box[3] - label.box[1] : 0;
    const adjacent = label && lh <= 1.4 * medianTextHeight(screen.ocr) && gap <= Math.max(2 * lh, 12 * screen.frame.scale);
    const cost = (within ? 1e4 : adjacent ? 0 : 2e4) + gap;
    if (!best || cost < best.cost) best = { d, cost };
  }
  return best?.d;
}

/** The box a template crop of the target keeps: the agent's box when it is a sensible size, else a square around the point. */
export function templateBox(screen: Screen, hint: TargetHint): PixelBox {
  const { width, height, scale } = screen.frame;
  const b = hint.box;
  if (b) {
    const w = b[2] - b[0];
    const hh = b[3] - b[1];
    if (w >= 8 && hh >= 8 && w <= width / 3 && hh <= height / 3) return clampBox([b[0], b[1], b[2], b[3]], width, height);
  }
  const side = Math.min(96 * scale, Math.max(32 * scale, 3 * medianTextHeight(screen.ocr)));
  const [x, y] = hint.point;
  return clampBox([x - side / 2, y - side / 2, x + side / 2, y + side / 2], width, height);
}

function clampBox(b: PixelBox, w: number, h: number): PixelBox {
  const x1 = Math.max(0, Math.floor(b[0]));
  const y1 = Math.max(0, Math.floor(b[1]));
  return [x1, y1, Math.min(w, Math.max(x1 + 4, Math.ceil(b[2]))), Math.min(h, Math.max(y1 + 4, Math.ceil(b[3])))];
}
