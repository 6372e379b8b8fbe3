/**
 * Icons on a screen: icon-like blobs (kernels/icon-blobs.ts) away from the words OCR read,
 * each described (kernels/icon-descriptor.ts) and ranked against the lexicon.
 */
import { z } from 'zod';
import { blobScratch, clearBox, components, edgeMask, mergeParts, type BlobBox, type BlobScratch } from '../../../kernels/icon-blobs.ts';
import { centre, DESC_LEN, describeGrid, dotRow, iconScratch, inkFromRgb, inkToGrid, MAX_CROP, topDot } from '../../../kernels/icon-descriptor.ts';
import { dotsInStrip, stripContinued, dotTriples, type DotTriple } from '../../../kernels/dot-triples.ts';
import { badgeScratch, findBadge, mirrorUnderBadge, withoutBadge } from '../../../kernels/icon-badge.ts';
import type { OcrResult } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import type { IconLexicon } from './icon-lexicon.ts';

export const IconName = z.object({ name: z.string(), set: z.string(), score: z.number() });
export type IconName = z.infer<typeof IconName>;

export interface IconCandidate {
  /** Box in image pixels [x1, y1, x2, y2). */
  box: [number, number, number, number];
  /**
   * The lexicon icons it looks most like, best first (distinct icons), cosine -1..1. Ranked on
   * first read: a query scores every candidate against a few icons only, and ranks the whole
   * lexicon just for those that score well (most blobs on a screen are never ranked).
   */
  readonly names: IconName[];
  /** Its descriptor (DESC_LEN), for scoring it against any icon (matchIcon). */
  descriptor: Float32Array;
  /** How many separate parts make it up (a kebab: 3). */
  parts: number;
  /** Described with the notification badge over it left out (kernels/icon-badge.ts). */
  badged?: boolean;
}

export const FindIconsOptions = z.object({
  /** Smallest and largest icon side on screen, px (scaled by `scale`). */
  minSide: z.number().positive().default(9),
  maxSide: z.number().positive().default(48),
  /** Image pixels per CSS pixel (a frame's scale): sizes above are CSS px. */
  scale: z.number().positive().default(1),
  edgeThreshold: z.number().positive().default(40),
  /** How many names to keep per candidate. */
  top: z.number().int().positive().default(8),
  /** At most this many blobs are described (the most compact first). */
  maxCandidates: z.number().int().positive().default(600),
});
export type FindIconsOptions = z.input<typeof FindIconsOptions>;

let scratch: BlobScratch | undefined;

/**
 * Whether a word is text whose box hides what lies under it. OCR reads many icons as one
 * character ("D" for a bell, "α" for a magnifier, "&" for share) on a line of its own, so a
 * lone character on its own line stays; one within a line of text ("3 minutes") is text.
 */
const isText = (text: string, line = text): boolean => {
  if (/^[.·…]+$/.test(text.trim()) && DOTS.test(line.trim())) return false;
  return [...text.trim()].length >= 2 || [...line.replace(/\s+/g, '')].length >= 2;
};
/** A "more" icon read as dots on a line of its own. */
const DOTS = /^[.·…](?:\s*[.·…])+$/;

/** Below this, a glyph on a toolbar line is a drawing OCR guessed at ("②" for a chain link). */
const GLYPH_CONFIDENCE = 0.8;

/**
 * Lines that are a toolbar: three words or more, none longer than two characters, two or more of
 * them read with doubt ("I A丨 三 三| ② 田" for italic, colour, alignments, link and media).
 * Narrower than a line of lone characters taken for icons, which cost the frozen half (README).
 */
function glyphLines(ocr: OcrResult | undefined): Set<number> {
  const out = new Set<number>();
  ocr?.lines.forEach((line, i) => {
    const words = line.words.map((k) => ocr.words[k]);
    if (words.length < 3 || words.some((w) => [...w.text.trim()].length > 2)) return;
    const doubtful = words.filter((w) => w.confidence < GLYPH_CONFIDENCE).length;
    if (doubtful >= 2) out.add(i);
  });
  return out;
}

const boxHeight = (b: readonly number[]): number => b[3] - b[1];

/** A word alone on its line, one or two characters read with doubt in an icon's square ("63" for an expand icon): a drawing. */
function loneGlyph(w: OcrResult['words'][number], ocr: OcrResult): boolean {
  // (Letters or digits: a symbol read as itself, "<>", is the glyph the page drew.)
  return ocr.lines[w.line]?.words.length === 1 && /^[\p{L}\p{N}]{1,2}$/u.test(w.text.trim()) && w.confidence < GLYPH_CONFIDENCE && w.box[2] - w.box[0] <= 1.4 * boxHeight(w.box);
}

/** A symbol OCR made of an icon, then a count: "☆1.1万", "♡2.3k". */
const COUNT_AFTER_GLYPH = /^[\p{S}\p{No}Ω]\s*\d[\d.,]*\s*(?:[万千百亿kKmMwW]\+?)?$/u;
const COUNT = /^\d[\d.,]*\s*(?:[万千百亿kKmMwW]\+?)?$/u;

/** One-character words right before a count on their line ("D 286": a comment bubble and its count): drawings, not text. */
function countedGlyphs(ocr: OcrResult): Set<number> {
  const out = new Set<number>();
  ocr.words.forEach((w, i) => {
    // (共 12, ¥ 99: a word and a sign, not drawings.)
    if ([...w.text.trim()].length !== 1 || /[\p{Script=Han}\p{Sc}]/u.test(w.text)) return;
    const h = boxHeight(w.box);
    const next = ocr.lines[w.line]?.words.map((k) => ocr.words[k]).find((o) => o !== w && o.box[0] >= w.box[2] - 1 && o.box[0] - w.box[2] <= 1.2 * h);
    if (next && COUNT.test(next.text.trim())) out.add(i);
  });
  return out;
}

/** The parts of the screen's edge mask away from text (8-connected components). */
function edgeParts(rgb: RgbImage, ocr: OcrResult | undefined, o: z.output<typeof FindIconsOptions>, keepGlyphs = false): Array<{ box: BlobBox; pixels: number }> {
  const { width, height } = rgb;
  if (!scratch || scratch.mask.length < width * height) scratch = blobScratch(width * height);
  const s = scratch;
  edgeMask(rgb.data, width, height, o.edgeThreshold, s.mask);
  const toolbars = glyphLines(ocr);
  const counted = ocr ? countedGlyphs(ocr) : new Set<number>();
  (ocr?.words ?? []).forEach((w, i) => {
    const text = keepGlyphs ? [...w.text.trim()].length >= 2 : isText(w.text, ocr!.lines[w.line]?.text) && !(toolbars.has(w.line) && w.confidence < GLYPH_CONFIDENCE) && !counted.has(i) && !loneGlyph(w, ocr!);
    if (!text) return;
    // "☆1.1万": a count read together with the drawing before it; only the count is text.
    const lead = COUNT_AFTER_GLYPH.test(w.text.trim()) ? boxHeight(w.box) * 1.1 : 0;
    clearBox(s.mask, width, height, [w.box[0] - 1 + lead, w.box[1] - 1, w.box[2] + 1, w.box[3] + 1]);
  });
  return components(s.mask, width, height, s);
}

/** The blobs that may be icons, as boxes. */
export function iconBlobs(rgb: RgbImage, ocr: OcrResult | undefined, o: z.output<typeof FindIconsOptions>): Array<{ box: BlobBox; parts: number }> {
  const minSide = Math.round(o.minSide * o.scale);
  const maxSide = Math.round(o.maxSide * o.scale);
  const parts = edgeParts(rgb, ocr, o)
    .filter((c) => c.pixels >= 3 && Math.max(c.box[2] - c.box[0], c.box[3] - c.box[1]) <= maxSide)
    .map((c) => c.box);
  return mergeParts(parts, { minSide, maxSide, minGap: Math.round(3 * o.scale) });
}

/** Kebab and meatball menus: three small dots in a row, away from text (kernels/dot-triples.ts). */
export function dotMenus(rgb: RgbImage, ocr: OcrResult | undefined, options: FindIconsOptions = {}): DotTriple[] {
  const o = FindIconsOptions.parse(options);
  // A kebab is often read as a one-character word (":", "i") on its row's line: it stays.
  const parts = edgeParts(rgb, ocr, o, true).map((c) => c.box);
  const maxDot = Math.round(MAX_DOT_PX * o.scale);
  const strips = parts.map((p) => dotsInStrip(rgb.data, rgb.width, rgb.height, p, maxDot)).filter((t): t is DotTriple => !!t);
  return [...dotTriples(parts, maxDot), ...strips].filter((t) => !stripContinued(t, parts));
}

/** The longest thin bar taken for an icon (a minus sign), px at scale 1. */
const MAX_BAR_PX = 16;

/** The largest dot of a dot menu, px at scale 1. */
const MAX_DOT_PX = 7;

/** Finds icon-like blobs not covered by OCR words and names each from the lexicon. */
export function findIcons(rgb: RgbImage, ocr: OcrResult | undefined, lexicon: IconLexicon, options: FindIconsOptions = {}): IconCandidate[] {
  const o = FindIconsOptions.parse(options);
  const blobs = iconBlobs(rgb, ocr, o)
    .map((b) => ({ ...b, aspect: aspect(b.box) }))
    // A minus or a dash is a short bar: long and thin, but short.
    .filter((b) => b.aspect <= 6 || (b.aspect <= 12 && Math.max(b.box[2] - b.box[0], b.box[3] - b.box[1]) <= MAX_BAR_PX * o.scale))
    .sort((a, b) => a.aspect - b.aspect)
    .slice(0, o.maxCandidates);
  const ink = iconScratch();
  const search = { index: new Int32Array(FIRST_PASS), score: new Float32Array(FIRST_PASS) };
  const badges = badgeScratch(MAX_CROP * MAX_CROP);
  const out: IconCandidate[] = [];
  const describe = (box: BlobBox, parts: number, badged = false): void => {
    const descriptor = new Float32Array(DESC_LEN);
    describeGrid(ink.grid, descriptor);
    centre(descriptor, lexicon.mean);
    const c = candidate(box, descriptor, parts, () => rankIcons(descriptor, lexicon, o.top, search));
    out.push(badged ? Object.assign(c, { badged }) : c);
  };
  for (const b of blobs) {
    const crop = cropOf(b.box, rgb.width, rgb.height);
    if (!crop) continue;
    if (inkFromRgb(rgb.data, rgb.width, crop[0], crop[1], crop[2], crop[3], ink) < 24) continue;
    if (!inkToGrid(ink.ink, crop[2] - crop[0], crop[3] - crop[1], ink.grid)) continue;
    describe(b.box, b.parts);
    // A notification badge on the icon: the icon is also described without it.
    const badge = findBadge(rgb.data, rgb.width, b.box, badges);
    const rest = badge && withoutBadge(ink.ink, crop, badge);
    if (rest && inkToGrid(ink.ink, crop[2] - crop[0], crop[3] - crop[1], ink.grid)) {
      describe(rest, b.parts, true);
      // Bells, envelopes and people are drawn symmetric: the hidden corner as its mirror shows it.
      mirrorUnderBadge(ink.ink, crop, badge, rest);
      if (inkToGrid(ink.ink, crop[2] - crop[0], crop[3] - crop[1], ink.grid)) describe(rest, b.parts, true);
    }
  }
  return out;
}


function candidate(box: BlobBox, descriptor: Float32Array, parts: number, rank: () => IconName[]): IconCandidate {
  let names: IconName[] | undefined;
  return {
    box,
    descriptor,
    parts,
    get names() {
      return (names ??= rank());
    },
  };
}

/** Icons kept by the first pass (against each icon's first rendering) for the exact second. */
const FIRST_PASS = 48;

/**
 * The `top` lexicon icons a descriptor looks most like: a first pass against one rendering
 * per icon (4× fewer rows than the lexicon has), then every rendering of the icons it kept.
 */
export function rankIcons(d: Float32Array, lexicon: IconLexicon, top: number, s = { index: new Int32Array(FIRST_PASS), score: new Float32Array(FIRST_PASS) }): IconName[] {
  const n = topDot(d, lexicon.proto, lexicon.icons.length, FIRST_PASS, s.index, s.score);
  const scored: Array<[number, number]> = [];
  for (let j = 0; j < n; j++) scored.push([s.index[j], bestRow(d, lexicon, s.index[j])]);
  scored.sort((a, b) => b[1] - a[1]);
  return scored.slice(0, top).map(([i, score]) => ({ name: lexicon.icons[i].name, set: lexicon.icons[i].set, score: round3(score) }));
}

/** The best score of any rendering of icon `i`. */
export function bestRow(d: Float32Array, lexicon: IconLexicon, i: number): number {
  let best = -1;
  for (let r = lexicon.start[i]; r < lexicon.start[i + 1]; r++) {
    const s = dotRow(d, lexicon.table, r);
    if (s > best) best = s;
  }
  return best;
}

const aspect = (b: BlobBox): number => Math.max(b[2] - b[0], b[3] - b[1]) / Math.max(1, Math.min(b[2] - b[0], b[3] - b[1]));
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The box grown by 2 px of background on each side (the ink's reference), within the image and the scratch. */
function cropOf(b: BlobBox, width: number, height: number): BlobBox | undefined {
  const c: BlobBox = [Math.max(0, b[0] - 2), Math.max(0, b[1] - 2), Math.min(width, b[2] + 2), Math.min(height, b[3] + 2)];
  if (c[2] - c[0] < 3 || c[3] - c[1] < 3 || (c[2] - c[0]) * (c[3] - c[1]) > MAX_CROP * MAX_CROP) return undefined;
  return c;
}
