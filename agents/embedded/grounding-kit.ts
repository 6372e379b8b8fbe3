import type { ActionInput, Target } from '../../src/core/actions.ts';
import type { ExecutorView, TargetMatch } from '../../src/core/agent.ts';
import type { Frame, RgbImage } from '../../src/core/frame.ts';
import type { OcrResult, PixelBox } from '../../kernels/ocr/types.ts';
import { DescriptionError, parseDescription } from './ground/describe.ts';
import { locate, type LocateResult } from './ground/locate.ts';
import { HAS_QUOTES, quoteLiteral, unquote } from './quotes.ts';
import { squash, type Expectation } from './verify-effect.ts';

/**
 * What every step grounder shares: the screen it grounds on, what it returns, and the helpers
 * that find a target, say what was found, and word a miss with the closest candidates.
 */

export interface GroundContext {
  frame: Frame;
  ocr: OcrResult;
  rgb: RgbImage;
  /** For reading the page only (native <select> options). */
  executor?: ExecutorView;
  /** Scratch state of this step across decisions; starts as {}. */
  progress: StepProgress;
  /** The words of the goal this step was read from, when it came from a goal ("the gear icon"). */
  clause?: string;
}

export interface StepProgress {
  scrolls?: number;
  /** The pixels seen at the previous look, to notice that scrolling stopped moving the page. */
  lastRgb?: RgbImage;
  startedAt?: number;
  /** select off the browser: the dropdown was clicked open, the option comes next. */
  opened?: boolean;
  /** Looks waited for an opened list to be drawn (a toolkit may paint it a moment after the click). */
  openWaits?: number;
  /** scroll-until with `at`: where the first scroll happened (frame pixels), kept for the next ones. */
  scrollAt?: Target;
}

export interface Grounded {
  actions: ActionInput[];
  /** False when the step needs another look after these actions. */
  complete: boolean;
  expect?: Expectation;
  /** What the step's target matched on screen, when it has one. */
  located?: TargetMatch;
  /** A refusal for a tie: where the equally good candidates are (an alternative spelling may not pick one of them). */
  tied?: PixelBox[];
  notes: Record<string, unknown>;
}

/** Matches weaker than this do not count as "the text is on screen" for assert / scroll-until / wait-for. */
export const PRESENT_SCORE = 0.75;
/** Looks before a scroll-until gives up. */
export const MAX_SCROLLS = 30;

/** Notches (100 CSS px in the browser) for about three quarters of the view: pages overlap, nothing is skipped. */
export function searchNotches(frame: Frame): number {
  return Math.min(20, Math.max(1, Math.floor((0.75 * frame.height) / Math.max(frame.scale, 1e-3) / 100)));
}
export const DEFAULT_WAIT_FOR_MS = 10_000;
export const WAIT_POLL_MS = 500;

export const fail = (reason: string, notes: Record<string, unknown> = {}): Grounded => ({ actions: [{ action: 'fail', reason }], complete: true, notes });

export function targetOf(box: PixelBox, point: [number, number], label: string, frame: Frame): Target {
  const clampBox = [
    Math.max(0, box[0]),
    Math.max(0, box[1]),
    Math.min(frame.width, box[2]),
    Math.min(frame.height, box[3]),
  ] as PixelBox;
  const p: [number, number] = [Math.min(Math.max(point[0], 0), frame.width - 1), Math.min(Math.max(point[1], 0), frame.height - 1)];
  return { box: clampBox, point: p, label };
}

export function locateNotes(description: string, r: LocateResult): Record<string, unknown> {
  return {
    description,
    match: r.match && { text: r.match.text, box: r.match.box.map(Math.round), score: r.match.score, kind: r.match.kind },
    candidates: r.candidates.slice(0, 3).map((c) => ({ text: c.text, score: c.score })),
  };
}

export function notFound(what: string, description: string, r: LocateResult): Grounded {
  const why = r.message ?? `no match for ${description}`;
  const refused = fail(`${what}: ${why}`, { locate: locateNotes(description, r) });
  return r.ambiguous && r.candidates.length ? { ...refused, tied: r.candidates.map((c) => c.box as PixelBox) } : refused;
}

/** "Username" → "the field labelled Username"; descriptions that already name a field pass through. */
export function fieldDescription(into: string): string {
  if (/\b(?:field|fields|box|input|textbox|textarea|text\s*area)\b|输入框|文本框|编辑框/i.test(into)) return into;
  const described = `the field labelled ${into}`;
  // A list named by a role word ("the Label dropdown", "Title") would lose its name to the parser.
  return HAS_QUOTES.test(into) || namesSomething(described) ? described : `the field labelled ${quoteLiteral(into)}`;
}

function namesSomething(description: string): boolean {
  try {
    return parseDescription(description).text !== '';
  } catch (e) {
    if (e instanceof DescriptionError) return false;
    throw e;
  }
}


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
  const want = foldConfusables(unquote(query));
  const m = result.match;
  const present = !!m && m.kind === 'text' && m.score >= PRESENT_SCORE && foldConfusables(m.text) === want;
  return { present, result };
}

/** A text as messages show it: quoted once. */
export function shown(text: string): string {
  return HAS_QUOTES.test(text) ? text : JSON.stringify(text);
}

export function closestListing(r: LocateResult): string {
  const c = r.match ? [{ text: r.match.text, score: r.match.score }, ...r.candidates] : r.candidates;
  return c.length ? `; closest on screen: ${c.slice(0, 3).map((x) => `"${x.text}" (${x.score.toFixed(2)})`).join(', ')}` : '; nothing similar was read';
}



/** The notes and the located match of a target found by `r` for `description`. */
export function found(description: string, r: LocateResult): { notes: Record<string, unknown>; located?: TargetMatch } {
  return { notes: { locate: locateNotes(description, r) }, ...(r.match ? { located: { text: r.match.text, score: r.match.score } } : {}) };
}
