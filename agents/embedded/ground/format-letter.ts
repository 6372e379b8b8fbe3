import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import { centre, height } from './geometry.ts';
import type { LocateResult } from './locate.ts';

/**
 * An editor's formatting buttons are drawn as letters: "B" for bold, "I" italic, "U" underline,
 * "S" strikethrough, which OCR reads as one-letter words in a row of such words ("B I U S").
 * "bold" is that "B" when it stands in such a toolbar run, and only then: a lone "B" in a
 * sentence or a grade is no button.
 */

const FORMATS: Array<[RegExp, string]> = [
  [/^(?:bold|加粗|粗体)$/i, 'B'],
  [/^(?:italic|italics|斜体)$/i, 'I'],
  [/^(?:underline|下划线)$/i, 'U'],
  [/^(?:strike(?:through|-through| through)?|删除线)$/i, 'S'],
];

/** One-letter words on one line with gaps of at most this many text heights between them make a toolbar run. */
const RUN_GAP_HEIGHTS = 3;

export function locateFormatLetter(ocr: OcrResult, description: string): LocateResult | undefined {
  const name = description.trim().replace(/^(?:the\s+)?/i, '').replace(/\s+(?:button|icon|tool)$/i, '').replace(/(?:按钮|图标)$/, '');
  const letter = FORMATS.find(([re]) => re.test(name))?.[1];
  if (!letter) return undefined;
  // (A toolbar's divider, a hairline, is read as "I" or "|": no letter is that thin.)
  const singles = ocr.words.filter((w) => Array.from(w.text.trim()).length === 1 && w.box[2] - w.box[0] >= 0.2 * height(w.box));
  const found = singles.filter((w) => w.text.trim().toUpperCase() === letter && runLength(w, singles) >= 3);
  if (found.length !== 1) {
    const candidates = found.map((w) => ({ text: w.text, box: w.box, score: 0.9 }));
    return { candidates, ...(found.length > 1 ? { ambiguous: true } : {}), message: found.length ? `"${letter}" stands in more than one toolbar` : `no "${letter}" in a row of formatting letters` };
  }
  const w = found[0];
  return { match: { point: centre(w.box), box: w.box, text: `"${letter}" (${name})`, score: 0.9, kind: 'text' }, candidates: [] };
}

/** How many one-letter words stand in a run on the word's line, the word included. */
function runLength(w: { box: PixelBox; line: number }, singles: { box: PixelBox; line: number }[]): number {
  const row = singles.filter((o) => Math.abs(centre(o.box)[1] - centre(w.box)[1]) < height(w.box) / 2).sort((a, b) => a.box[0] - b.box[0]);
  const i = row.findIndex((o) => o.box === w.box);
  const gap = RUN_GAP_HEIGHTS * height(w.box);
  let n = 1;
  for (let j = i; j > 0 && row[j].box[0] - row[j - 1].box[2] <= gap; j--) n++;
  for (let j = i; j < row.length - 1 && row[j + 1].box[0] - row[j].box[2] <= gap; j++) n++;
  return n;
}
