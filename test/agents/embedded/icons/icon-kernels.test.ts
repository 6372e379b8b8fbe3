// The icon kernels against slow, obvious implementations, and the descriptor's invariances.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blobScratch, components, edgeMask, mergeParts, type BlobBox } from '../../../../kernels/icon-blobs.ts';
import { centre, DESC_LEN, describeGrid, dotRow, iconScratch, inkFromRgb, inkToGrid, topDot } from '../../../../kernels/icon-descriptor.ts';

const randomTable = (rows: number, seed: number): Float32Array => {
  let x = seed;
  return new Float32Array(rows * DESC_LEN).map(() => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5);
};

describe('descriptor search', () => {
  it('topDot returns the same rows and scores as sorting every dot product', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 20 }), fc.integer(), (rows, k, seed) => {
        const table = randomTable(rows, seed);
        const q = randomTable(1, seed + 1);
        const all = Array.from({ length: rows }, (_, r) => {
          let s = 0;
          for (let i = 0; i < DESC_LEN; i++) s += q[i] * table[r * DESC_LEN + i];
          return { r, s };
        }).sort((a, b) => b.s - a.s);
        const idx = new Int32Array(k);
        const sc = new Float32Array(k);
        const n = topDot(q, table, rows, k, idx, sc);
        expect(n).toBe(Math.min(k, rows));
        for (let j = 0; j < n; j++) {
          expect(sc[j]).toBeCloseTo(all[j].s, 4);
          expect(dotRow(q, table, idx[j])).toBeCloseTo(all[j].s, 4);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('centre gives unit vectors orthogonal to nothing in particular: the mean drops out', () => {
    const v = randomTable(1, 7);
    const mean = randomTable(1, 8);
    const w = new Float32Array(v);
    centre(w, mean);
    let ss = 0;
    for (let i = 0; i < DESC_LEN; i++) ss += w[i] * w[i];
    expect(ss).toBeCloseTo(1, 5);
    const ratio = (v[3] - mean[3]) / w[3];
    for (let i = 0; i < DESC_LEN; i++) expect((v[i] - mean[i]) / ratio).toBeCloseTo(w[i], 4);
  });
});

/** An RGB image with a ring (an "o" icon) of colour fg on bg, ring width `stroke`, radius r, at (cx, cy). */
function ringImage(w: number, h: number, cx: number, cy: number, r: number, stroke: number, fg: number[], bg: number[]): Uint8Array {
  const img = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      const a = Math.max(0, Math.min(1, stroke / 2 + 0.5 - Math.abs(d - r)));
      for (let c = 0; c < 3; c++) img[(y * w + x) * 3 + c] = Math.round(bg[c] * (1 - a) + fg[c] * a);
    }
  }
  return img;
}

function describeRgb(img: Uint8Array, w: number, h: number): Float32Array {
  const s = iconScratch();
  inkFromRgb(img, w, 0, 0, w, h, s);
  expect(inkToGrid(s.ink, w, h, s.grid)).toBe(true);
  const d = new Float32Array(DESC_LEN);
  describeGrid(s.grid, d);
  return d;
}

const cos = (a: Float32Array, b: Float32Array): number => {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) (ab += a[i] * b[i]), (aa += a[i] * a[i]), (bb += b[i] * b[i]);
  return ab / Math.sqrt(aa * bb);
};

describe('descriptor invariance', () => {
  it('is the same for dark-on-light and light-on-dark, any colour', () => {
    const a = describeRgb(ringImage(24, 24, 12, 12, 8, 2, [20, 20, 20], [255, 255, 255]), 24, 24);
    const b = describeRgb(ringImage(24, 24, 12, 12, 8, 2, [235, 235, 235], [30, 31, 34]), 24, 24);
    const c = describeRgb(ringImage(24, 24, 12, 12, 8, 2, [255, 255, 255], [37, 99, 235]), 24, 24);
    for (let i = 0; i < DESC_LEN; i++) expect(b[i]).toBeCloseTo(a[i], 1);
    expect(cos(a, c)).toBeGreaterThan(0.99);
  });

  it('barely changes with scale and stroke weight', () => {
    const small = describeRgb(ringImage(18, 18, 9, 9, 6, 1.5, [0, 0, 0], [255, 255, 255]), 18, 18);
    const large = describeRgb(ringImage(40, 40, 20, 20, 15, 3, [0, 0, 0], [255, 255, 255]), 40, 40);
    expect(cos(small, large)).toBeGreaterThan(0.95);
  });
});

describe('blobs', () => {
  it('components agree with a flood fill', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 400, maxLength: 400 }), (bits) => {
        const w = 20, h = 20;
        const mask = Uint8Array.from(bits, (b) => (b ? 1 : 0));
        const got = components(mask, w, h, blobScratch(w * h)).map((c) => `${c.box}/${c.pixels}`).sort();
        const seen = new Uint8Array(w * h);
        const want: string[] = [];
        for (let i = 0; i < w * h; i++) {
          if (!mask[i] || seen[i]) continue;
          const stack = [i];
          seen[i] = 1;
          const box: BlobBox = [w, h, 0, 0];
          let n = 0;
          while (stack.length) {
            const p = stack.pop()!;
            const x = p % w, y = (p - x) / w;
            n++;
            box[0] = Math.min(box[0], x); box[1] = Math.min(box[1], y); box[2] = Math.max(box[2], x + 1); box[3] = Math.max(box[3], y + 1);
            for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
              const xx = x + dx, yy = y + dy, q = yy * w + xx;
              if (xx >= 0 && yy >= 0 && xx < w && yy < h && mask[q] && !seen[q]) (seen[q] = 1), stack.push(q);
            }
          }
          want.push(`${box}/${n}`);
        }
        expect(got).toEqual(want.sort());
      }),
      { numRuns: 80 },
    );
  });

  it('marks colour steps in either direction and merges the dots of a kebab, not two icons apart', () => {
    const w = 8, h = 1;
    const rgb = new Uint8Array(w * h * 3).fill(255);
    rgb.set([200, 255, 255], 3 * 3);
    const mask = new Uint8Array(w);
    edgeMask(rgb, w, h, 40, mask);
    expect([...mask]).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const dots: BlobBox[] = [[10, 10, 14, 14], [10, 17, 14, 21], [10, 24, 14, 28]];
    const icons: BlobBox[] = [[40, 10, 60, 30], [72, 10, 92, 30]];
    const merged = mergeParts([...dots, ...icons], { minSide: 10, maxSide: 48, minGap: 3 });
    expect(merged).toContainEqual({ box: [10, 10, 14, 28], parts: 3 });
    expect(merged.map((m) => m.box)).toEqual(expect.arrayContaining([icons[0], icons[1]]));
    expect(merged.find((m) => m.box[0] === 40 && m.box[2] === 92)).toBeUndefined();
  });

  it('keeps a minus sign a little shorter than the smallest icon, but not a dot or a short square of that size', () => {
    const minus: BlobBox = [200, 20, 208, 22]; // 8 × 2: a stepper's "−"
    const square: BlobBox = [300, 20, 308, 28]; // 8 × 8: below the smallest icon
    const stub: BlobBox = [400, 20, 405, 21]; // 5 × 1: too short even for a minus
    const merged = mergeParts([minus, square, stub], { minSide: 10, maxSide: 48, minGap: 3 }).map((m) => m.box);
    expect(merged).toContainEqual(minus);
    expect(merged).not.toContainEqual(square);
    expect(merged).not.toContainEqual(stub);
  });
});
