import { isCjkLetter } from '../../../kernels/cjk.ts';
import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import { unquote } from '../quotes.ts';
import { centre, height, overlaps } from './geometry.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { expanderShaped, levelUnder, marksBeside } from '../../../kernels/small-mark.ts';
import { grayOf } from './controls.ts';
import type { LocateResult } from './locate.ts';
import { searchText } from './text-match.ts';

/**
 * A dropdown named by its label but showing a placeholder that repeats it: "Status" shown as
 * "All statuses", "Zone" as "Any zone", "省份" as "请选择省份". Filter bars and forms draw
 * these with no label beside them (the label is the accessible name, or a table's column header).
 * Or the name leads its value: "Sort: Last updated".
 */

const PLACEHOLDER_HEAD = /^(?:all|any|every|select|choose|pick)(?:\s+(?:a|an|the))?\s+|^(?:请选择|选择|全部|所有)\s*/i;
/** The name's words must be read this surely inside the placeholder. */
const MIN_SCORE = 0.75;

export function locateSelectByPlaceholder(ocr: OcrResult, name: string, image?: RgbImage): LocateResult | undefined {
  const bare = unquote(name);
  if (!bare) return undefined;
  const found: LocateResult['candidates'] = [];
  const forms = Array.from(bare).some(isCjkLetter) ? [bare] : [bare, `${bare}s`, `${bare}es`, ...(bare.endsWith('y') ? [`${bare.slice(0, -1)}ies`] : [])];
  for (const h of forms.flatMap((f) => searchText(ocr, f))) {
    if (h.score < MIN_SCORE) continue;
    const text = h.groupText.trim();
    // "Sort: Last updated": the name, a colon, the value shown.
    // Only with its arrow after it: "Priority: Medium" in a summary is no dropdown.
    const valued = !!image && text.toLowerCase().startsWith(bare.toLowerCase()) && /^\s*[:：]\s*\S/.test(text.slice(bare.length)) && !!arrowAfter(h.groupBox as PixelBox, ocr, image);
    const head = text.match(PLACEHOLDER_HEAD);
    if (valued && !found.some((f) => f.box === h.groupBox)) found.push({ text, box: h.groupBox, score: h.score });
    if (valued || !head) continue;
    // What follows the head is the name, maybe plural ("statuses"), and nothing else.
    const rest = text.slice(head[0].length).toLowerCase().replace(/[\s:：…]+$/, '');
    const want = bare.toLowerCase();
    if (rest !== want && rest !== `${want}s` && rest !== `${want}es` && !(want.endsWith('y') && rest === `${want.slice(0, -1)}ies`)) continue;
    if (!found.some((f) => f.box === h.groupBox)) found.push({ text, box: h.groupBox, score: h.score });
  }
  if (found.length !== 1) return undefined;
  const f = found[0];
  return { match: { point: centre(f.box as PixelBox), box: f.box, text: f.text, score: f.score, kind: 'field' }, candidates: [] };
}

/** Glyphs OCR reads for a dropdown's arrow. */
const ARROW_GLYPH = /^[▾▼⌄˅∨]$/;
const ARROW_REACH = 4;

/**
 * "正文 ▾", "Zoom ⌄": a borderless dropdown shows its value with a small down arrow right after
 * it (within four text heights: a toolbar's dropdown has a fixed width). The arrow is an OCR glyph or a small mark wider than
 * tall, shaped like a chevron or a triangle; the text is then the dropdown itself.
 */
export function arrowAfter(label: PixelBox, ocr: OcrResult, image: RgbImage): PixelBox | undefined {
  const h = height(label);
  const sameLine = (b: readonly number[]) => b[1] < label[3] && b[3] > label[1];
  const glyph = ocr.words.find((w) => ARROW_GLYPH.test(w.text.trim()) && w.box[0] >= label[2] - 1 && w.box[0] - label[2] <= ARROW_REACH * h && sameLine(w.box));
  if (glyph) return glyph.box as PixelBox;
  const g = grayOf(image);
  const bg = levelUnder(g, label);
  const [mark] = marksBeside(g, label, 'right', ARROW_REACH * h, bg);
  // Not a letter of a word; OCR may read the arrow into the next word's start ("|14|" for "⌄ | 14").
  // (The word whose ink the label is, cut short of the arrow, is the label's own.)
  if (!mark || ocr.words.some((w) => Array.from(w.text.trim()).length >= 2 && overlaps(w.box, mark) && !overlaps(w.box, label) && /^[\p{L}\p{N}]/u.test(w.text.trim()))) return undefined;
  const [w, mh] = [mark[2] - mark[0], mark[3] - mark[1]];
  // Wider than tall, as a V or a ▾ is (a small ▾'s antialiased rows square its box), and not flat as a minus.
  return w >= (mh <= 6 ? 1 : 1.3) * mh && mh >= Math.max(3, 0.25 * h) && expanderShaped(g, mark, h, bg) && (mark[1] + mark[3]) / 2 > label[1] && (mark[1] + mark[3]) / 2 < label[3] ? (mark as PixelBox) : undefined;
}
