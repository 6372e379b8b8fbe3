import { isCjkLetter } from '../../../kernels/cjk.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import type { DetectedLine } from '../ocr/ocr-pipeline.ts';
import type { LazyReading } from '../ocr/query-read.ts';
import { locateTarget } from '../grounding-kit.ts';
import { HAS_QUOTES, quoteLiteral } from '../quotes.ts';
import { DescriptionError, parseDescription, type TargetQuery } from './describe.ts';
import { contains, inRegion, inRelation, sameBox } from './geometry.ts';
import { locate, MIN_SCORE, type LocateResult } from './locate.ts';
import { normalizeChars, searchText, targetKeepsSymbols } from './text-match.ts';

/**
 * locate() on a partial reading, accepted only when no line left unread could change its answer.
 *
 * How a hit scores (text-match.ts): similarity × fit, where fit is 1 only for a span that is a
 * whole OCR group; a word inside a longer group fits at most 0.72 + 0.2 × coverage < 0.92, a span
 * across groups 0.9, part of a word 0.55 or less. locate() picks, with no ordinal, the first in
 * reading order of the hits within 0.02 of the best. So when the match scores ≥ MIN_SETTLED
 * (0.945), a hit that could tie or beat it (≥ 0.925) must be a whole group whose cells equal the
 * target's up to confusable letters (cost < 0.075 per character). A group is cut from its line
 * only at a blank gap of a text height (line-layout.ts), so its ink lies inside one run of ink
 * between such gaps (groupExtents), of about the target's width at the line's text size. Every
 * line with such a run is read first; the others cannot hold a rival. The match must then be the
 * only hit that good which locate() keeps (with two, the first in reading order wins, and lower
 * hits of unread lines can regroup the rows that order is made of). That width band, with its
 * slack for an icon or arrow drawn beside a label, is the one assumption from pixels; the
 * equality test (test/agents/embedded/ocr/query-read.test.ts) holds it to the full reading.
 *
 * Row anchors ("Edit in the row with Priya Nair"): every line in the row of each hit that ties or
 * beats the match (its crop within a pixel of the hit's rows: boxes are whole pixels) is read
 * too, so which of them has the anchor in its row is known exactly.
 * Lone glyphs (read only with the whole screen, at most 3 characters) cannot tie a target of 4
 * or more characters nor be an anchor of 5 or more (a 3-character text is 2 edits away).
 *
 * Everything else is not settled here and is read whole: fields and checkboxes (their controls
 * look at neighbouring text), ordinals (they count every hit), near/above/below/left/right anchors
 * (they rank hits down to 0.12 below the best by distance), short targets, no match.
 */

/** The least match score accepted from a partial reading (see above). */
export const MIN_SETTLED = 0.945;
/** Hits within this of the match tie it in locate() (its 0.02, plus the match score's rounding). */
const RIVAL_MARGIN = 0.021;
const MIN_TARGET_CELLS = 4;
const MIN_ANCHOR_CELLS = 5;
/** Width band of an ink run that may hold the sought text: [LOW × width, HIGH × width + EXTRA_EM × em]. */
const LOW = 0.3;
const HIGH = 1.6;
const EXTRA_EM = 5;
/** Rounds of "read the rivals' rows, look again" before giving up. */
const MAX_ROUNDS = 4;

export type Settled = { settled: true; result: LocateResult } | { settled: false; why: string };

/** locate(ocr, description, { image }) from a partial reading, or why the whole screen is needed. */
export async function settledLocate(reading: LazyReading, description: string, image: RgbImage): Promise<Settled> {
  let q: TargetQuery;
  try {
    q = parseDescription(description);
  } catch (e) {
    if (e instanceof DescriptionError) return { settled: false, why: 'no target in the description' };
    throw e;
  }
  if (q.kind !== 'text') return { settled: false, why: `a ${q.kind} is found through the text around it` };
  if (q.ordinal !== undefined) return { settled: false, why: 'an ordinal counts every match' };
  if (q.anchor && q.anchor.relation !== 'row') return { settled: false, why: `"${q.anchor.relation}" ranks matches by distance` };
  if (cellCount(q.text) < MIN_TARGET_CELLS) return { settled: false, why: 'a short target may be a lone glyph' };
  if (q.anchor && cellCount(q.anchor.text) < MIN_ANCHOR_CELLS) return { settled: false, why: 'a short anchor may be a lone glyph' };

  await reading.read(candidateLines(reading, [q.text, ...(q.anchor ? [q.anchor.text] : [])]));
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const ocr = reading.partial();
    const result = locate(ocr, description, { image });
    const m = result.match;
    if (!m || m.kind !== 'text') return { settled: false, why: 'no match among the lines read' };
    if (m.score < MIN_SETTLED) return { settled: false, why: `the match scores ${m.score}` };
    if (q.region && !inRegion(m.box, q.region, ocr.width, ocr.height)) return { settled: false, why: 'the match is outside the region named' };
    const rivals = searchText(ocr, q.text).filter((h) => h.score >= m.score - RIVAL_MARGIN);
    // locate() keeps the hits in the row of any anchor hit; the whole anchor text must be read
    // (a partial anchor falls back to spans of its words, which more lines could change).
    const anchors = q.anchor ? searchText(ocr, q.anchor.text).filter((h) => h.score >= MIN_SCORE) : [];
    if (q.anchor && !anchors.length) return { settled: false, why: 'the anchor is not among the lines read' };
    const rows = q.anchor ? reading.unread().filter((l) => rivals.some((h) => l.crop.y1 < h.box[3] + 1 && l.crop.y2 > h.box[1] - 1)) : [];
    if (rows.length) {
      await reading.read(rows);
      continue;
    }
    // The match must be the only hit that good which locate() keeps: with two, the first in
    // reading order wins, and hits of unread lines (lower, but in the pool) regroup the rows
    // that order is made of.
    const kept = rivals.filter(
      (h) =>
        (!q.anchor || (!anchors.some((a) => contains(a.box, h.box, 1)) && anchors.some((a) => !sameBox(a.box, h.box) && inRelation(h.box, a.box, 'row')))) &&
        (!q.region || inRegion(h.box, q.region, ocr.width, ocr.height)),
    );
    if (kept.length !== 1 || !sameBox(kept[0].box, m.box, 0.01)) return { settled: false, why: `${kept.length} equally good matches` };
    return { settled: true, result };
  }
  return { settled: false, why: 'the rows to look in kept growing' };
}

/**
 * locateTarget (grounding-kit.ts) from a partial reading: a plain label is also looked up as
 * literal text there, so both lookups must be settled; the answer is then locateTarget's own.
 */
export async function settledLocateTarget(reading: LazyReading, description: string, image: RgbImage): Promise<Settled> {
  const plain = await settledLocate(reading, description, image);
  if (!plain.settled) return plain;
  if (!HAS_QUOTES.test(description)) {
    let q: TargetQuery | undefined;
    try {
      q = parseDescription(description);
    } catch (e) {
      if (!(e instanceof DescriptionError)) throw e;
    }
    if (q && q.kind === 'text' && q.ordinal === undefined && !q.anchor && q.text !== description.trim()) {
      const literal = await settledLocate(reading, quoteLiteral(description.trim()), image);
      if (!literal.settled) return literal;
    }
  }
  // Both settled on lines that are all still read: locateTarget gives the full reading's answer.
  return { settled: true, result: locateTarget(reading.partial(), description, image) };
}

/** Unread lines with an ink run about as wide as one of the texts at the line's size. */
export function candidateLines(reading: LazyReading, texts: string[]): DetectedLine[] {
  const widths = texts.map(widthInEms);
  return reading.unread().filter((line) => {
    const { em, runs } = reading.extentsOf(line);
    // No ink found where the layout would look: nothing is known about the line, so it is read.
    if (!runs.length || !(em > 0)) return true;
    return runs.some(([x1, x2]) => widths.some((w) => x2 - x1 >= LOW * w * em && x2 - x1 <= HIGH * w * em + EXTRA_EM * em));
  });
}

function cellCount(text: string): number {
  return normalizeChars(text, targetKeepsSymbols(text)).length;
}

/** Rough advance of a text in text heights (as text-match.ts spreads a word box over its characters). */
function widthInEms(text: string): number {
  let w = 0;
  for (const ch of Array.from(text.trim())) {
    if (isCjkLetter(ch) || /[\uff00-\uffef]/.test(ch)) w += 1;
    else if (/[mwMW]/.test(ch)) w += 0.85;
    else if (/[iljtfrI.,:;'!|]/.test(ch)) w += 0.35;
    else if (ch === ' ') w += 0.3;
    else if (/[A-Z]/.test(ch)) w += 0.7;
    else w += 0.56;
  }
  return w;
}
