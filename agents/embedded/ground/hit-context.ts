import type { OcrResult } from '../../../kernels/ocr/types.ts';
import type { TextHit } from './text-match.ts';

/** Where a text hit sits in the group OCR read it in: a crumb of a breadcrumb trail, words of a sentence. */

/** A crumb's separator: a chevron, or a slash with space on a side (OCR spaces them unevenly; a path or a URL has none). */
const CRUMB_SIGN = '(?:\\s*[>›〉»＞]\\s*|\\s[/\\\\]\\s)';

/** A whole crumb of a breadcrumb trail: a separator or its group's end on each side, and another crumb across a separator. */
export function inTrail(h: TextHit): boolean {
  const at = h.groupText.indexOf(h.text);
  if (at < 0) return false;
  // One space put back on the inner side, where a spaced slash needs it.
  const before = `${h.groupText.slice(0, at).trimEnd()} `;
  const after = ` ${h.groupText.slice(at + h.text.length).trimStart()}`;
  // A crumb across the sign: a chevron at a group's start is a tree's expander (› Payments).
  const crumbBefore = new RegExp(`\\S${CRUMB_SIGN}$`).test(before);
  const crumbAfter = new RegExp(`^${CRUMB_SIGN}\\S`).test(after);
  // A sign at the group's end after a crumb: the trail goes on in the next group (My Drive 〉 Projects >).
  const goesOn = crumbBefore && /^\s*[>›〉»＞/\\]\s*$/.test(after);
  return (crumbBefore || !before.trim()) && (crumbAfter || goesOn || !after.trim()) && (crumbBefore || crumbAfter);
}

/**
 * A hit that is a small part of a longer text, not at its start: at least four more characters,
 * over twice its own. A text that starts with the label ("Search Acme Labs") is a placeholder.
 */
export function withinSentence(h: TextHit): boolean {
  const own = h.text.replace(/\s+/g, '').toLowerCase();
  const group = h.groupText.replace(/[\s:：*＊]+/g, '').toLowerCase();
  const at = group.indexOf(own);
  if (at >= 0 && at <= 1) return false;
  const [n, g] = [Array.from(own).length, Array.from(group).length];
  return g - n >= 4 && g > 2 * n;
}

/** A hit that is a few words of a sentence, not a label (a row's "Edit Delete View" read as one group is labels). */
export function inSentence(h: TextHit): boolean {
  const words = (t: string) => t.split(/\s+/).filter(Boolean).length;
  return words(h.groupText) >= words(h.text) + 4;
}

const PAGE_NUMBER = /^[‹«<]?\s*\d{1,3}\s*[›»>]?$/;

/** A page number of a pager: a number with two more page numbers (or ‹ ›) on its line, in its group or beside it. */
export function onPager(h: TextHit, ocr: OcrResult): boolean {
  if (!/^\d{1,3}$/.test(h.text.trim())) return false;
  const cy = (h.box[1] + h.box[3]) / 2;
  const tall = h.box[3] - h.box[1];
  const inGroup = h.groupText.split(/\s+/).filter((t) => PAGE_NUMBER.test(t)).length - 1;
  const beside = ocr.groups.filter((g) => g.box !== h.groupBox && Math.abs((g.box[1] + g.box[3]) / 2 - cy) <= tall / 2 && g.text.trim().split(/\s+/).every((t) => PAGE_NUMBER.test(t) || /^(?:[‹›«»<>…]|\.\.\.|上一页|下一页|prev(?:ious)?|next)$/i.test(t))).length;
  return inGroup + beside >= 2;
}
