import { isCjkLetter } from '../../../kernels/cjk.ts';
import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import { unquote } from '../quotes.ts';
import { centre } from './geometry.ts';
import type { LocateResult } from './locate.ts';
import { searchText } from './text-match.ts';

/**
 * A dropdown named by its label but showing a placeholder that repeats it: "Status" shown as
 * "All statuses", "Zone" as "Any zone", "省份" as "请选择省份". Filter bars and forms draw
 * these with no label beside them (the label is the accessible name, or a table's column header).
 */

const PLACEHOLDER_HEAD = /^(?:all|any|every|select|choose|pick)(?:\s+(?:a|an|the))?\s+|^(?:请选择|选择|全部|所有)\s*/i;
/** The name's words must be read this surely inside the placeholder. */
const MIN_SCORE = 0.75;

export function locateSelectByPlaceholder(ocr: OcrResult, name: string): LocateResult | undefined {
  const bare = unquote(name);
  if (!bare) return undefined;
  const found: LocateResult['candidates'] = [];
  const forms = Array.from(bare).some(isCjkLetter) ? [bare] : [bare, `${bare}s`, `${bare}es`, ...(bare.endsWith('y') ? [`${bare.slice(0, -1)}ies`] : [])];
  for (const h of forms.flatMap((f) => searchText(ocr, f))) {
    if (h.score < MIN_SCORE) continue;
    const text = h.groupText.trim();
    const head = text.match(PLACEHOLDER_HEAD);
    if (!head) continue;
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
