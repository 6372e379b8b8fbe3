/**
 * "go to page 3", "翻到第3页": the number 3 of a pager, known by its neighbours. A lone "3"
 * elsewhere (a quantity, a badge, a table cell) is not a page: the number must stand in a row
 * with other page numbers or the pager's arrows, close by.
 */
import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import { centre, height, rowOverlap } from './geometry.ts';
import type { LocateResult } from './locate.ts';

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
