/**
 * Splits one recognized text line into words and widget-sized groups.
 *
 * The recognizer's CTC timesteps say roughly where each character is; the pixels say
 * exactly where the ink is. We measure the blank (ink-free) columns between consecutive
 * characters: a recognized space ends a word, and so does a gap wider than a word space
 * (the recognizer sometimes drops spaces, "Openorders"), and a gap of about a text height or more ends a group, so three adjacent buttons
 * read as one detector line come back as three groups while "Sign in" stays one.
 * CJK has no spaces and narrow gaps between every glyph, so a CJK run only splits at a
 * wide gap.
 */
import type { CtcChar } from './ctc.ts';
import { isWideGlyph } from '../cjk.ts';

export interface LayoutOptions {
  /** A pixel is ink when its luminance differs from the line background by more than this. */
  inkThreshold: number;
  /** Latin word break: blank gap ≥ this × text height. */
  wordGap: number;
  /** Break between CJK (or mixed) characters: blank gap ≥ this × text height. */
  cjkWordGap: number;
  /** Group break: blank gap ≥ this × text height. */
  groupGap: number;
  /** Lower bound of the text height as a fraction of the crop height. */
  cropToEm: number;
}

export const DEFAULT_LAYOUT_OPTIONS: LayoutOptions = {
  inkThreshold: 40,
  wordGap: 0.4,
  cjkWordGap: 0.6,
  groupGap: 1.0,
  cropToEm: 0.75,
};

export interface LineGeometry {
  /** Crop box of the line (image pixels, exclusive ends). */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Detector kernel (the text's core), image pixels. */
  coreY1: number;
  coreY2: number;
  /** Image x of the centre of timestep t: x0 + (t + 0.5) * xPerStep. */
  x0: number;
  xPerStep: number;
}

export interface LayoutWord {
  text: string;
  box: [number, number, number, number];
  confidence: number;
  /** True when this word starts a new group. */
  groupStart: boolean;
}

const DIGIT = /^[0-9０-９]$/;

/** Most frequent luminance on the border of [x1,x2)×[y1,y2). `hist` is 256 scratch counters. */
export function borderBackground(
  gray: Uint8Array,
  width: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  hist: Uint32Array,
): number {
  hist.fill(0);
  for (let x = x1; x < x2; x++) {
    hist[gray[y1 * width + x]]++;
    hist[gray[(y2 - 1) * width + x]]++;
  }
  for (let y = y1; y < y2; y++) {
    hist[gray[y * width + x1]]++;
    hist[gray[y * width + x2 - 1]]++;
  }
  let best = 0;
  for (let v = 1; v < 256; v++) if (hist[v] > hist[best]) best = v;
  return best;
}

/** Most frequent luminance inside [x1,x2)×[y1,y2). `hist` is 256 scratch counters. */
export function modeLevel(gray: Uint8Array, width: number, x1: number, y1: number, x2: number, y2: number, hist: Uint32Array): number {
  hist.fill(0);
  for (let y = y1; y < y2; y++) for (let i = y * width + x1, end = y * width + x2; i < end; i++) hist[gray[i]]++;
  let best = 0;
  for (let v = 1; v < 256; v++) if (hist[v] > hist[best]) best = v;
  return best;
}

const isInk = (v: number, bg: number, t: number): boolean => (v > bg ? v - bg : bg - v) > t;

function rowHasInk(gray: Uint8Array, width: number, y: number, x1: number, x2: number, bg: number, t: number): boolean {
  for (let i = y * width + x1, end = y * width + x2; i < end; i++) if (isInk(gray[i], bg, t)) return true;
  return false;
}

type RowKind = 0 | 1 | 2;
const BLANK: RowKind = 0;
const INK: RowKind = 1;
/** Ink across at least RULE_FRACTION of the row: a line, not text (text rarely inks half its columns). */
const RULE: RowKind = 2;
const RULE_FRACTION = 0.8;

function rowKind(gray: Uint8Array, width: number, y: number, x1: number, x2: number, bg: number, t: number): RowKind {
  let ink = 0;
  for (let i = y * width + x1, end = y * width + x2; i < end; i++) if (isInk(gray[i], bg, t)) ink++;
  return ink === 0 ? BLANK : ink >= RULE_FRACTION * (x2 - x1) ? RULE : INK;
}

/** The crop of a line in gray pixels, its background level and ink threshold, and its text rows. */
interface LineCrop {
  gray: Uint8Array;
  width: number;
  bx1: number;
  bx2: number;
  bg: number;
  t: number;
  /** Text rows [ty1, ty2). */
  ty1: number;
  ty2: number;
}

/**
 * Words of one line. `chars` are the decoded characters (spaces included) and `alphabet`
 * maps their classes to text. `cols` is scratch of at least (x2 - x1) bytes.
 */
export function layoutLine(
  gray: Uint8Array,
  width: number,
  height: number,
  line: LineGeometry,
  chars: CtcChar[],
  alphabet: string[],
  options: LayoutOptions,
  scratch: { cols: Uint8Array; hist: Uint32Array },
): LayoutWord[] {
  const bx1 = Math.max(0, Math.floor(line.x1));
  const bx2 = Math.min(width, Math.ceil(line.x2));
  const by1 = Math.max(0, Math.floor(line.y1));
  const by2 = Math.min(height, Math.ceil(line.y2));
  if (bx2 - bx1 < 1 || by2 - by1 < 1 || !chars.length) return [];
  const t = options.inkThreshold;
  // The crop's own most common level: its border may run along a button's border (a crop cut
  // to the button), and taking that for the background would make the button's inside "ink".
  const bg = modeLevel(gray, width, bx1, by1, bx2, by2, scratch.hist);
  const [ty1, ty2] = textRows(gray, width, line, { bx1, bx2, by1, by2 }, bg, t);
  const crop: LineCrop = { gray, width, bx1, bx2, bg, t, ty1, ty2 };
  // Text size: the ink height, unless the line has no tall glyphs ("own"), where the crop
  // height (which the detector sizes from the font, not the glyphs) says more.
  const em = Math.max(ty2 - ty1, options.cropToEm * (line.y2 - line.y1));
  const n = bx2 - bx1;
  const cols = scratch.cols;
  inkColumns(crop, cols);

  const spaceClass = alphabet.length - 1;
  const centre = (c: CtcChar): number =>
    Math.min(n - 1, Math.max(0, Math.round(line.x0 + ((c.t0 + c.t1 + 1) / 2) * line.xPerStep - bx1)));
  const visible = chars.filter((c) => c.cls !== spaceClass);
  if (!visible.length) return [];
  // Ink before the first and after the last character that no character accounts for (a
  // checkbox left of its label, an icon, a dropdown arrow) stays out of the word boxes.
  const edgeGap = (c: CtcChar): number => Math.max(2, (isWideGlyph(alphabet[c.cls]) ? options.cjkWordGap : 0.3) * em);
  const inkFrom = unreadInkEdge(cols, n, centre(visible[0]), -1, edgeGap(visible[0]), em);
  const inkTo = unreadInkEdge(cols, n, centre(visible[visible.length - 1]), 1, edgeGap(visible[visible.length - 1]), em);
  const cuts = splitPoints(chars, visible, alphabet, cols, n, centre, options, em);
  return wordsOf(crop, visible, alphabet, cuts, cols, inkFrom, inkTo);
}

/**
 * Where a line's widget groups can be, before it is read: the runs of ink columns (in the text
 * rows layoutLine would use) split at blank runs as wide as a group break. layoutLine cuts a group
 * only at such a gap, so every group it returns lies inside one of these runs (a run may be wider
 * than its group by ink no character accounts for: an icon, a dropdown arrow). Image x, [x1, x2).
 */
export function groupExtents(
  gray: Uint8Array,
  width: number,
  height: number,
  line: Pick<LineGeometry, 'x1' | 'y1' | 'x2' | 'y2' | 'coreY1' | 'coreY2'>,
  options: LayoutOptions,
  scratch: { cols: Uint8Array; hist: Uint32Array },
): { em: number; runs: Array<[number, number]> } {
  const bx1 = Math.max(0, Math.floor(line.x1));
  const bx2 = Math.min(width, Math.ceil(line.x2));
  const by1 = Math.max(0, Math.floor(line.y1));
  const by2 = Math.min(height, Math.ceil(line.y2));
  if (bx2 - bx1 < 1 || by2 - by1 < 1) return { em: 0, runs: [] };
  const t = options.inkThreshold;
  // As in layoutLine: the same background, text rows, text size and ink columns.
  const bg = modeLevel(gray, width, bx1, by1, bx2, by2, scratch.hist);
  const [ty1, ty2] = textRows(gray, width, { ...line, x0: 0, xPerStep: 1 }, { bx1, bx2, by1, by2 }, bg, t);
  const em = Math.max(ty2 - ty1, options.cropToEm * (line.y2 - line.y1));
  const n = bx2 - bx1;
  if (scratch.cols.length < n) scratch.cols = new Uint8Array(n * 2);
  const cols = scratch.cols;
  inkColumns({ gray, width, bx1, bx2, bg, t, ty1, ty2 }, cols);
  const runs: Array<[number, number]> = [];
  let start = -1;
  let lastInk = -1;
  for (let x = 0; x < n; x++) {
    if (!cols[x]) continue;
    if (start < 0) start = x;
    else if (x - lastInk - 1 >= options.groupGap * em) {
      runs.push([bx1 + start, bx1 + lastInk + 1]);
      start = x;
    }
    lastInk = x;
  }
  if (start >= 0) runs.push([bx1 + start, bx1 + lastInk + 1]);
  return { em, runs };
}

/**
 * Vertical text extent: grown from the detector core while rows carry ink (1-row gaps allowed).
 * Growth stops at a rule (a button's or cell's border, an underline across the crop): with it
 * among the text rows every column would have ink, and no gap would split the words.
 */
function textRows(gray: Uint8Array, width: number, line: LineGeometry, b: { bx1: number; bx2: number; by1: number; by2: number }, bg: number, t: number): [number, number] {
  const { bx1, bx2, by1, by2 } = b;
  let ty1 = Math.max(by1, Math.min(by2 - 1, Math.floor(line.coreY1)));
  let ty2 = Math.min(by2, Math.max(ty1 + 1, Math.ceil(line.coreY2)));
  const kind = (y: number): RowKind => rowKind(gray, width, y, bx1, bx2, bg, t);
  for (let k = kind(ty1 - 1); ty1 > by1 && k !== RULE && (k === INK || (ty1 - 2 >= by1 && kind(ty1 - 2) === INK)); k = ty1 > by1 ? kind(ty1 - 1) : BLANK) ty1--;
  for (let k = kind(ty2); ty2 < by2 && k !== RULE && (k === INK || (ty2 + 1 < by2 && kind(ty2 + 1) === INK)); k = ty2 < by2 ? kind(ty2) : BLANK) ty2++;
  return [ty1, ty2];
}

/** cols[x] = 1 where column bx1 + x has ink in the text rows. */
function inkColumns(c: LineCrop, cols: Uint8Array): void {
  for (let x = 0, n = c.bx2 - c.bx1; x < n; x++) {
    let ink = 0;
    for (let y = c.ty1, i = c.ty1 * c.width + c.bx1 + x; y < c.ty2; y++, i += c.width) {
      if (isInk(c.gray[i], c.bg, c.t)) {
        ink = 1;
        break;
      }
    }
    cols[x] = ink;
  }
}

/** The largest blank run of columns whose midpoint lies between xa and xb: its width and midpoint. */
function widestGap(cols: Uint8Array, n: number, xa: number, xb: number): { gap: number; mid: number } {
  let gap = 0;
  let gapMid = (xa + xb) / 2;
  for (let x = xa; x <= xb; ) {
    if (cols[x]) {
      x++;
      continue;
    }
    let s = x;
    while (s > 0 && !cols[s - 1]) s--;
    let e = x;
    while (e < n && !cols[e]) e++;
    const mid = (s + e) / 2;
    if (e - s > gap && mid >= xa && mid <= xb) {
      gap = e - s;
      gapMid = mid;
    }
    x = e + 1;
  }
  return { gap, mid: gapMid };
}

/** Split points between consecutive visible characters: where, and whether a word or a group ends there. */
function splitPoints(
  chars: CtcChar[],
  visible: CtcChar[],
  alphabet: string[],
  cols: Uint8Array,
  n: number,
  centre: (c: CtcChar) => number,
  options: LayoutOptions,
  em: number,
): Array<{ at: number; word: boolean; group: boolean }> {
  const spaceClass = alphabet.length - 1;
  const cuts: Array<{ at: number; word: boolean; group: boolean }> = [];
  let ci = 0;
  for (let k = 0; k + 1 < visible.length; k++) {
    const a = visible[k];
    const b = visible[k + 1];
    // Was there a space character between a and b?
    while (chars[ci] !== a) ci++;
    let spaced = false;
    for (let j = ci + 1; chars[j] !== b; j++) if (chars[j].cls === spaceClass) spaced = true;
    const xa = centre(a);
    const { gap, mid } = widestGap(cols, n, xa, Math.max(xa, centre(b)));
    const chA = alphabet[a.cls];
    const chB = alphabet[b.cls];
    // Digits are set on wide, equal advances ("1" is narrow in a wide cell): a gap inside a
    // number is wider than inside a word, so it takes the wider (CJK) gap to split two digits.
    const factor = isWideGlyph(chA) || isWideGlyph(chB) || (DIGIT.test(chA) && DIGIT.test(chB)) ? options.cjkWordGap : options.wordGap;
    const group = gap >= options.groupGap * em;
    const word = group || spaced || gap >= Math.max(2, factor * em);
    cuts.push({ at: Math.round(mid), word, group });
  }
  return cuts;
}

/** The words between the word cuts, each boxed around its ink. */
function wordsOf(
  c: LineCrop,
  visible: CtcChar[],
  alphabet: string[],
  cuts: Array<{ at: number; word: boolean; group: boolean }>,
  cols: Uint8Array,
  inkFrom: number,
  inkTo: number,
): LayoutWord[] {
  const words: LayoutWord[] = [];
  let start = 0;
  let spanStart = inkFrom;
  let groupStart = true;
  for (let k = 0; k < visible.length; k++) {
    const cut = k < cuts.length ? cuts[k] : undefined;
    if (cut && !cut.word) continue;
    const spanEnd = cut ? cut.at : inkTo;
    const members = visible.slice(start, k + 1);
    words.push({
      text: members.map((m) => alphabet[m.cls]).join(''),
      box: inkBox(c.gray, c.width, cols, c.bx1, spanStart, spanEnd, c.ty1, c.ty2, c.bg, c.t),
      confidence: members.reduce((s, m) => s + m.prob, 0) / members.length,
      groupStart,
    });
    groupStart = cut ? cut.group : false;
    start = k + 1;
    spanStart = spanEnd;
  }
  return words;
}

/**
 * Where the ink of the edge character ends, going from its centre `anchor` in direction `dir`
 * (-1: left, for the first character; +1: right, for the last): at the first blank run of
 * `minGap` columns. Returns the column just inside that run (exclusive end when going right),
 * or the crop edge when there is no such gap. An anchor on blank is first moved to the nearest
 * ink within half an em, since CTC places characters only roughly.
 */
function unreadInkEdge(cols: Uint8Array, n: number, anchor: number, dir: -1 | 1, minGap: number, em: number): number {
  const edge = dir < 0 ? 0 : n;
  let a = anchor;
  if (!cols[a]) {
    for (let d = 1; d <= 0.5 * em; d++) {
      if (a - d >= 0 && cols[a - d]) {
        a -= d;
        break;
      }
      if (a + d < n && cols[a + d]) {
        a += d;
        break;
      }
    }
    if (!cols[a]) return edge;
  }
  let last = a;
  let blank = 0;
  for (let x = a + dir; x >= 0 && x < n; x += dir) {
    if (cols[x]) {
      last = x;
      blank = 0;
    } else if (++blank >= minGap) {
      return dir < 0 ? last : last + 1;
    }
  }
  return edge;
}

/** Tight ink box of columns [s, e) (relative to bx1) over rows [ty1, ty2). */
function inkBox(
  gray: Uint8Array,
  width: number,
  cols: Uint8Array,
  bx1: number,
  s: number,
  e: number,
  ty1: number,
  ty2: number,
  bg: number,
  t: number,
): [number, number, number, number] {
  let a = s;
  while (a < e && !cols[a]) a++;
  let b = e;
  while (b > a && !cols[b - 1]) b--;
  if (a >= b) return [bx1 + s, ty1, bx1 + Math.max(e, s + 1), ty2];
  let y1 = ty1;
  while (y1 < ty2 - 1 && !rowHasInk(gray, width, y1, bx1 + a, bx1 + b, bg, t)) y1++;
  let y2 = ty2;
  while (y2 > y1 + 1 && !rowHasInk(gray, width, y2 - 1, bx1 + a, bx1 + b, bg, t)) y2--;
  return [bx1 + a, y1, bx1 + b, y2];
}
