import type { OcrLine, OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import type { TargetQuery } from './describe.ts';
import { centre, height } from './geometry.ts';
import { MIN_SCORE, type LocateResult } from './locate.ts';
import { rowToggle } from './controls.ts';
import { onAnchorRow } from './row-band.ts';
import { searchText } from './text-match.ts';

/**
 * "Start in the sixth row", "the duplicate button of the fifth expense", "the third email":
 * the rows of a list, counted. A row is known by the text that starts it: the first column's
 * lines, all at one left edge, top to bottom, without the column's header (capitals) or the
 * second line of a two-line cell. The column is the one that starts the rows the target is on
 * when the target shows in several rows; else the longest column of evenly spaced lines.
 */

/** Lines whose left edges are this close start one column. */
const COLUMN_SLACK = 6;
/** A line this close under the one before (in its heights) is that cell's second line. */
const SUB_LINE_GAP = 0.8;

/** The line that starts the row of a box: the leftmost line level with it. */
function rowStart(ocr: OcrResult, box: PixelBox): OcrLine | undefined {
  return ocr.lines.filter((l) => l.box[0] <= box[0] && isWords(l.text) && onAnchorRow(box, l.box as PixelBox, ocr)).sort((a, b) => a.box[0] - b.box[0])[0];
}

const isHeader = (text: string): boolean => /^[^a-z]*[A-Z]{2}[^a-z]*$/.test(text.trim()) || /:\s*$/.test(text);
/** A row starts with words: a star or a glyph before them is a control of the row. */
const isWords = (text: string): boolean => (text.match(/[\p{L}\p{N}]/gu) ?? []).length >= 2;

/** The lines of the column starting at `x`, one per row, top to bottom. */
function columnRows(ocr: OcrResult, x: number): OcrLine[] {
  const lines = ocr.lines.filter((l) => Math.abs(l.box[0] - x) <= COLUMN_SLACK && isWords(l.text) && !isHeader(l.text)).sort((a, b) => a.box[1] - b.box[1]);
  const rows: OcrLine[] = [];
  for (const l of lines) {
    const last = rows[rows.length - 1];
    if (last && l.box[1] - last.box[3] < SUB_LINE_GAP * height(last.box as PixelBox)) continue;
    rows.push(l);
  }
  return withoutHeader(ocr, evenRun(rows));
}

/**
 * A column header in words of its own (提交时间, Submitted) evenly spaced with the rows below it:
 * a row with no figure anywhere along it above rows that nearly all have one (a date, an amount,
 * an id) is the header.
 */
function withoutHeader(ocr: OcrResult, rows: OcrLine[]): OcrLine[] {
  if (rows.length < 3) return rows;
  const figured = (l: OcrLine): boolean => ocr.lines.some((o) => /\d/.test(o.text) && onAnchorRow(o.box as PixelBox, l.box as PixelBox, ocr));
  const rest = rows.slice(1).filter(figured).length;
  return !figured(rows[0]) && rest >= 0.8 * (rows.length - 1) ? rows.slice(1) : rows;
}

/** The hits of the sought text that stand in one column, one per row, evenly spaced, top to bottom. */
function soughtColumn<T extends { box: PixelBox }>(hits: T[]): T[] {
  if (hits.length < 3) return [];
  const xs = hits.map((h) => h.box[0]).sort((a, b) => a - b);
  const x = xs[xs.length >> 1];
  const column = hits.filter((h) => Math.abs(h.box[0] - x) <= COLUMN_SLACK).sort((a, b) => a.box[1] - b.box[1]);
  const run = evenRun(column);
  return run.length === column.length ? run : [];
}

/** How far a row's spacing may stray from its list's and still be that list's row. */
const SPACING_SLACK = 0.25;

/** The longest run of evenly spaced lines: a list's rows, not the toolbar and column header above them. */
function evenRun<T extends { box: ArrayLike<number> }>(rows: T[]): T[] {
  if (rows.length < 3) return rows;
  let best: [number, number] = [0, 1];
  for (let i = 0; i + 1 < rows.length; i++) {
    const step = rows[i + 1].box[1] - rows[i].box[1];
    let j = i + 1;
    while (j + 1 < rows.length && Math.abs(rows[j + 1].box[1] - rows[j].box[1] - step) <= SPACING_SLACK * step) j++;
    if (j + 1 - i > best[1] - best[0]) best = [i, j + 1];
  }
  return rows.slice(best[0], best[1]);
}

/** The left edge of the column that starts the rows: of the target's rows when it shows in two or more, else the longest column. */
function startColumn(ocr: OcrResult, targets: PixelBox[]): number | undefined {
  const starts = targets.map((t) => rowStart(ocr, t)).filter((l): l is OcrLine => !!l);
  if (starts.length >= 2) {
    const xs = starts.map((l) => l.box[0]).sort((a, b) => a - b);
    return xs[xs.length >> 1];
  }
  let best: { x: number; n: number } | undefined;
  for (const x of new Set(ocr.lines.map((l) => Math.round(l.box[0])))) {
    const n = columnRows(ocr, x).length;
    if (n >= 3 && (!best || n > best.n)) best = { x, n };
  }
  return best?.x;
}

export interface RowPick {
  /** The line that starts the row asked for. */
  row?: OcrLine;
  rows: number;
}

/** The row `ordinal` (1-based; negative from the end) of the list the targets are in. */
export function rowByOrdinal(ocr: OcrResult, ordinal: number, targets: PixelBox[]): RowPick {
  const x = startColumn(ocr, targets);
  if (x === undefined) return { rows: 0 };
  const rows = columnRows(ocr, x);
  return { row: ordinal > 0 ? rows[ordinal - 1] : rows[rows.length + ordinal], rows: rows.length };
}

const ORDINAL_WORDS = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
const ordinalWord = (n: number): string => (n === -1 ? 'last' : n > 0 && n < ORDINAL_WORDS.length ? ORDINAL_WORDS[n] : `#${n}`);

/**
 * The target of a description that counts rows: the row's own start when no text is sought
 * ("the third ticket"), its toggle for a checkbox, else the sought text's hit in that row.
 */
export function locateInRowNumber(ocr: OcrResult, query: TargetQuery, image: RgbImage | undefined): LocateResult {
  const ordinal = query.row!;
  const hits = query.text ? searchText(ocr, query.text).filter((h) => h.score >= MIN_SCORE) : [];
  const { row, rows } = rowByOrdinal(ocr, ordinal, hits.map((h) => h.box));
  // "第三行的转交" where every row has its 转交: the sought text's own column counts the rows, and
  // no row goes uncounted because its first cell was not read.
  const own = soughtColumn(hits);
  if (query.kind !== 'checkbox' && own.length >= 3 && own.length >= rows) {
    const h = ordinal > 0 ? own[ordinal - 1] : own[own.length + ordinal];
    if (!h) return { candidates: [], message: `asked for the ${ordinalWord(ordinal)} row, but the list shows ${own.length}` };
    return { match: { point: centre(h.box), box: h.box, text: h.text, score: round3(h.score), kind: 'text' }, candidates: [] };
  }
  if (!row) return { candidates: [], message: `asked for the ${ordinalWord(ordinal)} row, but ${rows ? `the list shows ${rows}` : 'no list of rows was seen'}` };
  const start = row.box.map(Math.round) as PixelBox;
  if (query.kind === 'checkbox') return toggleOfRow(ocr, { box: start, text: row.text, score: 1 }, image, query.role, `the ${ordinalWord(ordinal)} row ("${row.text}")`);
  if (!query.text) return { match: { point: centre(start), box: start, text: row.text, score: 1, kind: 'text' }, candidates: [] };
  const inRow = hits.filter((h) => onAnchorRow(h.box, start, ocr)).sort((a, b) => b.score - a.score);
  if (!inRow.length) return { candidates: [], message: `no "${query.text}" in the ${ordinalWord(ordinal)} row ("${row.text}")` };
  const h = inRow[0];
  return { match: { point: centre(h.box), box: h.box, text: h.text, score: round3(h.score), kind: 'text' }, candidates: [] };
}

/**
 * The checkbox or switch of the row a text starts or names; `where` names the row in messages,
 * `seen` what a miss lists (the row's text by default).
 */
export function toggleOfRow(
  ocr: OcrResult,
  row: { box: PixelBox; text: string; score: number },
  image: RgbImage | undefined,
  role: TargetQuery['role'],
  where: string,
  seen: LocateResult['candidates'] = [{ text: row.text, box: row.box.map(round3) as PixelBox, score: round3(row.score) }],
): LocateResult {
  if (!image) return { candidates: [], message: 'finding a checkbox in a row needs the screenshot (options.image)' };
  const { left, right } = rowToggle(row.box, image, ocr);
  // A table row's checkbox starts it, a settings row's switch ends it; one of each is a question.
  if (left && right && role !== 'switch' && role !== 'checkbox') {
    const cands = [left, right].map((b) => ({ text: row.text, box: b.map(round3) as PixelBox, score: round3(row.score) }));
    return { candidates: cands, ambiguous: true, message: `${where} has a control at each end; say "checkbox" or "switch"` };
  }
  const t = role === 'switch' ? (right ?? left) : (left ?? right);
  if (!t) return { candidates: seen, message: `no checkbox, radio button or switch seen in ${where}` };
  return { match: { point: centre(t), box: t.map(round3) as PixelBox, text: row.text, score: round3(row.score), kind: 'field', labelBox: row.box.map(round3) as PixelBox }, candidates: [] };
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
