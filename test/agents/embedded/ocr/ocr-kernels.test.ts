import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { binarize, boxScore, componentBoxes, detectBoxes, joinLineFragments, LINE_FRAGMENT_GAP, unclipDistance } from '../../../../kernels/ocr/det-boxes.ts';
import { changeBand, detBands, detRegions, fillDetInput, rowEdgeCost } from '../../../../kernels/ocr/det-input.ts';
import { MARK_TILE, TEXT_TILE, textTiles, xyCut } from '../../../../kernels/ocr/det-tiles.ts';
import { hollowRectangle, loneGlyphBoxes, loneGlyphScratch } from '../../../../kernels/ocr/lone-glyphs.ts';
import { ctcAlphabet, ctcCollapse, ctcGreedyDecode } from '../../../../kernels/ocr/ctc.ts';
import { cropBackground, fillRecInput, planRecBatches, recBucketWidth, recGeometry, recSplits, REC_HEIGHT } from '../../../../kernels/ocr/rec-input.ts';
import { DEFAULT_LAYOUT_OPTIONS, layoutLine } from '../../../../kernels/ocr/line-layout.ts';

/** Slow obvious 8-connected labelling: BFS over [x, y] pairs with a Set of visited keys. */
function slowComponents(mask: number[][]): string[] {
  const h = mask.length;
  const w = mask[0].length;
  const seen = new Set<string>();
  const out: string[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[y][x] || seen.has(`${x},${y}`)) continue;
      const queue: Array<[number, number]> = [[x, y]];
      seen.add(`${x},${y}`);
      let [x1, y1, x2, y2] = [x, y, x, y];
      while (queue.length) {
        const [cx, cy] = queue.shift()!;
        x1 = Math.min(x1, cx);
        y1 = Math.min(y1, cy);
        x2 = Math.max(x2, cx);
        y2 = Math.max(y2, cy);
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = cx + dx;
            const ny = cy + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h || !mask[ny][nx] || seen.has(`${nx},${ny}`)) continue;
            seen.add(`${nx},${ny}`);
            queue.push([nx, ny]);
          }
        }
      }
      out.push(`${x1},${y1},${x2 + 1},${y2 + 1}`);
    }
  }
  return out.sort();
}

describe('detection post-processing', () => {
  it('binarize + componentBoxes match a slow flood fill on random maps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 24 }),
        fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 576, maxLength: 576 }),
        (w, h, values) => {
          const prob = Float32Array.from(values.slice(0, w * h));
          const mask = new Uint8Array(w * h);
          binarize(prob, w * h, 0.6, mask);
          const grid = Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => (prob[y * w + x] > 0.6 ? 1 : 0)));
          expect(Array.from(mask)).toEqual(grid.flat());
          const fast = componentBoxes(mask, w, h, new Int32Array(w * h))
            .map((b) => `${b.x1},${b.y1},${b.x2},${b.y2}`)
            .sort();
          expect(fast).toEqual(slowComponents(grid));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('scores a box by its mean probability and drops weak or thin ones', () => {
    const w = 20;
    const h = 10;
    const prob = new Float32Array(w * h);
    for (let y = 2; y < 6; y++) for (let x = 2; x < 12; x++) prob[y * w + x] = 0.9; // strong 10×4 kernel
    for (let y = 7; y < 9; y++) for (let x = 14; x < 19; x++) prob[y * w + x] = 0.95; // 5×2: thinner than minSize
    for (let y = 0; y < 4; y++) for (let x = 15; x < 19; x++) prob[y * w + x] = 0.35; // weak 4×4
    expect(boxScore(prob, w, 2, 2, 12, 6)).toBeCloseTo(0.9, 6);
    const boxes = detectBoxes(prob, w, h, { threshold: 0.3, boxThreshold: 0.6, minSize: 3 }, new Uint8Array(w * h), new Int32Array(w * h));
    expect(boxes).toHaveLength(1);
    expect(boxes[0]).toMatchObject({ x1: 2, y1: 2, x2: 12, y2: 6 });
    expect(boxes[0].score).toBeCloseTo(0.9, 6);
  });

  it('joins the pieces of one line and keeps neighbouring widgets, rows and sizes apart', () => {
    const box = (x1: number, y1: number, x2: number, y2: number, score = 0.8) => ({ x1, y1, x2, y2, score });
    // "Item" | "73": 8 px apart at height 10 (a word space), given in any order.
    const joined = joinLineFragments([box(52, 100, 70, 110, 0.9), box(0, 100, 44, 110, 0.8)]);
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ x1: 0, y1: 100, x2: 70, y2: 110 });
    expect(joined[0].score).toBeCloseTo((0.8 * 440 + 0.9 * 180) / 620, 9);
    // Chains join whole: three pieces of one line.
    expect(joinLineFragments([box(0, 0, 30, 10), box(36, 1, 60, 11), box(66, 0, 90, 10)])).toHaveLength(1);
    // Two buttons' labels 20 px apart, the next row, a smaller tag text and a half-row offset stay apart.
    expect(joinLineFragments([box(0, 0, 40, 10), box(60, 0, 100, 10)])).toHaveLength(2);
    expect(joinLineFragments([box(0, 0, 40, 10), box(42, 14, 80, 24)])).toHaveLength(2);
    expect(joinLineFragments([box(0, 0, 40, 14), box(45, 4, 80, 12)])).toHaveLength(2);
    expect(joinLineFragments([box(0, 0, 40, 10), box(44, 4, 80, 14)])).toHaveLength(2);
  });

  it('joins fragments like a slow pairwise fixpoint, on random rows of boxes', () => {
    type B = { x1: number; y1: number; x2: number; y2: number; score: number };
    const canJoin = (a: B, b: B) => {
      const low = Math.min(a.y2 - a.y1, b.y2 - b.y1);
      const overlap = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
      const gap = Math.max(a.x1, b.x1) - Math.min(a.x2, b.x2);
      return overlap >= 0.7 * low && Math.max(a.y2 - a.y1, b.y2 - b.y1) <= 1.3 * low && gap <= LINE_FRAGMENT_GAP * low;
    };
    const slow = (boxes: B[]) => {
      const out = boxes.map((b) => ({ ...b }));
      for (let found = true; found; ) {
        found = false;
        for (let i = 0; i < out.length && !found; i++) {
          for (let j = 0; j < out.length && !found; j++) {
            if (i === j || !canJoin(out[i], out[j])) continue;
            const [a, b] = [out[i], out[j]];
            out[i] = { x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1), x2: Math.max(a.x2, b.x2), y2: Math.max(a.y2, b.y2), score: 0 };
            out.splice(j, 1);
            found = true;
          }
        }
      }
      return out;
    };
    const key = (bs: B[]) => bs.map((b) => `${b.x1},${b.y1},${b.x2},${b.y2}`).sort();
    fc.assert(
      fc.property(
        // Rows 30 px apart, boxes 10 px tall (a row may shift by 1 px): joins cannot depend on order.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 3, max: 40 }), fc.integer({ min: 0, max: 1 })), { maxLength: 60 }),
        (specs) => {
          const boxes = specs.map(([row, x, w, dy]) => ({ x1: x, y1: row * 30 + dy, x2: x + w, y2: row * 30 + dy + 10, score: 0.8 }));
          expect(key(joinLineFragments(boxes))).toEqual(key(slow(boxes)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('unclips by area × ratio / perimeter', () => {
    expect(unclipDistance(100, 10, 1.5)).toBeCloseTo((1000 * 1.5) / 220, 9);
    expect(unclipDistance(0, 0, 1.5)).toBe(0);
  });
});

describe('detection input', () => {
  it('normalizes RGB with ImageNet mean/std into planar CHW, replicating edges beyond the image', () => {
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    for (const [w, h, x0, y0] of [
      [3, 2, 0, 0],
      [40, 50, 20, 30],
    ]) {
      const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37) % 256);
      const out = new Float32Array(3 * 32 * 32);
      fillDetInput(rgb, w, h, { x: x0, y: y0, width: 32, height: 32 }, 1, out);
      for (let c = 0; c < 3; c++) {
        for (let y = 0; y < 32; y++) {
          for (let x = 0; x < 32; x++) {
            const sx = Math.min(x0 + x, w - 1);
            const sy = Math.min(y0 + y, h - 1);
            const want = (rgb[(sy * w + sx) * 3 + c] / 255 - mean[c]) / std[c];
            expect(out[c * 1024 + y * 32 + x]).toBeCloseTo(want, 4);
          }
        }
      }
    }
  });

  it('marks glyph-like tiles but not flat fills or straight box borders', () => {
    const w = 64;
    const h = 32;
    const gray = new Uint8Array(w * h).fill(250);
    for (let y = 0; y < h; y++) gray[y * w + 5] = 0; // vertical border in tile 0
    for (let x = 16; x < 32; x++) gray[20 * w + x] = 0; // horizontal border in tile (1,1)
    for (let y = 2; y < 12; y++) for (const x of [36, 40, 44]) gray[y * w + x] = 0; // "strokes" in tile (2,0)
    const { grid, gw, gh } = textTiles(gray, w, h, 16, 20);
    expect([gw, gh]).toEqual([4, 2]);
    expect(Array.from(grid, (v) => v & TEXT_TILE)).toEqual([0, 0, TEXT_TILE, 0, 0, 0, 0, 0]);
    expect(grid[2] & MARK_TILE).toBe(MARK_TILE);
    // A straight border alone is not even a mark (tile 0: the vertical one, tile 4: below it).
    expect([grid[0], grid[4]]).toEqual([0, 0]);
  });

  it('skips flat row segments word by word with the same result as pixel by pixel', () => {
    // Flat fills, gradients one level per pixel (flat to the edge threshold, not byte-equal),
    // stroke patterns and noise; aligned (fast path) against a copy at an odd offset (none).
    let seed = 11;
    const rand = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (const [w, h] of [[320, 96], [256, 64]]) {
      const gray = new Uint8Array(w * h);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const zone = Math.floor(x / 64) % 4;
          gray[y * w + x] = zone === 0 ? 240 : zone === 1 ? (x + y) & 255 : zone === 2 ? (x % 5 < 2 && y % 16 > 3 ? 20 : 235) : rand() < 0.1 ? Math.floor(rand() * 256) : 200;
        }
      }
      const shifted = new Uint8Array(w * h + 1).subarray(1);
      shifted.set(gray);
      const fast = textTiles(gray, w, h, 16, 20);
      const slow = textTiles(shifted, w, h, 16, 20);
      expect(Array.from(fast.grid)).toEqual(Array.from(slow.grid));
      expect(fast.grid.some((v) => v & TEXT_TILE)).toBe(true);
    }
  });

  it('marks a lone glyph ("1", "+") as a mark, not as text for the detector', () => {
    const w = 64;
    const h = 16;
    const gray = new Uint8Array(w * h).fill(250);
    for (let y = 3; y < 14; y++) gray[y * w + 7] = gray[y * w + 8] = 20; // "1" in tile 0
    for (let i = 0; i < 9; i++) {
      gray[8 * w + 35 + i] = 20; // "+" in tile 2
      gray[(4 + i) * w + 39] = 20;
    }
    const { grid } = textTiles(gray, w, h, 16, 20);
    expect(Array.from(grid)).toEqual([MARK_TILE, 0, MARK_TILE, 0]);
    expect(xyCut(grid, 4, 1, 2)).toEqual([]);
  });

  it('finds separate content blocks and covers them with 32-aligned regions', () => {
    const w = 320;
    const h = 200;
    const gray = new Uint8Array(w * h).fill(240);
    const blocks = [
      [10, 10, 60, 30],
      [200, 150, 300, 170],
    ];
    for (const [x1, y1, x2, y2] of blocks) for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x += 2) gray[y * w + x] = 20;
    const { grid, gw, gh } = textTiles(gray, w, h, 16, 20);
    const leaves = xyCut(grid, gw, gh, 2);
    expect(leaves).toHaveLength(2);
    const regions = detRegions(leaves, 16, w, h, 1, 8);
    expect(regions).toHaveLength(2);
    for (const r of regions) {
      expect(r.width % 32).toBe(0);
      expect(r.height % 32).toBe(0);
    }
    for (const [x1, y1, x2, y2] of blocks) {
      expect(regions.some((r) => r.x <= x1 && r.y <= y1 && r.x + r.width >= x2 && r.y + r.height >= y2)).toBe(true);
    }
    expect(detRegions([], 16, w, h, 1, 8)).toEqual([]);
  });

  it('splits large regions into equal 32-aligned bands whose seams share out every row once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }).map((v) => v * 32),
        fc.integer({ min: 1, max: 80 }).map((v) => v * 32),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 50_000, max: 2_000_000 }),
        fc.integer({ min: 8, max: 96 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (width, height, y0, maxArea, overlap, salt) => {
          const region = { x: 16, y: y0, width, height };
          const cost = (row: number): number => Math.imul(row ^ salt, 0x9e3779b1) >>> 28;
          const bands = detBands([region], maxArea, overlap, cost);
          if (width * height <= maxArea || bands.length === 1) {
            // Small enough, or one band would be no smaller.
            expect(bands).toEqual([region]);
            return;
          }
          const h = bands[0].height;
          expect(h % 32).toBe(0);
          if (maxArea >= width * (Math.ceil((2 * overlap) / 32) * 32 + 64)) expect(h * width).toBeLessThanOrEqual(maxArea);
          expect(bands[0].y).toBe(y0);
          expect(bands[0].keepY1).toBe(y0);
          expect(bands.at(-1)!.y + h).toBe(y0 + height);
          expect(bands.at(-1)!.keepY2).toBe(y0 + height);
          for (const [i, b] of bands.entries()) {
            expect(b).toMatchObject({ x: region.x, width, height: h });
            if (i === 0) continue;
            const seam = b.keepY1!;
            expect(bands[i - 1].keepY2).toBe(seam);
            // The seam leaves at least overlap/2 rows of context in both bands.
            expect(seam - b.y).toBeGreaterThanOrEqual(overlap >> 1);
            expect(bands[i - 1].y + h - seam).toBeGreaterThanOrEqual(overlap >> 1);
            // ... and is the cheapest row of that window.
            for (let y = b.y + (overlap >> 1); y < bands[i - 1].y + h - (overlap >> 1); y++) expect(cost(y)).toBeGreaterThanOrEqual(cost(seam));
          }
        },
      ),
    );
  });

  it('puts band seams on rows between text lines', () => {
    // Text lines of 12 rows every 20 rows (8 blank rows between them), 1000 px wide.
    const w = 1000;
    const h = 1000;
    const gray = new Uint8Array(w * h).fill(240);
    const inLine = (y: number): boolean => y % 20 >= 4 && y % 20 < 16;
    for (let y = 0; y < h; y++) if (inLine(y)) for (let x = 10; x < w - 10; x += 3) gray[y * w + x] = 20;
    const region = { x: 0, y: 0, width: w, height: h };
    const bands = detBands([region], 1000 * 320, 64, (row, r) => rowEdgeCost(gray, w, h, 1, 20, row, r));
    expect(bands.length).toBeGreaterThan(2);
    for (const b of bands.slice(1)) {
      expect(inLine(b.keepY1!)).toBe(false);
      expect(rowEdgeCost(gray, w, h, 1, 20, b.keepY1!, region)).toBe(0);
    }
    // At detection scale 1/2, a detector row covers two image rows.
    expect(rowEdgeCost(gray, w, h, 0.5, 20, 2, { x: 0, y: 0, width: 500, height: 500 })).toBeGreaterThan(0);
    expect(rowEdgeCost(gray, w, h, 0.5, 20, 0, { x: 0, y: 0, width: 500, height: 500 })).toBe(0);
  });
});

describe('re-detecting the rows of a region that changed (changeBand)', () => {
  it('keeps the change between seams with context, on the region grid, within its keep range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 30 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 1 << 20 }),
        fc.boolean(),
        (rows32, y0, at, span, salt, banded) => {
          const region = { x: 0, y: y0 * 32, width: 1920, height: rows32 * 32 };
          const bottom = region.y + region.height;
          const keep = banded ? { keepY1: region.y + 40, keepY2: bottom - 40 } : { keepY1: region.y, keepY2: bottom };
          if (keep.keepY2 - keep.keepY1 < 8) return;
          const y1 = keep.keepY1 + (at % (keep.keepY2 - keep.keepY1));
          const y2 = Math.min(keep.keepY2, y1 + span);
          const cost = (row: number): number => Math.imul(row ^ salt, 0x9e3779b1) >>> 29;
          const r = banded ? { ...region, ...keep } : region;
          const b = changeBand(r, y1, y2, 64, cost);
          if (!b) {
            // Declined only when the rows it needs come to more than 60% of the region.
            expect(Math.min(region.height, y2 - y1 + 64)).toBeGreaterThan(0.6 * region.height - 64);
            return;
          }
          expect(b).toMatchObject({ x: 0, width: 1920 });
          expect(b.height % 32).toBe(0);
          expect((b.y - region.y) % 32).toBe(0);
          expect(b.y).toBeGreaterThanOrEqual(region.y);
          expect(b.y + b.height).toBeLessThanOrEqual(bottom);
          expect(b.height).toBeLessThanOrEqual(0.6 * region.height);
          // The change lies between the seams, which lie within the region's own keep range.
          expect(b.keepY1!).toBeLessThanOrEqual(y1);
          expect(b.keepY2!).toBeGreaterThanOrEqual(y2);
          expect(b.keepY1!).toBeGreaterThanOrEqual(keep.keepY1);
          expect(b.keepY2!).toBeLessThanOrEqual(keep.keepY2);
          // overlap/2 rows of context beyond each seam, where the region has them.
          if (b.y > region.y) expect(b.keepY1! - b.y).toBeGreaterThanOrEqual(32);
          if (b.y + b.height < bottom) expect(b.y + b.height - b.keepY2!).toBeGreaterThanOrEqual(32);
          // A seam that is not the region's own is the cheapest row within 32 of the change.
          if (b.keepY1 !== keep.keepY1) for (let y = y1 - 32; y <= y1; y++) expect(cost(y)).toBeGreaterThanOrEqual(cost(b.keepY1!));
          if (b.keepY2 !== keep.keepY2) for (let y = y2; y <= y2 + 32; y++) expect(cost(y)).toBeGreaterThanOrEqual(cost(b.keepY2!));
        },
      ),
    );
  });

  it('cuts between text lines', () => {
    const [w, h] = [800, 600];
    const gray = new Uint8Array(w * h).fill(255);
    const inLine = (y: number): boolean => y % 24 >= 4 && y % 24 < 18;
    for (let y = 0; y < h; y++) if (inLine(y)) for (let x = 10; x < w - 10; x += 3) gray[y * w + x] = 20;
    const region = { x: 0, y: 0, width: w, height: h };
    // A change in the line at rows 244..258.
    const b = changeBand(region, 244, 258, 64, (row, r) => rowEdgeCost(gray, w, h, 1, 20, row, r))!;
    expect(inLine(b.keepY1!)).toBe(false);
    expect(inLine(b.keepY2!)).toBe(false);
    expect(b.keepY1).toBeGreaterThanOrEqual(240 - 24);
    expect(b.keepY2).toBeLessThanOrEqual(264 + 24);
    // Most of the region changed: detected whole.
    expect(changeBand(region, 20, 500, 64, () => 0)).toBeUndefined();
  });
});

describe('CTC greedy decoding', () => {
  const alphabet = ctcAlphabet('a\nb\nc\n');
  it('reads the dictionary as blank + lines + space', () => {
    expect(alphabet).toEqual(['', 'a', 'b', 'c', ' ']);
  });

  it('collapses repeats, drops blanks, keeps repeated letters split by a blank, and records timesteps', () => {
    // argmax per step: a a _ a b _ _ space c c
    const seq = [1, 1, 0, 1, 2, 0, 0, 4, 3, 3];
    const C = alphabet.length;
    const probs = new Float32Array(2 * seq.length * C); // offset: second sequence of a batch
    const offset = seq.length * C;
    seq.forEach((cls, t) => {
      for (let c = 0; c < C; c++) probs[offset + t * C + c] = c === cls ? 0.8 - t * 0.01 : 0.05;
    });
    const chars = ctcGreedyDecode(probs, offset, seq.length, C);
    expect(chars.map((c) => alphabet[c.cls]).join('')).toBe('aab c');
    expect(chars.map((c) => [c.t0, c.t1])).toEqual([
      [0, 1],
      [3, 3],
      [4, 4],
      [7, 7],
      [8, 9],
    ]);
    expect(chars[0].prob).toBeCloseTo(0.8, 6);
    expect(ctcGreedyDecode(probs, offset, 0, C)).toEqual([]);
  });

  it('collapses per-timestep argmax arrays (what the model returns) as it decodes the probabilities they come from', () => {
    let seed = 3;
    const rand = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const C = 7;
    for (const steps of [0, 1, 5, 40]) {
      const batch = 3;
      const probs = Float32Array.from({ length: batch * steps * C }, () => (rand() < 0.5 ? rand() * 0.1 : rand()));
      const best = new Int32Array(batch * steps);
      const bestProb = new Float32Array(batch * steps);
      for (let i = 0; i < batch * steps; i++) {
        let b = 0;
        for (let c = 1; c < C; c++) if (probs[i * C + c] > probs[i * C + b]) b = c;
        best[i] = b;
        bestProb[i] = probs[i * C + b];
      }
      for (let k = 0; k < batch; k++) {
        const used = Math.max(0, steps - k);
        expect(ctcCollapse(best, bestProb, k * steps, used)).toEqual(ctcGreedyDecode(probs, k * steps * C, used, C));
      }
    }
  });
});

describe('recognition input', () => {
  it('cuts a wide crop at the middles of blank gaps, each piece within reach', () => {
    // A 400×20 white strip; ink blocks ("words") with gaps of 12 px at 100 and 200 and of 3 px at 300.
    const w = 400;
    const h = 20;
    const rgb = new Uint8Array(w * h * 3).fill(255);
    const ink = (x1: number, x2: number) => {
      for (let y = 5; y < 15; y++) for (let x = x1; x < x2; x++) rgb.fill(0, (y * w + x) * 3, (y * w + x) * 3 + 3);
    };
    ink(4, 94);
    ink(106, 194);
    ink(206, 298);
    ink(301, 396);
    const box = { x1: 0, y1: 0, x2: 400, y2: 20 };
    const cols = new Uint8Array(w);
    const white = [255, 255, 255] as const;
    // Pieces of at most 150 px: cut at 100 (the last gap within reach), then 200, then nothing
    // (the 3 px gap is narrower than a word space): the last piece stays 200 px.
    expect(recSplits(rgb, w, h, box, white, 150, 7, 60, cols)).toEqual([100, 200]);
    expect(recSplits(rgb, w, h, box, white, 250, 7, 60, cols)).toEqual([200]);
    expect(recSplits(rgb, w, h, box, white, 400, 7, 60, cols)).toEqual([]);
    expect(recSplits(rgb, w, h, box, white, 150, 2, 60, cols)).toEqual([100, 200, 299.5]);
    // Blank margins at the crop's ends are not gaps to cut at.
    expect(recSplits(rgb, w, h, { x1: 94, y1: 0, x2: 200, y2: 20 }, white, 50, 7, 60, cols)).toEqual([]);
  });

  it('scales crops to 48 rows (capped magnification), pads with background and zeros', () => {
    const w = 40;
    const h = 30;
    const rgb = new Uint8Array(w * h * 3).fill(255);
    for (let y = 10; y < 20; y++) for (let x = 5; x < 35; x++) rgb.fill(0, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const box = { x1: 0, y1: 8, x2: 40, y2: 22 }; // 14 rows: 48/14 > 2, so capped at 2
    const g = recGeometry(box, 2);
    expect(g).toEqual({ scale: 2, contentWidth: 80, contentHeight: 28, top: 10 });
    const bw = recBucketWidth(g.contentWidth);
    expect(bw).toBe(96);
    const pad = cropBackground(rgb, w, h, box, new Uint32Array(768));
    expect(pad).toEqual([255, 255, 255]);
    const out = new Float32Array(3 * REC_HEIGHT * bw);
    fillRecInput(rgb, w, h, box, g, pad, bw, out, 0);
    const at = (c: number, y: number, x: number): number => out[c * REC_HEIGHT * bw + y * bw + x];
    expect(at(0, 0, 40)).toBe(1); // background above the crop
    expect(at(1, 24, 40)).toBeCloseTo(-1, 5); // black text in the middle
    expect(at(2, 24, 90)).toBe(0); // right padding
    expect(recGeometry({ x1: 0, y1: 0, x2: 100, y2: 96 }, 2).scale).toBeCloseTo(0.5, 9);
  });

  it('batches only equal bucket widths, within the column budget', () => {
    const widths = [64, 32, 64, 128, 64, 32];
    const batches = planRecBatches(widths, 128);
    expect(batches.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const b of batches) {
      expect(new Set(b.map((i) => widths[i])).size).toBe(1);
      expect(b.length === 1 || b.length * widths[b[0]] <= 128).toBe(true);
    }
  });
});

describe('lone glyphs', () => {
  /** A white 200×60 image with: a "+" inside a bordered button, a "1", an empty checkbox, a long rule, and a word. */
  function scene() {
    const w = 200;
    const h = 60;
    const gray = new Uint8Array(w * h).fill(255);
    const dark = (x1: number, y1: number, x2: number, y2: number) => {
      for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) gray[y * w + x] = 30;
    };
    // Button border 10..40 × 10..40 (1 px), "+" of 9×9 at its centre.
    dark(10, 10, 40, 11);
    dark(10, 39, 40, 40);
    dark(10, 10, 11, 40);
    dark(39, 10, 40, 40);
    dark(21, 24, 30, 25);
    dark(25, 20, 26, 29);
    // "1": a stem with a flag and a base.
    dark(62, 18, 64, 30);
    dark(60, 19, 62, 21);
    dark(59, 29, 67, 30);
    // Empty checkbox 14×14.
    dark(90, 18, 104, 19);
    dark(90, 31, 104, 32);
    dark(90, 18, 91, 32);
    dark(103, 18, 104, 32);
    // A "word" (two glyphs) that OCR already read, and a rule across the bottom.
    dark(130, 18, 136, 30);
    dark(138, 18, 144, 30);
    dark(0, 55, 200, 56);
    return { gray, w, h };
  }

  it('finds glyph-sized marks, not borders, rules, empty boxes or words already read', () => {
    const { gray, w, h } = scene();
    const gw = Math.ceil(w / 16);
    const gh = Math.ceil(h / 16);
    const all = new Uint8Array(gw * gh).fill(1);
    const opts = { tile: 16, inkThreshold: 60, minHeight: 5, maxHeight: 40, maxBoxes: 10 };
    const boxes = loneGlyphBoxes(gray, w, h, all, gw, gh, [[130, 18, 144, 30]], opts, loneGlyphScratch());
    expect(boxes).toEqual([
      { x1: 59, y1: 18, x2: 67, y2: 30 },
      { x1: 21, y1: 20, x2: 30, y2: 29 },
    ].sort((a, b) => a.y1 - b.y1 || a.x1 - b.x1));
    // Without the word excluded, its two glyphs come back as one run.
    const withWord = loneGlyphBoxes(gray, w, h, all, gw, gh, [], opts, loneGlyphScratch());
    expect(withWord).toContainEqual({ x1: 130, y1: 18, x2: 144, y2: 30 });
    // Only candidate tiles are searched: none, nothing.
    expect(loneGlyphBoxes(gray, w, h, new Uint8Array(gw * gh), gw, gh, [], opts, loneGlyphScratch())).toEqual([]);
    expect(loneGlyphBoxes(gray, w, h, all, gw, gh, [], { ...opts, maxBoxes: 1 }, loneGlyphScratch())).toHaveLength(1);
  });

  it('tells an outlined square from a round glyph', () => {
    const { gray, w } = scene();
    expect(hollowRectangle(gray, w, { x1: 90, y1: 18, x2: 104, y2: 32 }, 255, 60)).toBe(true);
    const ring = new Uint8Array(20 * 20).fill(255);
    for (let a = 0; a < 360; a += 2) ring[Math.round(10 + 8 * Math.sin((a * Math.PI) / 180)) * 20 + Math.round(10 + 6 * Math.cos((a * Math.PI) / 180))] = 0;
    expect(hollowRectangle(ring, 20, { x1: 4, y1: 2, x2: 17, y2: 19 }, 255, 60)).toBe(false);
  });
});

describe('line layout', () => {
  /** Draws glyph-like blocks (w px wide) at given x positions on a white line. */
  function line(glyphs: Array<[number, number]>, width = 300, height = 30) {
    const gray = new Uint8Array(width * height).fill(255);
    for (const [x, gw] of glyphs) for (let y = 8; y < 22; y++) for (let i = x; i < x + gw; i++) gray[y * width + i] = 0;
    return gray;
  }
  const alphabet = ctcAlphabet('a\nb\n中\n');
  // One timestep per 4 px: char at x0 + (t + 0.5) * 4.
  const char = (cls: number, cx: number) => {
    const t = Math.round(cx / 4 - 0.5);
    return { cls, t0: t, t1: t, prob: 0.9 };
  };
  const geometry = { x1: 0, y1: 2, x2: 300, y2: 28, coreY1: 12, coreY2: 18, x0: 0, xPerStep: 4 };
  const scratch = { cols: new Uint8Array(300), hist: new Uint32Array(256) };

  it('splits at recognized spaces and at wide gaps into words, at very wide gaps into groups', () => {
    // "ab ab" with a small space, then (after a 40 px gap) "ab".
    const glyphs: Array<[number, number]> = [
      [10, 7],
      [19, 7],
      [34, 7],
      [43, 7],
      [90, 7],
      [99, 7],
    ];
    const gray = line(glyphs);
    const chars = [char(1, 13), char(2, 22), char(4, 30), char(1, 37), char(2, 46), char(1, 93), char(2, 102)];
    const words = layoutLine(gray, 300, 30, geometry, chars, alphabet, DEFAULT_LAYOUT_OPTIONS, scratch);
    expect(words.map((w) => w.text)).toEqual(['ab', 'ab', 'ab']);
    expect(words.map((w) => w.groupStart)).toEqual([true, false, true]);
    expect(words[0].box).toEqual([10, 8, 26, 22]);
    expect(words[2].box).toEqual([90, 8, 106, 22]);
  });

  it('keeps a CJK run together across its narrow gaps', () => {
    const gray = line([
      [10, 12],
      [25, 12],
      [40, 12],
    ]);
    const chars = [char(3, 16), char(3, 31), char(3, 46)];
    const words = layoutLine(gray, 300, 30, geometry, chars, alphabet, DEFAULT_LAYOUT_OPTIONS, scratch);
    expect(words.map((w) => w.text)).toEqual(['中中中']);
    expect(words[0].box).toEqual([10, 8, 52, 22]);
  });
});
