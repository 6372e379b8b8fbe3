import { describe, expect, it } from 'vitest';
import { DEFAULT_MARK_STYLE, MARK_PALETTE, drawMarks, glyphBit, labelRect, type Mark, type MarkStyle } from '../../kernels/set-of-marks.ts';

/** Slow, obvious reference: for every pixel, find the last mark painting it and what it paints. */
function referenceColour(x: number, y: number, marks: Mark[], style: MarkStyle): [number, number, number] | undefined {
  let colour: [number, number, number] | undefined;
  marks.forEach((m, i) => {
    const [r, g, b] = MARK_PALETTE[i % MARK_PALETTE.length];
    const [x1, y1, x2, y2] = m.box.map(Math.round);
    const t = style.thickness;
    const inBox = x >= x1 && x < x2 && y >= y1 && y < y2;
    const onEdge = inBox && (y < y1 + t || y >= y2 - t || x < x1 + t || x >= x2 - t);
    if (onEdge) colour = [r, g, b];
    const [lx1, ly1, lx2, ly2] = labelRect(m, style);
    if (x >= lx1 && x < lx2 && y >= ly1 && y < ly2) {
      colour = [r, g, b];
      const s = style.fontScale;
      const digits = String(m.label);
      const k = Math.floor((x - lx1 - s) / (4 * s));
      const cx = Math.floor((x - lx1 - s - k * 4 * s) / s);
      const cy = Math.floor((y - ly1 - s) / s);
      if (x - lx1 - s >= 0 && k < digits.length && cx < 3 && cy >= 0 && cy < 5 && glyphBit(Number(digits[k]), cx, cy)) colour = [255, 255, 255];
    }
  });
  return colour;
}

describe('drawMarks', () => {
  it('matches the per-pixel reference, including clipping at the edges and overlapping marks', () => {
    const width = 160;
    const height = 90;
    const marks: Mark[] = [
      { box: [10, 30, 70, 60], label: 7 },
      { box: [50, 2, 150, 40], label: 12 },
      { box: [-5, 80, 40, 100], label: 305 },
      { box: [120.4, 50.6, 159.6, 89.5], label: 0 },
    ];
    for (const style of [DEFAULT_MARK_STYLE, { fontScale: 1, thickness: 1 }, { fontScale: 3, thickness: 3 }]) {
      const data = new Uint8Array(width * height * 3).fill(40);
      drawMarks({ data, width, height }, marks, style);
      let painted = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const want = referenceColour(x, y, marks, style) ?? [40, 40, 40];
          const i = (y * width + x) * 3;
          expect([data[i], data[i + 1], data[i + 2]], `pixel ${x},${y}`).toEqual(want);
          if (data[i] !== 40) painted++;
        }
      }
      expect(painted).toBeGreaterThan(500);
    }
  });

  it('draws readable digits: "8" lights 13 cells of its 3x5 glyph', () => {
    const width = 40;
    const height = 40;
    const data = new Uint8Array(width * height * 3);
    drawMarks({ data, width, height }, [{ box: [5, 20, 35, 35], label: 8 }], { fontScale: 1, thickness: 1 });
    let white = 0;
    for (let i = 0; i < data.length; i += 3) if (data[i] === 255 && data[i + 1] === 255) white++;
    expect(white).toBe(13);
  });

  it('rejects a buffer of the wrong size', () => {
    expect(() => drawMarks({ data: new Uint8Array(10), width: 4, height: 4 }, [])).toThrow(/expected 4x4x3/);
  });
});
