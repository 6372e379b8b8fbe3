import { isCjkLetter } from '../../../kernels/cjk.ts';
import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';

/**
 * Fuzzy text search over OCR lines. Matching runs on a per-line sequence of "cells": one
 * normalized character each (NFKC, lower case, letters and digits only), carrying an estimated
 * x-span inside its OCR word box, so a match can cover part of a word (Chinese has no spaces),
 * several words (multi-word labels), and ignore the spaces OCR drops or invents ("Signin").
 */

export interface Cell {
  ch: string;
  /** The character as OCR read it (before case folding). */
  orig: string;
  x1: number;
  x2: number;
  /** Index into OcrResult.words, or -1 when the line has no words. */
  word: number;
  /** Index into OcrResult.groups, or -1. */
  group: number;
  /** A word (or a CJK character) starts / ends at this cell. */
  starts: boolean;
  ends: boolean;
  /** How many cells the cell's word has. */
  wordCells: number;
}

export interface LineCells {
  line: number;
  y1: number;
  y2: number;
  cells: Cell[];
  /** cells[i].ch, for the search. */
  text: string[];
}

export interface TextHit {
  line: number;
  /** Cell range [start, end) in the line's cells. */
  start: number;
  end: number;
  cost: number;
  box: PixelBox;
  /** The matched text as OCR read it. */
  text: string;
  /** Similarity 0..1 combined with how well the span fits a widget label. */
  score: number;
  /** The OCR group covering the span (or the line when it crosses groups). */
  groupText: string;
  groupBox: PixelBox;
}

const ALNUM = /[\p{L}\p{N}]/u;

/** Pairs OCR confuses often; substituting one for the other costs less than a full edit. */
const CONFUSABLE_PAIRS = ['il', 'i1', 'l1', 'o0', 's5', 'b8', 'z2', 'ce', 'uv', 'g9', 'q9'];
const CONFUSABLE_COST = 0.35;
/** ASCII-only table, 128×128: 1 where the pair is confusable. Lookups allocate nothing. */
const CONFUSABLE = new Uint8Array(128 * 128);
for (const [a, b] of CONFUSABLE_PAIRS) {
  CONFUSABLE[a.charCodeAt(0) * 128 + b.charCodeAt(0)] = 1;
  CONFUSABLE[b.charCodeAt(0) * 128 + a.charCodeAt(0)] = 1;
}

/** Rough advance width of a character in ems, to split a word box among its characters. */
function charWeight(ch: string): number {
  if (isCjkLetter(ch) || /[\uff00-\uffef]/.test(ch)) return 1;
  if (/[mwMW]/.test(ch)) return 0.85;
  if (/[iljtfrI.,:;'!|]/.test(ch)) return 0.35;
  if (ch === ' ') return 0.3;
  if (/[A-Z]/.test(ch)) return 0.7;
  return 0.56;
}

/**
 * Glyphs drawn on close buttons. OCR reads them as "x" or "X" (PP-OCR's dictionary has "×" but
 * its recognizer rarely picks it), and people write either, so all compare as the letter x.
 */
const CLOSE_GLYPH = /[×✕✖✗✘╳⨉⨯❌]/u;

/** The comparable form of a string: NFKC, lower case, close glyphs as "x", one entry per kept character. */
export function normalizeChars(text: string, keepSymbols: boolean): { ch: string; orig: string }[] {
  const out: { ch: string; orig: string }[] = [];
  for (const orig of Array.from(text)) {
    for (const c of Array.from(orig.normalize('NFKC').toLowerCase())) {
      const ch = CLOSE_GLYPH.test(c) ? 'x' : c;
      if (keepSymbols ? ch.trim() !== '' : ALNUM.test(ch)) out.push({ ch, orig });
    }
  }
  return out;
}

/** Whether a target needs symbol characters kept ("+", "...", "→"): it has no letters or digits (a close glyph "×" counts as the letter x). */
export function targetKeepsSymbols(target: string): boolean {
  const t = target.normalize('NFKC');
  return !ALNUM.test(t) && !CLOSE_GLYPH.test(t);
}

const cellCache = new WeakMap<OcrResult, Map<boolean, LineCells[]>>();

/** Builds (once per OCR result) the cells of every line. `keepSymbols` follows targetKeepsSymbols of the target. */
export function buildLineCells(ocr: OcrResult, keepSymbols: boolean): LineCells[] {
  let byMode = cellCache.get(ocr);
  if (!byMode) cellCache.set(ocr, (byMode = new Map()));
  let cells = byMode.get(keepSymbols);
  if (!cells) byMode.set(keepSymbols, (cells = computeLineCells(ocr, keepSymbols)));
  return cells;
}

function computeLineCells(ocr: OcrResult, keepSymbols: boolean): LineCells[] {
  const groupOfWord = new Map<number, number>();
  ocr.groups.forEach((g, gi) => g.words.forEach((w) => groupOfWord.set(w, gi)));
  return ocr.lines.map((line, li) => {
    const pieces = line.words.length
      ? line.words.map((wi) => ({ text: ocr.words[wi].text, box: ocr.words[wi].box, word: wi }))
      : [{ text: line.text, box: line.box, word: -1 }];
    const cells: Cell[] = [];
    for (const piece of pieces) {
      const chars = Array.from(piece.text);
      const weights = chars.map(charWeight);
      const total = weights.reduce((a, b) => a + b, 0) || 1;
      const [bx1, , bx2] = piece.box;
      let x = bx1;
      let prevKept = false;
      let prevCjk = false;
      const group = piece.word >= 0 ? (groupOfWord.get(piece.word) ?? -1) : -1;
      const firstOfPiece = cells.length;
      chars.forEach((c, i) => {
        const w = ((bx2 - bx1) * weights[i]) / total;
        const norm = normalizeChars(c, keepSymbols);
        const cjk = isCjkLetter(c);
        // Where Chinese meets Latin letters or digits a word ends, space or not: "海南航空HU7606".
        if (cjk && prevKept && !prevCjk && cells.length > firstOfPiece) cells[cells.length - 1].ends = true;
        norm.forEach((n, k) => {
          cells.push({
            ch: n.ch,
            orig: n.orig,
            x1: x,
            x2: x + w,
            word: piece.word,
            group,
            starts: cjk || (k === 0 && (!prevKept || prevCjk)),
            ends: cjk,
            wordCells: 0,
          });
        });
        if (norm.length === 0 && cells.length > firstOfPiece) cells[cells.length - 1].ends = true;
        prevKept = norm.length > 0;
        prevCjk = cjk && prevKept;
        x += w;
      });
      if (cells.length > firstOfPiece) cells[cells.length - 1].ends = true;
      for (let i = firstOfPiece; i < cells.length; i++) cells[i].wordCells = cells.length - firstOfPiece;
    }
    return { line: li, y1: line.box[1], y2: line.box[3], cells, text: cells.map((c) => c.ch) };
  });
}

/**
 * Cost of changing, inserting or dropping a digit when digits must match exactly: beyond any
 * edit bound, so "Item 23" never matches "Item 21" or "Item 2" (a fuzzy match may forgive a
 * misread letter, never a different number). OCR-confusable letter/digit pairs ("0"/"o") keep
 * their low cost: they are misreadings of the same glyph.
 */
export const DIGIT_EDIT_COST = 1000;
const DIGIT = /\p{Nd}/u;
export const isDigit = (ch: string): boolean => DIGIT.test(ch);

function subCost(a: number, b: number, digits: boolean): number {
  if (a === b) return 0;
  if (a < 128 && b < 128 && CONFUSABLE[a * 128 + b] === 1) return CONFUSABLE_COST;
  return digits && (isDigitCode(a) || isDigitCode(b)) ? DIGIT_EDIT_COST : 1;
}

/** Inserting or dropping character `c`. */
function indelCost(c: number, digits: boolean): number {
  return digits && isDigitCode(c) ? DIGIT_EDIT_COST : 1;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57 ? true : c < 128 ? false : DIGIT.test(String.fromCodePoint(c));
}

function codes(chars: readonly string[]): Int32Array {
  const out = new Int32Array(chars.length);
  for (let i = 0; i < chars.length; i++) out[i] = chars[i].codePointAt(0) ?? 0;
  return out;
}

/** Edits allowed for a target of `m` comparable characters: none for 1-2, growing with length. */
export function maxCostFor(m: number): number {
  if (m <= 2) return CONFUSABLE_COST;
  if (m <= 3) return 0.7;
  return Math.min(4, 0.5 + m * 0.15);
}

/**
 * Approximate substring search (Sellers): every end position j in `text` whose best alignment
 * with the whole `pattern` costs at most maxCost, with the start of that alignment.
 * With `exactDigits`, digits cost DIGIT_EDIT_COST to change, insert or drop.
 */
export function approximateOccurrences(
  pattern: readonly string[],
  text: readonly string[],
  maxCost: number,
  exactDigits = true,
): { start: number; end: number; cost: number }[] {
  const m = pattern.length;
  const n = text.length;
  if (m === 0) return [];
  const p = codes(pattern);
  const t = codes(text);
  // Two rolling columns over the pattern; start[] tracks where each alignment began in text.
  let prev = new Float64Array(m + 1);
  let cur = new Float64Array(m + 1);
  let prevStart = new Int32Array(m + 1);
  let curStart = new Int32Array(m + 1);
  for (let i = 1; i <= m; i++) prev[i] = prev[i - 1] + indelCost(p[i - 1], exactDigits);
  const hits: { start: number; end: number; cost: number }[] = [];
  for (let j = 1; j <= n; j++) {
    cur[0] = 0;
    curStart[0] = j;
    const tc = t[j - 1];
    const extra = indelCost(tc, exactDigits);
    for (let i = 1; i <= m; i++) {
      let best = prev[i - 1] + subCost(p[i - 1], tc, exactDigits);
      let s = prevStart[i - 1];
      const up = cur[i - 1] + indelCost(p[i - 1], exactDigits); // pattern char missing from text
      if (up < best) {
        best = up;
        s = curStart[i - 1];
      }
      const left = prev[i] + extra; // extra text char
      if (left < best) {
        best = left;
        s = prevStart[i];
      }
      cur[i] = best;
      curStart[i] = s;
    }
    if (cur[m] <= maxCost + 1e-9) hits.push({ start: curStart[m], end: j, cost: cur[m] });
    const swap = prev;
    prev = cur;
    cur = swap;
    const swapStart = prevStart;
    prevStart = curStart;
    curStart = swapStart;
  }
  // Keep, among hits that overlap, the cheapest (then the longer span).
  const kept: typeof hits = [];
  for (const h of hits.sort((a, b) => a.cost - b.cost || b.end - b.start - (a.end - a.start))) {
    if (!kept.some((k) => h.start < k.end && k.start < h.end)) kept.push(h);
  }
  return kept;
}

/** Plain Levenshtein distance with the same confusable (and digit) costs, for whole-string similarity. */
export function editCost(a: readonly string[], b: readonly string[], exactDigits = true): number {
  const ca = codes(a);
  const cb = codes(b);
  let prev = new Float64Array(b.length + 1);
  let cur = new Float64Array(b.length + 1);
  for (let j = 1; j <= b.length; j++) prev[j] = prev[j - 1] + indelCost(cb[j - 1], exactDigits);
  for (let i = 1; i <= a.length; i++) {
    const dropA = indelCost(ca[i - 1], exactDigits);
    cur[0] = prev[0] + dropA;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j - 1] + subCost(ca[i - 1], cb[j - 1], exactDigits), prev[j] + dropA, cur[j - 1] + indelCost(cb[j - 1], exactDigits));
    }
    const swap = prev;
    prev = cur;
    cur = swap;
  }
  return prev[b.length];
}

function unionBox(boxes: PixelBox[]): PixelBox {
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

/**
 * How well a span fits a widget label: 1 when it is a whole OCR group, less when it is part of
 * a longer label, much less when it starts or ends inside a word ("Edit" inside "Credit").
 */
function spanFit(cells: Cell[], start: number, end: number, all: LineCells): { fit: number; groupCells: Cell[] } {
  const startsOk = cells[start].starts;
  const endsOk = cells[end - 1].ends;
  const groups = new Set(cells.slice(start, end).map((c) => c.group));
  const groupCells = all.cells.filter((c) => groups.has(c.group));
  if (!startsOk || !endsOk) {
    // A prefix of a longer word is a plausible merge of two labels ("SaveCancel"), but not for
    // very short targets: "1" inside "12" or "Go" inside "Google" is another label.
    const fit = startsOk && end - start >= 4 ? 0.55 : endsOk || startsOk ? 0.45 : 0.35;
    return { fit, groupCells };
  }
  // One or two characters ("1", "OK") must be a whole OCR word: "1" is not the end of "v2.1".
  // (Chinese characters are words of their own: "文件" inside "确定删除此文件吗" is fine.)
  if (end - start <= 2 && !isCjkLetter(cells[start].orig) && !(cells[start].word === cells[end - 1].word && cells[start].wordCells === end - start)) {
    return { fit: 0.45, groupCells };
  }
  const coverage = (end - start) / Math.max(1, groupCells.length);
  const crossesGroups = groups.size > 1 && !groups.has(-1);
  const fit = coverage >= 0.999 ? 1 : 0.72 + 0.2 * coverage;
  return { fit: crossesGroups ? fit * 0.9 : fit, groupCells };
}

export interface SearchOptions {
  /** Search with no edit bound (for listing the closest candidates). */
  unbounded?: boolean;
}

/** All occurrences of `target` in the OCR result, scored, best first. */
export function searchText(ocr: OcrResult, target: string, options: SearchOptions = {}): TextHit[] {
  const keepSymbols = targetKeepsSymbols(target);
  const pattern = normalizeChars(target, keepSymbols).map((c) => c.ch);
  if (pattern.length === 0) return [];
  const exactTarget = target.replace(/\s+/g, '');
  // Listing candidates looks further than matching, but not at alignments that are mostly edits.
  const maxCost = options.unbounded ? Math.max(maxCostFor(pattern.length), 0.75 * pattern.length) : maxCostFor(pattern.length);
  const hits: TextHit[] = [];
  for (const lc of buildLineCells(ocr, keepSymbols)) {
    if (lc.cells.length === 0) continue;
    const text = lc.text;
    // Listing candidates may show a different number ("Item 21" for "Item 23"); matching may not.
    const occurrences = approximateOccurrences(pattern, text, maxCost, !options.unbounded);
    // For candidates, the few cheapest per line are enough.
    if (options.unbounded) occurrences.splice(3);
    for (const occ of occurrences) {
      if (occ.end <= occ.start) continue;
      if (!options.unbounded && splitsNumber(lc.cells, occ.start, occ.end)) continue;
      const span = lc.cells.slice(occ.start, occ.end);
      const { fit, groupCells } = spanFit(lc.cells, occ.start, occ.end, lc);
      const sim = Math.max(0, 1 - occ.cost / pattern.length);
      const orig = span.map((c) => c.orig).join('');
      const caseExact = orig === exactTarget;
      const score = sim * fit * (caseExact ? 1 : 0.98);
      const box: PixelBox = [span[0].x1, lc.y1, span[span.length - 1].x2, lc.y2];
      const groupIds = [...new Set(groupCells.map((c) => c.group))];
      const line = ocr.lines[lc.line];
      const single = groupIds.length === 1 && groupIds[0] >= 0 ? ocr.groups[groupIds[0]] : undefined;
      hits.push({
        line: lc.line,
        start: occ.start,
        end: occ.end,
        cost: occ.cost,
        box: refineBox(box, span, ocr),
        text: textOfSpan(span),
        score,
        groupText: single ? single.text : line.text,
        groupBox: single ? single.box : line.box,
      });
    }
  }
  return hits.sort((a, b) => b.score - a.score);
}

/** Whether [start, end) begins or ends inside a run of digits of one word: "2" in "123" is another number. */
function splitsNumber(cells: Cell[], start: number, end: number): boolean {
  const joined = (a: Cell | undefined, b: Cell | undefined) => !!a && !!b && a.word === b.word && isDigit(a.ch) && isDigit(b.ch);
  return joined(cells[start - 1], cells[start]) || joined(cells[end - 1], cells[end]);
}

/** A span covering whole words takes the words' own boxes (tighter than the estimate). */
function refineBox(estimate: PixelBox, span: Cell[], ocr: OcrResult): PixelBox {
  const words = [...new Set(span.map((c) => c.word))];
  if (words.some((w) => w < 0) || !span[0].starts || !span[span.length - 1].ends) return estimate;
  const whole = words.every((w) => span.filter((c) => c.word === w).length === span.find((c) => c.word === w)!.wordCells);
  if (!whole) return estimate;
  const wb = unionBox(words.map((w) => ocr.words[w].box));
  return [wb[0], Math.min(wb[1], estimate[1]), wb[2], Math.max(wb[3], estimate[3])];
}

/** Original text of a span: whole words joined by spaces, partial words by their characters. */
function textOfSpan(span: Cell[]): string {
  let out = '';
  let lastWord = span[0].word;
  for (const c of span) {
    if (c.word !== lastWord && !(isCjkLetter(c.orig) && isCjkLetter(out.slice(-1)))) out += ' ';
    out += c.orig;
    lastWord = c.word;
  }
  return out;
}
