import { z } from 'zod';
import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { allFields, fieldForLabel, fieldOfPlaceholder, guessedField, isPlaceholder, onButton, switchForLabel, toggleForLabel, type ControlHit, type Direction } from './controls.ts';
import { findAnchor, inAnchorPanel } from './anchors.ts';
import { namesBeforeKind, numberAfterKind } from './kind-tail.ts';
import { locateInRowNumber, toggleOfRow } from './row-ordinal.ts';
import { squash } from '../verify-effect.ts';
import { DescriptionError, parseDescription, type TargetQuery } from './describe.ts';
import { onAnchorRow } from './row-band.ts';
import { boxDistance, centre, contains, edgeDistance, height, inHalfOf, inRegion, inRelation, readingOrder, sameBox } from './geometry.ts';
import { guessRefused, inSentence, inTrail, onPager } from './hit-context.ts';
import { wrappedMatch } from './wrapped-text.ts';
import { searchText, type TextHit } from './text-match.ts';
import { nearAnchors, POOL_MARGIN } from './near.ts';

/**
 * Grounding for the embedded engine: finds what a description names on an OCR-read screen.
 * Pure over (OCR result, description, optional RGB screenshot).
 */

const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const LocateMatchSchema = z.object({
  /** Where to act, in image pixels. */
  point: z.tuple([z.number(), z.number()]),
  box: Box,
  /** The label text as OCR read it (for a field: its label or placeholder). */
  text: z.string(),
  /** 0..1: text similarity times how well the span fits a widget label, lower for guessed controls. */
  score: z.number(),
  kind: z.enum(['text', 'field', 'image']),
  /** For a field or toggle: where its label is, and whether the control itself was only guessed from it (not seen). */
  labelBox: Box.optional(),
  guessed: z.boolean().optional(),
});

export const LocateCandidateSchema = z.object({ text: z.string(), box: Box, score: z.number() });

export const LocateResultSchema = z.object({
  match: LocateMatchSchema.optional(),
  /** The closest alternatives (other than the match), best first, for error messages. */
  candidates: z.array(LocateCandidateSchema),
  /** Why nothing matched; absent when there is a match. */
  message: z.string().optional(),
  /** No match because several candidates fit equally well (they are the candidates). */
  ambiguous: z.boolean().optional(),
});

export type LocateMatch = z.infer<typeof LocateMatchSchema>;
export type LocateCandidate = z.infer<typeof LocateCandidateSchema>;
export type LocateResult = z.infer<typeof LocateResultSchema>;

export interface LocateOptions {
  /** The screenshot the OCR was read from; needed to find input rectangles and checkboxes. */
  image?: RgbImage;
}

/** Lowest score accepted as a match. */
export const MIN_SCORE = 0.5;
/** Texts within this much of each other are equally good: a tie that no description settles. */
const TIE_MARGIN = 0.02;
const CANDIDATE_COUNT = 5;

export function locate(ocr: OcrResult, description: string, options: LocateOptions = {}): LocateResult {
  let query: TargetQuery;
  try {
    query = parseDescription(description);
  } catch (e) {
    if (e instanceof DescriptionError) return { candidates: [], message: e.message };
    throw e;
  }
  if (query.row !== undefined) return locateInRowNumber(ocr, query, options.image);
  if (query.kind === 'field' && !query.text) return locateBareField(ocr, query, options.image);
  if (query.kind === 'checkbox' && !query.text && query.anchor?.relation === 'row') return locateRowToggle(ocr, query.anchor.text, options.image, query.role);

  // "the input below 'Email'": the anchor is the label itself, and its relation the direction.
  let direction: Direction | undefined;
  let anchor = query.anchor;
  if (query.kind !== 'text' && anchor && anchor.text === query.text) {
    if (anchor.relation === 'below' || anchor.relation === 'right') direction = anchor.relation;
    anchor = undefined;
  }

  let hits = searchText(ocr, query.text).filter((h) => h.score >= MIN_SCORE);
  if (hits.length === 0 && query.kind !== 'text' && !query.quoted) {
    const named = labelWithoutKind(ocr, query.text);
    // "the box next to the Lufthansa flight", "…ticket #48190": a listed thing's name heads its
    // row, and the row's checkbox is the one meant (an avatar or an icon may sit nearer the name).
    if (named.name && query.kind === 'checkbox') return locateRowToggle(ocr, named.name, options.image, query.role);
    hits = named.hits;
  }
  if (hits.length === 0) return wrappedOrNone(ocr, query);
  const onNavigation = inNavigation(ocr, hits, query);
  if ('candidates' in onNavigation) return onNavigation;
  hits = onNavigation;

  let anchorHits: TextHit[] = [];
  if (anchor) {
    const placed = hitsByAnchor(ocr, hits, query.text, anchor, options.image);
    if ('candidates' in placed) return placed;
    ({ hits, anchorHits } = placed);
  }

  hits = preferRegion(hits, query.region, ocr);
  const pool = choosePool(hits, query, anchorHits);
  const first = pickOrdinal(pool, query.ordinal);
  if (!first) {
    const cands = toCandidates(pool);
    const sought = query.ordinal === undefined ? `no "${query.text}" in the ${query.region} of the screen` : `asked for the ${ordinalWord(query.ordinal)} "${query.text}" but the screen shows ${pool.length}`;
    return { candidates: cands, message: `${sought}${listing(cands)}` };
  }
  let picked = first;
  if (query.ordinal === undefined && query.kind === 'text' && !anchor) {
    const settled = settleTie(pool, first, query, options.image);
    if (!('box' in settled)) return settled;
    picked = settled;
  }

  const others = (m: LocateMatch) => closestCandidates(ocr, query.text, [m.box, picked.box]);
  if (query.kind === 'text') {
    const match = textMatch(picked);
    return { match, candidates: others(match) };
  }
  if (query.kind === 'checkbox') {
    let t = (query.role === 'switch' && options.image ? switchForLabel(picked.box, options.image, ocr) : null) ?? toggleForLabel(picked.box, options.image, ocr);
    // "把用户协议勾上": a name inside a box's label line ("我已阅读并同意《用户协议》") names the box at its start (not a switch: "打开《协议》" opens the link).
    const line = t.confidence < 1 && options.image && query.role !== 'switch' ? ocr.groups.find((g) => contains(g.box as PixelBox, picked.box, 1) && g.box[0] < picked.box[0] - height(picked.box)) : undefined;
    if (line) t = toggleForLabel(line.box as PixelBox, options.image, ocr);
    if (t.confidence < 1 && options.image) {
      // Nothing toggle-shaped beside the label: a click where one usually sits would be a guess.
      return { candidates: toCandidates(pool), message: `no checkbox, radio button or switch seen beside "${picked.text}"` };
    }
    const match = controlMatch(t, picked, 'field');
    return { match, candidates: others(match) };
  }
  const match = fieldMatch(ocr, picked, query.ordinal ? [picked] : [picked, ...pool.filter((h) => h !== picked)], options.image, direction);
  // "评论框" where "评论" is the send button's word: a short button word labels no field outside it.
  const button = options.image && Array.from(picked.text.trim()).length <= 4 && !contains(match.box, picked.box, 2) && onButton(picked.box, options.image);
  const why = button ? `"${picked.text}" is a button's word, not a field's label` : match.guessed ? guessRefused(query.text, picked) : undefined;
  return why ? { candidates: toCandidates(pool), message: why } : { match, candidates: others(match) };
}

/** No line holds the text: a long name wrapped over lines, read line by line, or no answer. */
function wrappedOrNone(ocr: OcrResult, query: TargetQuery): LocateResult {
  const wrapped = query.kind === 'text' && !query.anchor && !query.region && query.ordinal === undefined ? wrappedMatch(ocr, query.text) : undefined;
  if (wrapped) return { match: { point: centre(wrapped.box), box: wrapped.box, text: wrapped.text, score: wrapped.score, kind: 'text' }, candidates: [] };
  const cands = closestCandidates(ocr, query.text, []);
  return { candidates: cands, message: notFound(`"${query.text}"`, cands) };
}

/** The hits in a breadcrumb trail or a pager, when the description says so; none there is no answer. */
function inNavigation(ocr: OcrResult, hits: TextHit[], query: TargetQuery): TextHit[] | LocateResult {
  const kept = query.trail ? hits.filter(inTrail) : query.pager ? hits.filter((h) => onPager(h, ocr)) : hits;
  if (kept.length) return kept;
  const cands = toCandidates(hits);
  const where = query.trail ? 'in a breadcrumb trail (names between / or > signs)' : 'among page numbers (a pager)';
  return { candidates: cands, message: `no "${query.text}" ${where}${listing(cands)}` };
}

/** The field a label names: among equally good labels, the first that has an input beside it. */
function fieldMatch(ocr: OcrResult, picked: TextHit, ordered: TextHit[], image: RgbImage | undefined, direction?: Direction): LocateMatch {
  // A placeholder is inside its field, never a label for the box below it.
  if (!direction && isPlaceholder(picked.groupText)) return controlMatch(fieldOfPlaceholder(picked.box, image), picked, 'field');
  for (const label of ordered) {
    const f = fieldForLabel(ocr, label.box, image, direction);
    if (f) return controlMatch(f, label, 'field');
  }
  return controlMatch(guessedField(picked.box, picked.groupText, direction), picked, 'field');
}

/** A label read surely when a kind word around it was left out. */
const NAMED_LABEL_SCORE = 0.9;

/**
 * "the checkbox next to the Lufthansa flight", "the checkbox of ticket #48190": a control's label
 * said with the kind of thing it is. The name alone, read surely (a number may be part of a line:
 * "Daniel Osei · #48190").
 */
function labelWithoutKind(ocr: OcrResult, text: string): { name?: string; hits: TextHit[] } {
  const id = numberAfterKind(text);
  if (id) {
    const hits = searchText(ocr, id).filter((h) => h.score >= MIN_SCORE && squash(h.text) === squash(id));
    return hits.length ? { name: id, hits } : { hits };
  }
  for (const name of namesBeforeKind(text)) {
    const hits = searchText(ocr, name).filter((h) => h.score >= NAMED_LABEL_SCORE);
    if (hits.length) return { name, hits };
  }
  return { hits: [] };
}

const PLACE_BY_KIND = /^(?:(?:the|left|right|top|bottom|upper|lower|main|side|primary|global)\s+)*(?:navigation|nav|menu|menu\s*bar|bar|panel|pane|toolbar|sidebar|header|footer|area|section|ribbon|status\s*bar|tab\s*bar)(?:\s+(?:panel|bar|area|menu|pane))?$/i;
const SURE_SCORE = 0.9;

/** The hits in the anchor's row, card or direction; or why there are none. */
function hitsByAnchor(
  ocr: OcrResult,
  all: TextHit[],
  text: string,
  anchor: NonNullable<TargetQuery['anchor']>,
  image: RgbImage | undefined,
): { hits: TextHit[]; anchorHits: TextHit[] } | LocateResult {
  const anchorHits = findAnchor(ocr, anchor.text).hits;
  // "Click item 'Comments' in the left navigation panel": a place said by its kind, no text on
  // screen; a target read surely, and only once, needs no place.
  const sure = anchorHits.length || !PLACE_BY_KIND.test(anchor.text.trim()) ? [] : all.filter((h) => h.score >= SURE_SCORE);
  if (sure.length === 1) return { hits: sure, anchorHits: [] };
  if (anchorHits.length === 0) {
    const cands = closestCandidates(ocr, anchor.text, []);
    return { candidates: cands, message: notFound(`"${anchor.text}" (the ${anchor.relation === 'row' ? 'row' : 'place'} to look in)`, cands) };
  }
  const rel = anchor.relation;
  const top = Math.max(...all.map((h) => h.score));
  // A hit inside the anchor's own text ("Delete" in "Delete project?") is the anchor, not the target.
  // A row ends at its panel's edge: a sidebar entry level with a list row is not in that row.
  let hits = all.filter((h) => !anchorHits.some((a) => contains(a.box, h.box, 1)) && anchorHits.some((a) => !sameBox(a.box, h.box) && (rel === 'row' ? onAnchorRow(h.box, a.box, ocr) && (!image || inAnchorPanel(h.box, a.box, image)) : inRelation(h.box, a.box, rel))));
  // "Snapshots in the Compute Engine menu": an item listed under its heading (however far down),
  // not the one just above it at the end of the menu before.
  const listed = rel === 'near' && anchor.heads ? underHeading(hits, anchorHits) : [];
  if (listed.length) hits = listed;
  else if (rel === 'near') hits = nearAnchors(hits, anchorHits, image);
  // "call Maria": a "call" inside a sentence on her row is not the "Call" button elsewhere.
  hits = hits.filter((h) => h.score >= top - POOL_MARGIN || !inSentence(h));
  if (hits.length === 0) {
    const cands = closestCandidates(ocr, text, []);
    return { candidates: cands, message: `"${text}" is not ${describeRelation(rel)} "${anchor.text}"${listing(cands)}` };
  }
  return { hits, anchorHits };
}

/** How far down a heading's items may go, in the heading's text heights. */
const SECTION_HEIGHTS = 25;

/** The hits listed under a heading: below it, starting at its left edge or indented a little, the nearest first. */
function underHeading(all: TextHit[], headings: TextHit[]): TextHit[] {
  const under = (h: TextHit, a: TextHit): number | undefined => {
    const ah = height(a.box);
    const dy = h.box[1] - a.box[3];
    // A heading may start with an icon its items do not have: they may start left of its text.
    const inColumn = h.box[0] >= a.box[0] - 3 * ah && h.box[0] <= a.box[0] + 6 * ah;
    return inColumn && dy >= -0.25 * ah && dy <= SECTION_HEIGHTS * ah ? dy : undefined;
  };
  const placed = all.map((h) => ({ h, dy: Math.min(...headings.map((a) => under(h, a) ?? Infinity)) })).filter((x) => Number.isFinite(x.dy));
  const nearest = Math.min(...placed.map((x) => x.dy));
  return placed.filter((x) => x.dy === nearest).map((x) => x.h);
}

/**
 * Precision first: two equally good texts and nothing in the description to tell them apart is
 * no answer. A "button" in the description picks the one drawn as a button.
 */
function settleTie(pool: TextHit[], first: TextHit, query: TargetQuery, image: RgbImage | undefined): TextHit | LocateResult {
  let ties = pool.filter((h) => h.score >= first.score - TIE_MARGIN);
  if (ties.length > 1 && query.role === 'button' && image) {
    const buttons = ties.filter((h) => onButton(h.box, image));
    if (buttons.length) ties = buttons;
  }
  const distinct = ties.filter((h, i) => !ties.slice(0, i).some((o) => sameBox(o.box, h.box, 4)));
  if (distinct.length <= 1) return distinct[0] ?? first;
  const cands = toCandidates(distinct);
  return { candidates: cands, ambiguous: true, message: `"${query.text}" is on screen more than once, equally well${listing(cands)}; say which (an ordinal, or the row or card it is in)` };
}

/**
 * A place on screen narrows the hits to those there. A user's "top right" is approximate: with
 * none there, those in that half of the screen; a hit on the other side is not what was meant.
 */
function preferRegion(hits: TextHit[], region: TargetQuery['region'], ocr: OcrResult): TextHit[] {
  if (!region) return hits;
  const there = hits.filter((h) => inRegion(h.box, region, ocr.width, ocr.height));
  if (!there.length) return hits.filter((h) => inHalfOf(h.box, region, ocr.width, ocr.height));
  // "in the sidebar" of two labels both left of a third of the screen: the one by the edge, when
  // it is clearly nearer it (at most half as far, the other beyond a tenth of the screen).
  const edge = (h: TextHit) => edgeDistance(h.box, region, ocr.width, ocr.height);
  const nearest = Math.min(...there.map(edge));
  return there.filter((h) => edge(h) <= Math.max(2 * nearest, 0.1));
}

/** The hits that are all "the" target: close to the best score, ordered for ordinals (reading order, or nearest the anchor). */
function choosePool(hits: TextHit[], query: TargetQuery, anchorHits: TextHit[]): TextHit[] {
  const best = Math.max(...hits.map((h) => h.score));
  const pool = hits.filter((h) => h.score >= best - POOL_MARGIN);
  const rel = query.anchor?.relation;
  if (anchorHits.length && rel && rel !== 'row') {
    const dist = (h: TextHit) => Math.min(...anchorHits.filter((a) => !sameBox(a.box, h.box)).map((a) => boxDistance(a.box, h.box)));
    return pool.sort((a, b) => dist(a) - dist(b));
  }
  const ordered = readingOrder(pool, (h) => h.box);
  if (query.ordinal !== undefined) return ordered;
  // No ordinal: the best score wins; near-ties go to the first in reading order.
  const top = ordered.filter((h) => h.score >= best - 0.02);
  return [...top, ...ordered.filter((h) => !top.includes(h))];
}

function pickOrdinal<T>(pool: T[], ordinal: number | undefined): T | undefined {
  if (ordinal === undefined) return pool[0];
  return ordinal > 0 ? pool[ordinal - 1] : pool[pool.length + ordinal];
}

function textMatch(h: TextHit): LocateMatch {
  return { point: centre(h.box), box: h.box, text: h.text, score: round(h.score), kind: 'text' };
}

function controlMatch(c: ControlHit, label: TextHit, kind: 'field'): LocateMatch {
  return {
    point: centre(c.box),
    box: c.box.map(round) as PixelBox,
    text: label.text,
    score: round(label.score * c.confidence),
    kind,
    labelBox: label.box.map(round) as PixelBox,
    ...(c.confidence <= 0.6 ? { guessed: true } : {}),
  };
}

/** "the checkbox in the row with X": the toggle at the start of X's row (tables put it first), else at its end. */
function locateRowToggle(ocr: OcrResult, anchorText: string, image: RgbImage | undefined, role: TargetQuery['role']): LocateResult {
  const anchors = findAnchor(ocr, anchorText).hits;
  if (!anchors.length) {
    const cands = closestCandidates(ocr, anchorText, []);
    return { candidates: cands, message: notFound(`"${anchorText}" (the row to look in)`, cands) };
  }
  const best = anchors[0];
  const rivals = anchors.filter((a) => a !== best && a.score >= best.score - 0.02 && Math.abs(centre(a.box)[1] - centre(best.box)[1]) > height(best.box));
  if (rivals.length) {
    return { candidates: toCandidates([best, ...rivals]), message: `"${anchorText}" is in more than one row; say which` };
  }
  return toggleOfRow(ocr, { box: best.box, text: best.text, score: best.score }, image, role, `the row of "${best.text}"`, toCandidates([best]));
}

/** A placeholder that asks for input by its first word (not one only cut short with "…"). */
const ASKS_INPUT = /^(?:search|find|enter|type|write|e\.g\.)\b|^(?:请输入|请填写|搜索|输入|例如)/i;

function locateBareField(ocr: OcrResult, query: TargetQuery, image: RgbImage | undefined): LocateResult {
  if (!image) return { candidates: [], message: 'finding "the text field" without a label needs the screenshot (options.image)' };
  const fields = allFields(ocr, image);
  const picked = pickOrdinal(fields, query.ordinal);
  // No box drawn, but one field known by its placeholder ("Search settings" in a pill): that one.
  const shown = fields.length || query.ordinal !== undefined ? [] : ocr.groups.filter((g) => isPlaceholder(g.text) && ASKS_INPUT.test(g.text.trim().replace(/^\S\s+/, '')));
  if (shown.length === 1) {
    const f = fieldOfPlaceholder(shown[0].box as PixelBox, image);
    return { match: { point: centre(f.box), box: f.box.map(round) as PixelBox, text: shown[0].text, score: 0.8, kind: 'field' }, candidates: [] };
  }
  if (!picked) {
    const msg = fields.length
      ? `asked for the ${ordinalWord(query.ordinal!)} text field but the screen shows ${fields.length}`
      : 'no text field (a bordered input box) on screen; name its label instead, e.g. "the field labelled \'Email\'"';
    return { candidates: fields.map((f) => ({ text: f.inner ?? '', box: f.box, score: 1 })), message: msg };
  }
  const match: LocateMatch = { point: centre(picked.box), box: picked.box, text: picked.inner ?? '', score: 1, kind: 'field' };
  return { match, candidates: fields.filter((f) => f !== picked).map((f) => ({ text: f.inner ?? '', box: f.box, score: 1 })) };
}

/** The texts on screen most like `text`, excluding the given boxes, one per OCR group. */
export function closestCandidates(ocr: OcrResult, text: string, exclude: PixelBox[]): LocateCandidate[] {
  const hits = searchText(ocr, text, { unbounded: true });
  return toCandidates(hits.filter((h) => !exclude.some((b) => sameBox(b, h.box) || sameBox(b, h.groupBox))));
}

function toCandidates(hits: TextHit[]): LocateCandidate[] {
  const seen = new Set<string>();
  const out: LocateCandidate[] = [];
  for (const h of [...hits].sort((a, b) => b.score - a.score)) {
    const key = `${h.groupText}@${h.groupBox.join(',')}`;
    if (seen.has(key) || h.score <= 0) continue;
    seen.add(key);
    out.push({ text: h.groupText, box: h.groupBox, score: round(h.score) });
    if (out.length >= CANDIDATE_COUNT) break;
  }
  return out;
}

function listing(cands: LocateCandidate[]): string {
  if (!cands.length) return '';
  return `; closest on screen: ${cands.map((c) => `"${c.text}" (${c.score.toFixed(2)})`).join(', ')}`;
}

function notFound(what: string, cands: LocateCandidate[]): string {
  return `no text matching ${what} on screen${listing(cands) || ' (nothing similar was read)'}`;
}

function describeRelation(rel: string): string {
  return { row: 'in the same row as', near: 'near', below: 'below', above: 'above', right: 'right of', left: 'left of' }[rel] ?? rel;
}

export function ordinalWord(n: number): string {
  if (n === -1) return 'last';
  if (n < 0) return `${-n}th from last`;
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
