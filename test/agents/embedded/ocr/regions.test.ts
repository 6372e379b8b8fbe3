import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { changedRegions, mergeRects, rectsIntersect, type Rect } from '../../../../kernels/regions.ts';

const inside = (x: number, y: number, r: Rect): boolean => x >= r[0] && x < r[2] && y >= r[1] && y < r[3];

describe('changedRegions', () => {
  it('is empty for identical images and rejects mismatched buffers', () => {
    const a = new Uint8Array(10 * 8 * 3).fill(7);
    expect(changedRegions(a, a.slice(), 10, 8, 3)).toEqual([]);
    expect(() => changedRegions(a, new Uint8Array(5), 10, 8, 3)).toThrow(/240 bytes/);
    expect(() => changedRegions(a, a, 0, 8, 3)).toThrow(/invalid size/);
  });

  it('covers every changed pixel with disjoint rectangles, and only tiles that changed (random edits)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 12 }),
        fc.constantFrom(1, 3),
        (w, h, edits, channels) => {
          const a = new Uint8Array(w * h * channels);
          const b = a.slice();
          const changed = new Set<string>();
          for (const [x0, y0, v] of edits) {
            const x = x0 % w;
            const y = y0 % h;
            b[(y * w + x) * channels] = v;
            changed.add(`${x},${y}`);
          }
          const tile = 8;
          const rects = changedRegions(a, b, w, h, channels, { tile });
          for (const key of changed) {
            const [x, y] = key.split(',').map(Number);
            expect(rects.some((r) => inside(x, y, r))).toBe(true);
          }
          for (let i = 0; i < rects.length; i++) {
            for (let j = i + 1; j < rects.length; j++) expect(rectsIntersect(rects[i], rects[j])).toBe(false);
            const [x1, y1, x2, y2] = rects[i];
            expect(x1 >= 0 && y1 >= 0 && x2 <= w && y2 <= h && x1 < x2 && y1 < y2).toBe(true);
          }
          if (!changed.size) expect(rects).toEqual([]);
          // A rectangle is the union of changed tiles' components: its area is bounded by them.
          const tilesTouched = new Set([...changed].map((k) => k.split(',').map((v) => Math.floor(Number(v) / tile)).join(',')));
          const area = rects.reduce((s, r) => s + (r[2] - r[0]) * (r[3] - r[1]), 0);
          expect(area).toBeGreaterThanOrEqual(changed.size ? 1 : 0);
          if (tilesTouched.size === 1) expect(area).toBeLessThanOrEqual(tile * tile);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('separates distant changes and merges touching ones', () => {
    const w = 200;
    const h = 100;
    const a = new Uint8Array(w * h * 3);
    const b = a.slice();
    const set = (x: number, y: number) => (b[(y * w + x) * 3 + 1] = 200);
    set(5, 5);
    set(20, 5); // tile (1,0): 8-connected to tile (0,0) with tile 16
    set(150, 80);
    const rects = changedRegions(a, b, w, h, 3, { tile: 16 });
    expect(rects.sort((p, q) => p[0] - q[0])).toEqual([
      [0, 0, 32, 16],
      [144, 80, 160, 96],
    ]);
    expect(changedRegions(a, b, w, h, 3, { tile: 16, threshold: 250 })).toEqual([]);
  });

  it('mergeRects unions chains of overlaps', () => {
    expect(mergeRects([[0, 0, 10, 10], [20, 0, 30, 10], [5, 5, 25, 8]])).toEqual([[0, 0, 30, 10]]);
  });
});
