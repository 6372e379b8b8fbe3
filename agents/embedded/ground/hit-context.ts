import type { OcrResult } from '../../../kernels/ocr/types.ts';
import type { TextHit } from './text-match.ts';

/** Where a text hit sits in the group OCR read it in (a crumb of a breadcrumb trail, a page number, words of a sentence), and whether a field may be guessed beside it. */

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

/** Most edit cost per letter of a label from which a field not seen in the image is guessed beside it. */
const GUESS_LABEL_COST = 0.15;

/** Why a field not seen, only guessed beside its label, is no answer; undefined when the guess may stand. */
export function guessRefused(text: string, picked: TextHit): string | undefined {
  // "消息输入框" where 消息 ends a sentence ("张伟撤回了一条消息"): words inside a sentence label
  // no field, so a field guessed from them (none seen) would be a guess on a guess.
  if (withinSentence(picked)) return `no input seen for "${text}": "${picked.text}" is only part of "${picked.groupText}"`;
  // So is one beside a label read only loosely ("fil" for Fill), or a lone letter ("W", on every screen).
  const letters = Array.from(text.replace(/\s+/g, '')).length;
  if (letters <= 1 || picked.cost / Math.max(1, letters) > GUESS_LABEL_COST) return `no input seen for "${text}", and "${picked.text}" is too unsure a label to guess one from`;
  return undefined;
}
