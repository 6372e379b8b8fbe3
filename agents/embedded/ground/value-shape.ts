import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { allFields, grayOf } from './controls.ts';
import type { GrayImage } from '../../../kernels/gray.ts';
import { levelUnder } from '../../../kernels/small-mark.ts';
import { contains, height } from './geometry.ts';
import { arrowAfter } from './select-box.ts';

/**
 * A dropdown known by what it shows, not by a label: "[combobox] 每页条数 -> SELECT: 50 条/页" on a
 * pager whose list shows "10 条/页 ▾"; "Zoom -> SELECT: 125%" on a toolbar showing "100% ▾";
 * "Select 按时间排序 from the list" under a "默认排序 ▾". The option asked for and the value
 * shown are the same kind of thing when they have one shape: the same words around their
 * numbers, or the same Chinese ending. Only a dropdown (its arrow beside the value) counts, and
 * only one may fit.
 */

/** Digits stand for any number: "10 条/页" and "20 条/页" are both "# 条/页". */
function numberShape(s: string): string | undefined {
  const t = s.normalize('NFKC').replace(/\s+/g, '');
  // "1 adult" and "2 adults" are one shape: a count's noun is singular after 1.
  return /\d/.test(t) ? t.replace(/\d+/g, '#').replace(/(?<=\p{L}{2})s$/u, '') : undefined;
}

/** "默认排序" and "按时间排序" end alike: the same kind of choice. */
const ZH_ENDING = 2;
const EN_HEAD_MIN = 4;

/** A calendar's views: one is shown, another asked for ("Week ▾" for "month"). */
const PERIOD = /^(?:day|week|work\s*week|month|year|agenda|schedule|日|天|周|月|年|日程)$/i;
/** A flight's cabin classes. */
const CABIN = /^(?:economy|premium\s+economy|business|business\s+class|first|first\s+class|经济舱|超级经济舱|商务舱|头等舱)$/i;
const KINDS = [PERIOD, CABIN];

export function sameShape(value: string, option: string): boolean {
  const v = value.trim();
  const o = option.trim();
  if (!v || !o || v.toLowerCase() === o.toLowerCase()) return false;
  for (const kind of KINDS) if (kind.test(v) || kind.test(o)) return kind.test(v) && kind.test(o);
  const vs = numberShape(v);
  if (vs !== undefined) return vs === numberShape(o);
  if (/^\p{Script=Han}{3,}$/u.test(v) && /^\p{Script=Han}{3,}$/u.test(o)) return v.slice(-ZH_ENDING) === o.slice(-ZH_ENDING);
  const vw = v.toLowerCase().split(/\s+/);
  const ow = o.toLowerCase().split(/\s+/);
  const head = vw[vw.length - 1];
  return vw.length > 1 && ow.length > 1 && head.length >= EN_HEAD_MIN && head === ow[ow.length - 1];
}

/** How far past its value a boxed dropdown's arrow may be, in text heights (its box's right end). */
const BOX_ARROW_REACH = 14;

/** A word's box up to where its letters end: the first gap wider than a quarter of its height ends it. */
function inkOf(g: GrayImage, box: PixelBox): PixelBox {
  const [x1, y1, x2, y2] = box.map(Math.round);
  const bg = levelUnder(g, box);
  const gapEnd = 0.25 * (y2 - y1);
  let end = x1;
  for (let x = x1; x < x2 && x - end <= gapEnd; x++) {
    for (let y = y1; y < y2; y++) {
      if (Math.abs(g.data[y * g.width + x] - bg) > 60) {
        end = x + 1;
        break;
      }
    }
  }
  return end > x1 ? [x1, y1, end, y2] : box;
}

/** The dropdowns on screen that show a value shaped like the option: their value's boxes. */
export function dropdownsShowingLike(ocr: OcrResult, image: RgbImage, option: string): PixelBox[] {
  // The fields are found only once a value of the option's shape is on screen (most screens have none).
  let fields: ReturnType<typeof allFields> | undefined;
  const out: PixelBox[] = [];
  // A word too ("100%" on a toolbar read as one line with its neighbours), its box cut to its own
  // ink: OCR may take the arrow right after it into the word's box.
  const words = ocr.words
    .filter((w) => sameShape(w.text, option) && !ocr.groups.some((g) => g.text.trim() === w.text.trim()))
    .map((w) => ({ text: w.text, box: inkOf(grayOf(image), w.box as PixelBox) }));
  for (const g of [...ocr.groups, ...words]) {
    if (!sameShape(g.text, option)) continue;
    fields ??= allFields(ocr, image);
    const box = g.box as PixelBox;
    // Its arrow right after the value, or at the right end of the box that holds it.
    const field = fields.find((f) => contains(f.box, box, 2));
    const arrow = arrowAfter(box, ocr, image) ?? (field && field.box[2] - box[2] <= BOX_ARROW_REACH * height(box) ? arrowAfter([box[0], box[1], Math.max(box[2], field.box[2] - 3 * height(box)), box[3]], ocr, image) : undefined);
    if (arrow) out.push(field ? field.box : box);
  }
  return out;
}
