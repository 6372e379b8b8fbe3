import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { unquote } from '../quotes.ts';
import { findAnchor } from './anchors.ts';
import { allFields, medianTextHeight } from './controls.ts';
import { centre, height } from './geometry.ts';
import { searchText } from './text-match.ts';

/**
 * A table cell named by its column and its row, as RPA scripts name them: "Set Role dropdown to
 * Admin in the row where Name = Priya Nair", "Set Qty to 25 in line 2". The column is its
 * header's text; the row a text in it, or its number counted from the first row under the
 * header. The cell is where the header's column and the row's line cross; the control inside it
 * (a field or dropdown box) when the image shows one, else the cell's own text.
 */

/** `the cell in column "Role" of the row with "Priya Nair"`, `the cell in column "Qty" of row 2`. */
export const CELL_DESCRIPTION = /^the cell in column (.+?) of (?:the row with (.+)|row (\d+))$/i;

export function cellDescription(column: string, row: { text: string } | { index: number }, lit: (s: string) => string): string {
  return `the cell in column ${lit(column)} of ${'text' in row ? `the row with ${lit(row.text)}` : `row ${row.index}`}`;
}

export type Cell = { box: PixelBox; point: [number, number]; label: string; found: string } | { why: string };

const MIN_SCORE = 0.8;
const centreY = (b: readonly number[]): number => (b[1] + b[3]) / 2;

/** The texts of the screen grouped into lines by their centres, top to bottom, below `y`. */
function rowsBelow(ocr: OcrResult, y: number, x1: number, x2: number, h: number): number[] {
  const centres = ocr.groups
    .filter((g) => centreY(g.box) > y + 0.6 * h && g.box[2] > x1 && g.box[0] < x2)
    .map((g) => centreY(g.box))
    .sort((a, b) => a - b);
  const rows: number[] = [];
  for (const c of centres) if (!rows.length || c - rows[rows.length - 1] > 0.8 * h) rows.push(c);
  return rows;
}

export function locateCell(ocr: OcrResult, rgb: RgbImage, description: string): Cell {
  const m = description.match(CELL_DESCRIPTION);
  if (!m) return { why: `not a cell description: ${description}` };
  const column = unquote(m[1]);
  const headers = searchText(ocr, column).filter((h) => h.score >= MIN_SCORE);
  if (!headers.length) return { why: `no column header "${column}" on screen` };
  const h = medianTextHeight(ocr);
  let rowY: number;
  let rowText: string;
  // A header is a cell of its own: "截止日期" alone before a sentence that mentions it.
  const whole = (t: string, want: string): boolean => t.replace(/\s+/g, '') === want.replace(/\s+/g, '');
  let header = headers.sort((a, b) => Number(whole(b.groupText, column)) - Number(whole(a.groupText, column)) || b.score - a.score || a.box[1] - b.box[1])[0];
  // The column runs from its header to the next header on that line (or a few text heights on).
  const sameLine = ocr.groups.filter((g) => Math.abs(centreY(g.box) - centreY(header.box)) < 0.5 * height(header.box) && g.box[0] > header.box[2]);
  const nextX = Math.min(...sameLine.map((g) => g.box[0]), header.box[2] + 12 * h);
  const prevX = Math.max(...ocr.groups.filter((g) => Math.abs(centreY(g.box) - centreY(header.box)) < 0.5 * height(header.box) && g.box[2] < header.box[0]).map((g) => g.box[2]), header.box[0] - 2 * h);
  const x1 = Math.max(prevX + 1, header.box[0] - 2 * h);
  const x2 = nextX - 1;
  if (m[3] !== undefined) {
    const rows = rowsBelow(ocr, centreY(header.box), x1 - 20 * h, x2 + 20 * h, h);
    const n = Number(m[3]);
    if (n < 1 || n > rows.length) return { why: `row ${n} is not on screen under "${header.text}" (${rows.length} rows seen)` };
    rowY = rows[n - 1];
    rowText = `row ${n}`;
  } else {
    const anchor = unquote(m[2]);
    let hits = findAnchor(ocr, anchor).hits.filter((a) => centreY(a.box) > centreY(header.box));
    // The row's own cell, not a sentence elsewhere that mentions the name ("…视觉稿@周婷").
    if (hits.length > 1 && hits.filter((a) => whole(a.groupText, anchor)).length === 1) hits = hits.filter((a) => whole(a.groupText, anchor));
    if (!hits.length) return { why: `no row with "${anchor}" under the column "${header.text}"` };
    if (hits.length > 1) return { why: `more than one row with "${anchor}": ${hits.map((a) => JSON.stringify(a.text)).join(', ')}` };
    rowY = centreY(hits[0].box);
    rowText = `the row with "${hits[0].text}"`;
    // Of two headers with the column's name, the one above the row.
    header = headers.filter((x) => centreY(x.box) < rowY).sort((a, b) => b.box[1] - a.box[1])[0] ?? header;
  }
  const cell: PixelBox = [x1, rowY - 0.9 * h, x2, rowY + 0.9 * h];
  const found = `column "${header.text}" at x ${Math.round(x1)}–${Math.round(x2)}, ${rowText} at y ${Math.round(rowY)}`;
  // A field or dropdown box in the cell, else the cell's text, else its middle.
  // Inside the column (a rectangle around the whole row is the row, not the cell's control).
  const inColumn = (b: readonly number[]) => b[0] >= x1 - h && b[2] <= x2 + h && b[1] < rowY && b[3] > rowY;
  const field = allFields(ocr, rgb).find((f) => inColumn(f.box));
  const text = ocr.groups.find((g) => inColumn(g.box));
  const box = (field?.box ?? text?.box ?? cell) as PixelBox;
  return { box, point: centre(box), label: `${header.text} of ${rowText}`, found };
}
