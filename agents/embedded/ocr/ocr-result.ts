import type { OcrGroup, OcrLine, OcrResult, OcrWord, PixelBox } from '../../../kernels/ocr/types.ts';
import type { LayoutWord } from '../../../kernels/ocr/line-layout.ts';
import type { DetectedLine } from './ocr-pipeline.ts';

/** The OCR result of a screen: detected lines in reading order, their words and widget groups. */

/** Top to bottom by line centre, left to right within a row. */
export function readingOrder(a: DetectedLine, b: DetectedLine): number {
  const ay = (a.crop.y1 + a.crop.y2) / 2;
  const by = (b.crop.y1 + b.crop.y2) / 2;
  const rowTolerance = Math.min(a.crop.y2 - a.crop.y1, b.crop.y2 - b.crop.y1) / 4;
  if (Math.abs(ay - by) > rowTolerance) return ay - by;
  return a.crop.x1 - b.crop.x1 || ay - by;
}

export function assemble(width: number, height: number, lines: DetectedLine[], reads: Map<string, LayoutWord[]>): OcrResult {
  const result: OcrResult = { width, height, lines: [], words: [], groups: [] };
  const seen = new Set<string>();
  for (const line of lines) {
    if (seen.has(line.key)) continue;
    seen.add(line.key);
    const words = reads.get(line.key) ?? [];
    if (!words.length) continue;
    const lineIndex = result.lines.length;
    const ocrLine: OcrLine = { text: '', box: union(words.map((w) => w.box)), confidence: 0, words: [], groups: [] };
    let group: OcrGroup | undefined;
    for (const w of words) {
      const wi = result.words.length;
      const word: OcrWord = { text: w.text, box: [...w.box] as PixelBox, confidence: w.confidence, line: lineIndex };
      result.words.push(word);
      ocrLine.words.push(wi);
      if (w.groupStart || !group) {
        group = { text: w.text, box: [...w.box] as PixelBox, confidence: 0, line: lineIndex, words: [] };
        ocrLine.groups.push(result.groups.length);
        result.groups.push(group);
      } else {
        group.text += ' ' + w.text;
        group.box = union([group.box, w.box]);
      }
      group.words.push(wi);
    }
    for (const gi of ocrLine.groups) {
      const g = result.groups[gi];
      g.confidence = mean(g.words.map((wi) => result.words[wi].confidence));
    }
    ocrLine.text = ocrLine.groups.map((gi) => result.groups[gi].text).join(' ');
    ocrLine.confidence = mean(ocrLine.words.map((wi) => result.words[wi].confidence));
    result.lines.push(ocrLine);
  }
  return result;
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

function union(boxes: ReadonlyArray<readonly [number, number, number, number]>): PixelBox {
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}
