import type { OcrResult, PixelBox } from '../../../../kernels/ocr/types.ts';

/**
 * Hand-built OCR results for tests. A line spec's text is split into words on single spaces and
 * into groups (widget labels) on runs of two or more spaces; each character is `charW` wide
 * (CJK twice that) and a group gap is 4 characters.
 */
export interface LineSpec {
  text: string;
  x: number;
  y: number;
  h?: number;
  charW?: number;
}

const CJK = /[\p{Script=Han}]/u;

export function buildOcr(specs: LineSpec[], size: { width: number; height: number } = { width: 1280, height: 720 }): OcrResult {
  const r: OcrResult = { width: size.width, height: size.height, lines: [], words: [], groups: [] };
  for (const spec of specs) {
    const h = spec.h ?? 16;
    const cw = spec.charW ?? 8;
    const li = r.lines.length;
    const lineWords: number[] = [];
    const lineGroups: number[] = [];
    let x = spec.x;
    for (const groupText of spec.text.trim().split(/\s{2,}/)) {
      const groupWords: number[] = [];
      groupText.split(' ').forEach((w, k) => {
        if (k > 0) x += cw;
        const width = Array.from(w).reduce((s, c) => s + (CJK.test(c) ? 2 * cw : cw), 0);
        const box: PixelBox = [x, spec.y, x + width, spec.y + h];
        groupWords.push(r.words.length);
        r.words.push({ text: w, box, confidence: 0.95, line: li });
        x += width;
      });
      const boxes = groupWords.map((i) => r.words[i].box);
      lineGroups.push(r.groups.length);
      r.groups.push({ text: groupText, box: union(boxes), confidence: 0.95, line: li, words: groupWords });
      lineWords.push(...groupWords);
      x += 4 * cw;
    }
    r.lines.push({
      text: spec.text.trim().replace(/\s{2,}/g, ' '),
      box: union(lineWords.map((i) => r.words[i].box)),
      confidence: 0.95,
      words: lineWords,
      groups: lineGroups,
    });
  }
  return r;
}

function union(boxes: PixelBox[]): PixelBox {
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}
