import { isCjkLetter } from '../../../kernels/cjk.ts';
import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { allFields, looksLikePlaceholder, type ControlHit } from './controls.ts';
import { centre, contains } from './geometry.ts';
import type { LocateResult } from './locate.ts';
import { searchText, type TextHit } from './text-match.ts';

/**
 * "the search box", "搜索框": the field whose placeholder invites a search ("Search products",
 * "Q 搜索订单号/收货人"). A "Search" tab or heading elsewhere is not it.
 */

export const SEARCH_FIELD_NAME = /^(?:the\s+)?(?:search|searchbox|search\s+(?:box|bar|field|input))$|^搜索(?:框|栏)$|^(?:搜索|查询)输入框$/i;

/** Least score of the placeholder's "Search" / "搜索" (a word at the start of a longer placeholder). */
const MIN_PLACEHOLDER_SCORE = 0.5;

export function locateSearchField(ocr: OcrResult, image: RgbImage, name: string): LocateResult {
  const word = Array.from(name).some(isCjkLetter) ? '搜索' : 'Search';
  const hits = searchText(ocr, word).filter((h) => h.score >= MIN_PLACEHOLDER_SCORE);
  // Finding the input rectangles scans the whole image: only when a placeholder may be in one.
  const fields = hits.length ? allFields(ocr, image) : [];
  const inFields: LocateResult['candidates'] = [];
  const light: LocateResult['candidates'] = [];
  for (const h of hits) {
    // A placeholder sits at the left of its field (after a magnifier), not centred like a tab's label.
    const field = fields.find((f) => contains(f.box, h.box, 2) && h.groupBox[0] - f.box[0] < 0.25 * (f.box[2] - f.box[0]));
    // A placeholder starts its field's text; "Search" in a sentence or a tab is not one.
    const starts = h.groupText.replace(/^[^\p{L}\p{N}]*[QqO]?\s*/u, '').toLowerCase().startsWith(word.toLowerCase());
    if (!starts) continue;
    if (field) inFields.push({ text: h.groupText, box: field.box, score: h.score });
    else if (looksLikePlaceholder(ocr, h.groupBox, image)) light.push({ text: h.groupText, box: h.groupBox, score: h.score });
  }
  // A placeholder inside a field box the image shows is surer than grey text alone (a tab's label).
  // Among grey texts, one led by the magnifier (read as "Q") or saying more than "Search" is a
  // placeholder; a lone "Search" may be a tab's label.
  const worded = light.filter((c) => /^[QqO]\s*\S/.test(c.text) || c.text.trim().length > word.length + 2);
  const placeholders = inFields.length ? inFields : worded.length === 1 ? worded : light;
  const found = placeholders.length ? placeholders : fieldsBeforeButton(hits, word, fields);
  if (found.length !== 1) {
    const message = found.length ? `more than one search field: ${found.map((f) => `"${f.text}"`).join(', ')}; say which` : `no search field seen (no field whose placeholder starts with "${word}")`;
    return { candidates: found, message };
  }
  const f = found[0];
  return { match: { point: centre(f.box as PixelBox), box: f.box, text: f.text, score: f.score, kind: 'field' }, candidates: [] };
}

/**
 * "请输入您要办理的事项" then a "搜索" button: the field the search button ends (the input left of
 * it, or the box that holds both), when no placeholder names the search.
 */
function fieldsBeforeButton(hits: TextHit[], word: string, fields: ControlHit[]): LocateResult['candidates'] {
  const out: LocateResult['candidates'] = [];
  for (const b of hits) {
    if (b.groupText.replace(/\s+/g, '').toLowerCase() !== word.toLowerCase()) continue;
    const h = b.box[3] - b.box[1];
    const cy = (b.box[1] + b.box[3]) / 2;
    for (const f of fields) {
      if (cy < f.box[1] || cy > f.box[3] || f.box[2] - f.box[0] < 8 * h) continue;
      // The input ends at the button, or its box holds the button at its right end.
      const before = f.box[2] <= b.box[0] + 2 && b.box[0] - f.box[2] <= 3 * h;
      const holds = contains(f.box, b.box, 2) && f.box[2] - b.box[2] <= 3 * h;
      if (!before && !holds) continue;
      const input: PixelBox = [f.box[0], f.box[1], holds ? b.box[0] - h : f.box[2], f.box[3]];
      out.push({ text: f.inner ?? word, box: input, score: b.score });
    }
  }
  return out;
}
