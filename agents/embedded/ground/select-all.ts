import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { isTicked } from '../../../kernels/toggle-state.ts';
import type { GrayImage } from '../../../kernels/gray.ts';
import { toggleNearLabel } from '../../../kernels/field-detect.ts';
import { layoutDividerBetween } from '../../../kernels/layout-divider.ts';
import { grayOf } from './controls.ts';
import { height } from './geometry.ts';
import { locate, type LocateResult } from './locate.ts';

/**
 * "Check checkbox 'Select all' in the table header", "表头的全选复选框", "把这一页的人全选上": the
 * box that ticks every row. A label saying so ("Select all", "全选") names it where there is one;
 * else it heads the column of the rows' own boxes, in the table's header row.
 */
export const SELECT_ALL_DESCRIPTION = /^the select-all checkbox$/;

const SELECT_ALL_LABELS = ['Select all', '全选', '全部选择'];

/** A column's boxes share their centre within this many px, and their size within this ratio. */
const SAME_X_PX = 4;
const SAME_SIZE = 1.4;
/** A header's box heads a column of at least this many: itself and two rows. */
const MIN_COLUMN = 3;

export function locateSelectAll(ocr: OcrResult, rgb: RgbImage): LocateResult {
  for (const label of SELECT_ALL_LABELS) {
    const r = locate(ocr, `the checkbox next to "${label}"`, { image: rgb });
    if (r.match && r.match.score >= 0.9) return r;
  }
  const gray = grayOf(rgb);
  const boxes = rowStartBoxes(ocr, gray);
  const columns = boxColumns(boxes).filter((c) => alikeWhenEmpty(gray, c) && !inGrid(gray, c));
  if (!columns.length) return { candidates: [], message: 'no "Select all" label and no column of row checkboxes on screen' };
  if (columns.length > 1) {
    const tops = columns.map((c) => c[0]);
    return { candidates: tops.map((b) => ({ text: 'checkbox', box: b, score: 1 })), ambiguous: true, message: `${columns.length} columns of row checkboxes on screen; say which table` };
  }
  const column = columns[0];
  const top = column[0];
  const pitch = column[1][1] - top[1];
  // A header without a box of its own lies above the first row's: its words start where the row's do.
  const headerAbove = headerLineAbove(ocr, gray, top, pitch);
  if (headerAbove) return { candidates: [{ text: 'checkbox', box: top, score: 1 }], message: `the header row ("${headerAbove}") has no checkbox; the topmost box belongs to the first row` };
  // A header names two columns or more, in a few words each: a to-do list's first item is no header.
  const headers = panelGroups(ocr, gray, top).filter((g) => Math.abs(centreY(g.box as PixelBox) - centreY(top)) < 0.6 * (top[3] - top[1]));
  // (A row of values, "report.pdf  2 MB  Mar 3", has digits; column names do not.)
  if (headers.length < 2 || headers.some((g) => g.text.trim().split(/\s+/).length > 4 || /\d/.test(g.text))) {
    return { candidates: [{ text: 'checkbox', box: top, score: 1 }], message: `no table header beside the topmost box of the column (its row reads "${headers.map((g) => g.text).join(' ')}")` };
  }
  return { match: { point: [(top[0] + top[2]) / 2, (top[1] + top[3]) / 2], box: top, text: 'select-all checkbox', score: 1, kind: 'field' }, candidates: [] };
}

const centreY = (b: PixelBox): number => (b[1] + b[3]) / 2;

/** How far left of a line's first words its row's box may be, in text heights (past an avatar or a file icon). */
const ROW_LEAD_REACH = 8;

/** The toggle-shaped box at the start of each line's row, once each: the farthest within reach of its first words. */
function rowStartBoxes(ocr: OcrResult, gray: GrayImage): PixelBox[] {
  const out: PixelBox[] = [];
  const boxes = ocr.groups.map((g) => g.box as PixelBox);
  // An avatar's initials ("芳", "ME") are no cell of their own.
  const initials = new Set(ocr.groups.filter((g) => Array.from(g.text.trim()).length <= 2 && g.box[2] - g.box[0] < 1.5 * height(g.box as PixelBox)).map((g) => g.box));
  for (const box of boxes) {
    const h = height(box);
    const line = boxes.filter((o) => o !== box && o[1] < box[3] && o[3] > box[1]);
    // Only a line's first words: another group just before them means a row's later cell.
    if (line.some((o) => o[2] <= box[0] && box[0] - o[2] < ROW_LEAD_REACH * h && !initials.has(o))) continue;
    const left = toggleNearLabel(gray, box, 'left', { avoid: line, reach: ROW_LEAD_REACH, skipOthers: true, farthest: true });
    if (!left) continue;
    const w = left[2] - left[0];
    const side = left[3] - left[1];
    if (w > 1.5 * side || side > 1.5 * w || side > 2.5 * h || out.some((o) => Math.abs(o[0] - left[0]) <= 1 && Math.abs(o[1] - left[1]) <= 1)) continue;
    out.push(left as PixelBox);
  }
  return out;
}

/** Mean absolute difference, 0..255, between two boxes sampled on a SAMPLE×SAMPLE grid, each against its own ring. */
const SAMPLE = 8;
const ALIKE_LEVELS = 20;

function boxLook(g: GrayImage, b: PixelBox): Float32Array {
  const out = new Float32Array(SAMPLE * SAMPLE);
  const ring = ringLevel(g, b);
  for (let j = 0; j < SAMPLE; j++) {
    const y = Math.min(g.height - 1, Math.round(b[1] + ((j + 0.5) * (b[3] - b[1])) / SAMPLE));
    for (let i = 0; i < SAMPLE; i++) {
      const x = Math.min(g.width - 1, Math.round(b[0] + ((i + 0.5) * (b[2] - b[0])) / SAMPLE));
      out[j * SAMPLE + i] = g.data[y * g.width + x] - ring;
    }
  }
  return out;
}

/** The page's level around a box: the mean of a one-pixel ring two pixels outside it, clipped to the image (a rule above it is one side of four). */
function ringLevel(g: GrayImage, b: PixelBox): number {
  const x1 = Math.max(0, Math.round(b[0]) - 2);
  const y1 = Math.max(0, Math.round(b[1]) - 2);
  const x2 = Math.min(g.width - 1, Math.round(b[2]) + 1);
  const y2 = Math.min(g.height - 1, Math.round(b[3]) + 1);
  let sum = 0;
  let n = 0;
  for (let x = x1; x <= x2; x++, n += 2) sum += g.data[y1 * g.width + x] + g.data[y2 * g.width + x];
  for (let y = y1 + 1; y < y2; y++, n += 2) sum += g.data[y * g.width + x1] + g.data[y * g.width + x2];
  return n ? sum / n : 255;
}

const lookDistance = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

/** Share of each side's length that must be ink for a box to be drawn as a square outline. */
const OUTLINE_SIDE = 0.75;

/** An empty checkbox: about square, its four sides inked (within two px of its edge), as a folder or a file icon is not. */
function squareOutline(g: GrayImage, b: PixelBox): boolean {
  const x1 = Math.round(b[0]);
  const y1 = Math.round(b[1]);
  const x2 = Math.round(b[2]) - 1;
  const y2 = Math.round(b[3]) - 1;
  const w = x2 - x1 + 1;
  const h = y2 - y1 + 1;
  if (Math.abs(w - h) > 0.15 * Math.max(w, h)) return false;
  const bg = ringLevel(g, b);
  const ink = (x: number, y: number): boolean => Math.abs(g.data[y * g.width + x] - bg) > 24;
  // Rounded corners leave a side's ends blank: only its middle 70% is looked at.
  const side = (len: number, at: (i: number, inset: number) => boolean): boolean => {
    let k = 0;
    const from = Math.floor(0.15 * len);
    const to = Math.ceil(0.85 * len);
    for (let i = from; i < to; i++) if (at(i, 0) || at(i, 1) || at(i, 2)) k++;
    return k >= OUTLINE_SIDE * (to - from);
  };
  return (
    side(w, (i, d) => ink(x1 + i, y1 + d)) &&
    side(w, (i, d) => ink(x1 + i, y2 - d)) &&
    side(h, (i, d) => ink(x1 + d, y1 + i)) &&
    side(h, (i, d) => ink(x2 - d, y1 + i))
  );
}

/**
 * A column of checkboxes, not of icons or avatars: its empty boxes (at least two) all look alike.
 * A list's icons differ from one another, and avatars are never empty.
 */
function alikeWhenEmpty(g: GrayImage, column: PixelBox[]): boolean {
  const emptyBoxes = column.filter((b) => !isTicked(g, b));
  if (emptyBoxes.length < 2 || !emptyBoxes.every((b) => squareOutline(g, b))) return false;
  const empty = emptyBoxes.map((b) => boxLook(g, b));
  return empty.every((look) => lookDistance(look, empty[0]) <= ALIKE_LEVELS);
}

/** How far right of a row's box, in box sides, a twin box makes the rows a grid of boxes. */
const GRID_REACH = 30;

/** A column of a grid of boxes (a permission matrix): the same box again to the right, on two rows or more. */
function inGrid(g: GrayImage, column: PixelBox[]): boolean {
  let twins = 0;
  for (const b of column) {
    const side = b[3] - b[1];
    const next = toggleNearLabel(g, b, 'right', { reach: GRID_REACH, skipOthers: true });
    if (next && Math.abs(next[3] - next[1] - side) <= 2 && Math.abs(next[2] - next[0] - (b[2] - b[0])) <= 2 && lookDistance(boxLook(g, b), boxLook(g, next as PixelBox)) <= ALIKE_LEVELS) twins++;
  }
  return twins >= 2;
}

/** Boxes stacked in one column at one x, at least MIN_COLUMN of them, each column top to bottom. */
function boxColumns(boxes: PixelBox[]): PixelBox[][] {
  const columns: PixelBox[][] = [];
  for (const b of [...boxes].sort((p, q) => p[1] - q[1])) {
    const cx = (b[0] + b[2]) / 2;
    const side = b[3] - b[1];
    const column = columns.find((c) => {
      const f = c[0];
      const fs = f[3] - f[1];
      return Math.abs((f[0] + f[2]) / 2 - cx) <= SAME_X_PX && Math.max(fs, side) <= SAME_SIZE * Math.min(fs, side);
    });
    if (column) column.push(b);
    else columns.push([b]);
  }
  return columns.filter((c) => c.length >= MIN_COLUMN);
}

/** The groups right of a box in its own panel (up to a layout divider, a drawer's edge). */
function panelGroups(ocr: OcrResult, gray: GrayImage, box: PixelBox): OcrResult['groups'] {
  const divider = layoutDividerBetween(gray, Math.ceil(box[2]), gray.width);
  const right = divider < 0 ? gray.width : divider;
  return ocr.groups.filter((g) => g.box[0] > box[2] && g.box[2] <= right);
}

/**
 * The text of a line just above the top box's row whose groups start where that row's do, if any.
 * Only the table's own panel counts: a drawer beside it has lines of its own.
 */
function headerLineAbove(ocr: OcrResult, gray: GrayImage, top: PixelBox, pitch: number): string | undefined {
  const cy = centreY(top);
  const h = Math.max(4, top[3] - top[1]);
  const inPanel = panelGroups(ocr, gray, top);
  const row = inPanel.filter((g) => Math.abs(centreY(g.box as PixelBox) - cy) < 0.6 * h);
  const above = inPanel.filter((g) => {
    const y = centreY(g.box as PixelBox);
    return y < cy - 0.6 * h && y > cy - 1.6 * pitch && height(g.box as PixelBox) < 3 * h;
  });
  const aligned = above.filter((a) => row.some((r) => Math.abs(r.box[0] - a.box[0]) <= 4));
  return aligned.length >= 2 ? aligned.map((a) => a.text).join(' ') : undefined;
}
