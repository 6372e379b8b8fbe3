import { describe, expect, it } from 'vitest';
import { closedShape } from '../../kernels/closed-shape.ts';

/** A 20×20 white image with the pixels `ink(x, y)` says drawn black. */
function draw(ink: (x: number, y: number) => boolean) {
  const data = new Uint8Array(400).fill(255);
  for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) if (ink(x, y)) data[y * 20 + x] = 0;
  return { data, width: 20, height: 20 };
}
const box: [number, number, number, number] = [2, 2, 18, 18];

describe('closedShape: drawn as a control is, or as a glyph', () => {
  it('takes an outlined box, a ring and a filled box', () => {
    const outline = draw((x, y) => (x === 2 || x === 17 || y === 2 || y === 17) && x >= 2 && x <= 17 && y >= 2 && y <= 17);
    expect(closedShape(outline, box, 255)).toBe(true);
    const ring = draw((x, y) => Math.abs(Math.hypot(x - 9.5, y - 9.5) - 7.5) < 0.8);
    expect(closedShape(ring, box, 255)).toBe(true);
    const filled = draw((x, y) => x >= 2 && x <= 17 && y >= 2 && y <= 17);
    expect(closedShape(filled, box, 255)).toBe(true);
  });

  it('refuses a shape open on a side: an L, a diagonal stroke', () => {
    expect(closedShape(draw((x, y) => (x === 2 && y >= 2 && y <= 17) || (y === 17 && x >= 2 && x <= 17)), box, 255)).toBe(false);
    expect(closedShape(draw((x, y) => x >= 2 && x <= 17 && Math.abs(x - y) <= 1), box, 255)).toBe(false);
  });
});
