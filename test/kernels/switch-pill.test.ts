import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../kernels/gray.ts';
import { pillAtEnd, solidPill } from '../../kernels/switch-pill.ts';

function page(width: number, height: number): GrayImage {
  return { width, height, data: new Uint8Array(width * height).fill(255) };
}
function fill(img: GrayImage, [x1, y1, x2, y2]: number[], level: number): void {
  for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) img.data[y * img.width + x] = level;
}
/** A pill in [x1, x2) × [y1, y2): half circles at both ends, as a CSS border-radius of half its height. */
function pill(img: GrayImage, [x1, y1, x2, y2]: number[], level: number): void {
  const r = (y2 - y1) / 2;
  for (let y = y1; y < y2; y++) {
    for (let x = x1; x < x2; x++) {
      const cx = Math.min(Math.max(x + 0.5, x1 + r), x2 - r);
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - (y1 + r)) ** 2 <= r * r) img.data[y * img.width + x] = level;
    }
  }
}
/** Letter-like strokes: 2-px stems 5 px apart, 14 px tall. */
function word(img: GrayImage, x: number, y: number, letters: number): number {
  for (let i = 0; i < letters; i++) {
    fill(img, [x + 5 * i, y, x + 5 * i + 2, y + 14], 40);
    fill(img, [x + 5 * i, y + 12, x + 5 * i + 4, y + 14], 40);
  }
  return x + 5 * letters;
}

describe('pillAtEnd: a switch inside the end of a text box', () => {
  it('finds a pill after a gap, knob and all, and nothing in a box of letters only', () => {
    const img = page(200, 40);
    const end = word(img, 10, 12, 12);
    pill(img, [end + 6, 10, end + 38, 28], 130); // the track, 32×18
    pill(img, [end + 8, 12, end + 22, 26], 255); // the knob
    expect(pillAtEnd(img, [10, 12, end + 38, 26], 255)).toEqual([end + 6, 10, end + 38, 28]);
    expect(pillAtEnd(img, [10, 12, end, 26], 255)).toBeNull();
  });

  it('takes no square, no outline and no pill glued to the word', () => {
    const square = page(200, 40);
    const e1 = word(square, 10, 12, 8);
    pill(square, [e1 + 6, 10, e1 + 24, 28], 130);
    expect(pillAtEnd(square, [10, 12, e1 + 24, 26], 255)).toBeNull();
    const outline = page(200, 40);
    const e2 = word(outline, 10, 12, 8);
    pill(outline, [e2 + 6, 10, e2 + 38, 28], 130);
    pill(outline, [e2 + 8, 12, e2 + 36, 26], 255);
    expect(pillAtEnd(outline, [10, 12, e2 + 38, 26], 255)).toBeNull();
    const glued = page(200, 40);
    const e3 = word(glued, 10, 12, 8);
    pill(glued, [e3 - 1, 10, e3 + 31, 28], 130);
    expect(pillAtEnd(glued, [10, 12, e3 + 31, 26], 255)).toBeNull();
  });
});

describe('solidPill: round ends', () => {
  it('takes a pill with round ends, not a button or a block with small corner radii', () => {
    const round = page(80, 40);
    pill(round, [10, 10, 50, 30], 120);
    expect(solidPill(round, [5, 5, 55, 35], 255, 14)).toEqual([10, 10, 50, 30]);
    const button = page(80, 40);
    fill(button, [10, 10, 50, 30], 120);
    for (const [x, y] of [[10, 10], [49, 10], [10, 29], [49, 29]]) button.data[y * 80 + x] = 255; // radius 1
    expect(solidPill(button, [5, 5, 55, 35], 255, 14)).toBeNull();
  });
});
