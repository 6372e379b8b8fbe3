/**
 * "go to page 3", "翻到第3页": the number 3 of a pager, known by its neighbours. A lone "3"
 * elsewhere (a quantity, a badge, a table cell) is not a page: the number must stand in a row
 * with other page numbers or the pager's arrows, close by.
 */
import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import { centre, height, rowOverlap } from './geometry.ts';
import type { LocateResult } from './locate.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { expanderShaped, levelUnder, marksBeside } from '../../../kernels/small-mark.ts';
import { grayOf, medianTextHeight } from './controls.ts';

export const PAGER_DESCRIPTION = /^page (\d{1,3}) in the pager$/;

/** Pager words and arrows read as text. */
const PAGER_MARKS = /^(?:[<>‹›«»←→]|prev(?:ious)?|next|上一页|下一页|首页|尾页|末页|\.\.\.|…)$/i;
/** How far along the row a neighbour may be, in text heights. */
const NEIGHBOUR_REACH = 8;

export function locatePageNumber(ocr: OcrResult, description: string): LocateResult {
  const n = Number(description.match(PAGER_DESCRIPTION)?.[1]);
  const words = ocr.words.map((w) => ({ text: w.text.trim(), box: w.box as PixelBox }));
  const inPager = (box: PixelBox): boolean => {
    const h = Math.max(8, height(box));
    return words.some((w) => {
      if (w.box === box || rowOverlap(w.box, box) < 0.5) return false;
      const gap = Math.max(w.box[0] - box[2], box[0] - w.box[2]);
      if (gap > NEIGHBOUR_REACH * h) return false;
      const k = /^\d{1,3}$/.test(w.text) ? Number(w.text) : NaN;
      return (Number.isFinite(k) && k !== n && Math.abs(k - n) <= 3) || PAGER_MARKS.test(w.text);
    });
  };
  const exact = words.filter((w) => w.text === String(n));
  const pages = exact.filter((w) => inPager(w.box));
  const candidates = exact.map((w) => ({ text: w.text, box: w.box, score: pages.includes(w) ? 1 : 0.5 }));
  if (pages.length === 1) {
    const box = pages[0].box;
    return { match: { point: centre(box), box, text: `page ${n}`, score: 1, kind: 'text' }, candidates };
  }
  const message = pages.length
    ? `${pages.length} pagers show a page ${n}: say which`
    : exact.length
      ? `no pager shows a page ${n}: the ${n} on screen ${exact.length > 1 ? 'are' : 'is'} not between other page numbers`
      : `no page ${n} on screen`;
  return { candidates, message, ...(pages.length > 1 ? { ambiguous: true } : {}) };
}

export const PAGER_ARROW = /^the pager's (next|previous) arrow$/;

/**
 * "下一页" on a pager drawn as "‹ 1 2 3 … 258 ›": the arrow right of its last page number (left
 * of its first), a small chevron in a box that neither OCR nor the icon finder reads. The pager is
 * the one row of page numbers standing together; two such rows is no answer.
 */
export function locatePagerArrow(ocr: OcrResult, rgb: RgbImage, description: string): LocateResult {
  const forward = description.match(PAGER_ARROW)?.[1] === 'next';
  const numbers = ocr.words.filter((w) => /^\d{1,4}$/.test(w.text.trim())).map((w) => ({ n: Number(w.text.trim()), box: w.box as PixelBox }));
  const together = (a: { box: PixelBox }, b: { box: PixelBox }) =>
    a !== b && rowOverlap(a.box, b.box) >= 0.5 && Math.max(b.box[0] - a.box[2], a.box[0] - b.box[2]) <= NEIGHBOUR_REACH * Math.max(8, height(a.box));
  // Page numbers: at least three on a row, each near another, counting up from left to right.
  const paged = numbers.filter((w) => numbers.filter((o) => together(w, o)).length >= 1);
  const rows: Array<typeof paged> = [];
  for (const w of paged.sort((a, b) => a.box[0] - b.box[0])) {
    const row = rows.find((r) => rowOverlap(r[0].box, w.box) >= 0.5);
    if (row) row.push(w);
    else rows.push([w]);
  }
  const pagers = rows.filter((r) => r.length >= 3 && r.every((w, i) => i === 0 || w.n > r[i - 1].n));
  if (pagers.length !== 1) return { candidates: [], message: pagers.length ? `${pagers.length} pagers on screen: say which` : 'no pager (a row of page numbers) on screen' };
  const row = pagers[0];
  const end = forward ? row[row.length - 1].box : row[0].box;
  const g = grayOf(rgb);
  // A number's box is only as tall as its digits: the screen's text height sizes the arrow.
  const h = Math.max(height(end), medianTextHeight(ocr));
  const bg = levelUnder(g, end);
  const arrow = marksBeside(g, end, forward ? 'right' : 'left', 5 * h, bg).find((m) => expanderShaped(g, m, 1.2 * h, bg));
  if (!arrow) return { candidates: [], message: `no arrow seen ${forward ? 'after' : 'before'} the pager's page ${forward ? row[row.length - 1].n : row[0].n}` };
  return { match: { point: centre(arrow), box: arrow, text: `the pager's ${forward ? 'next' : 'previous'} arrow`, score: 1, kind: 'text' }, candidates: [] };
}
