import { describe, expect, it } from 'vitest';
import { rgbToGray, type GrayImage } from '../../../../kernels/gray.ts';
import { downsample2, integrals, matchTemplate, nccMap, resizeGray } from '../../../../kernels/template-match.ts';
import { locateTemplateGray, TemplateError } from '../../../../agents/embedded/ground/template.ts';

/** Deterministic pseudo-random generator (mulberry32) so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UI-like image: flat panels with some random blocks (real screens are mostly flat). */
function synthetic(width: number, height: number, seed: number): GrayImage {
  const r = rng(seed);
  const data = new Uint8Array(width * height).fill(240);
  for (let k = 0; k < 60; k++) {
    const x = Math.floor(r() * width);
    const y = Math.floor(r() * height);
    const w = 2 + Math.floor(r() * 30);
    const h = 2 + Math.floor(r() * 12);
    const v = Math.floor(r() * 256);
    for (let yy = y; yy < Math.min(height, y + h); yy++) for (let xx = x; xx < Math.min(width, x + w); xx++) data[yy * width + xx] = v;
  }
  return { data, width, height };
}

function crop(img: GrayImage, x: number, y: number, w: number, h: number): GrayImage {
  const data = new Uint8Array(w * h);
  for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < w; xx++) data[yy * w + xx] = img.data[(y + yy) * img.width + x + xx];
  return { data, width: w, height: h };
}

/** The slow obvious NCC: means and deviations computed per window, no integral images. */
function bruteNcc(img: GrayImage, tpl: GrayImage, x: number, y: number): number {
  const n = tpl.width * tpl.height;
  let mi = 0;
  let mt = 0;
  for (let j = 0; j < tpl.height; j++)
    for (let i = 0; i < tpl.width; i++) {
      mi += img.data[(y + j) * img.width + x + i];
      mt += tpl.data[j * tpl.width + i];
    }
  mi /= n;
  mt /= n;
  let num = 0;
  let vi = 0;
  let vt = 0;
  for (let j = 0; j < tpl.height; j++)
    for (let i = 0; i < tpl.width; i++) {
      const a = img.data[(y + j) * img.width + x + i] - mi;
      const b = tpl.data[j * tpl.width + i] - mt;
      num += a * b;
      vi += a * a;
      vt += b * b;
    }
  return vi < 1e-6 * n || vt === 0 ? 0 : num / Math.sqrt(vi * vt);
}

describe('template-match kernel', () => {
  it('nccMap equals the brute-force NCC at every position', () => {
    const img = synthetic(70, 50, 1);
    const tpl = crop(synthetic(70, 50, 2), 10, 10, 9, 7);
    const map = nccMap(img, tpl);
    expect(map.width).toBe(62);
    expect(map.height).toBe(44);
    for (let y = 0; y < map.height; y++) for (let x = 0; x < map.width; x++) {
      expect(map.scores[y * map.width + x]).toBeCloseTo(bruteNcc(img, tpl, x, y), 4);
    }
  });

  it('integral images sum windows exactly', () => {
    const img = synthetic(31, 17, 3);
    const ii = integrals(img);
    let s = 0;
    for (let y = 4; y < 12; y++) for (let x = 5; x < 20; x++) s += img.data[y * 31 + x];
    const k = (x: number, y: number) => ii.sum[y * ii.stride + x];
    expect(k(20, 12) - k(5, 12) - k(20, 4) + k(5, 4)).toBe(s);
  });

  it('the pyramid search finds the brute-force best position of a planted template', () => {
    for (let seed = 10; seed < 16; seed++) {
      const img = synthetic(320, 200, seed);
      const r = rng(seed);
      const x = Math.floor(r() * 280);
      const y = Math.floor(r() * 170);
      const tpl = crop(img, x, y, 36, 28);
      const hit = matchTemplate(img, tpl)!;
      let best = { x: 0, y: 0, s: -2 };
      for (let yy = 0; yy <= 200 - 28; yy++) for (let xx = 0; xx <= 320 - 36; xx++) {
        const s = bruteNcc(img, tpl, xx, yy);
        if (s > best.s + 1e-9) best = { x: xx, y: yy, s };
      }
      expect(hit.score).toBeCloseTo(best.s, 4);
      expect(hit.score).toBeGreaterThan(0.999);
      expect(bruteNcc(img, tpl, hit.x, hit.y)).toBeCloseTo(best.s, 4);
    }
  });

  it('is invariant to brightness and contrast', () => {
    const img = synthetic(200, 120, 21);
    const tpl = crop(img, 50, 40, 24, 20);
    const dim = { ...tpl, data: tpl.data.map((v) => Math.round(v * 0.5 + 20)) };
    const hit = matchTemplate(img, dim)!;
    expect([hit.x, hit.y]).toEqual([50, 40]);
    expect(hit.score).toBeGreaterThan(0.99);
  });

  it('returns null for a template larger than the image or with no contrast', () => {
    const img = synthetic(40, 30, 4);
    expect(matchTemplate(img, synthetic(50, 10, 5))).toBeNull();
    expect(matchTemplate(img, { data: new Uint8Array(64).fill(9), width: 8, height: 8 })).toBeNull();
    expect(() => locateTemplateGray(img, { data: new Uint8Array(64).fill(9), width: 8, height: 8 })).toThrow(TemplateError);
  });

  it('downsample2, resizeGray and rgbToGray compute what they say', () => {
    const img: GrayImage = { data: Uint8Array.from([0, 4, 8, 12, 100, 104, 108, 112, 1, 1, 1, 1]), width: 4, height: 3 };
    expect(Array.from(downsample2(img).data)).toEqual([52, 60]);
    const same = resizeGray(img, 4, 3);
    expect(Array.from(same.data)).toEqual(Array.from(img.data));
    expect(Array.from(rgbToGray(Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 10, 10]), 4, 1).data)).toEqual([76, 149, 28, 10]);
  });

  it('finds a template captured at half the size of the screen (DPR 2)', () => {
    const img = synthetic(400, 260, 31);
    // An icon-like mark drawn at "DPR 2": a ring with a bar, 40x32 pixels.
    for (let y = 0; y < 32; y++) for (let x = 0; x < 40; x++) {
      const d = Math.hypot(x - 20, y - 16);
      img.data[(60 + y) * 400 + 100 + x] = (d > 9 && d < 14) || (y > 14 && y < 18 && x > 4) ? 30 : 235;
    }
    const big = resizeGray(crop(img, 100, 60, 40, 32), 20, 16);
    const hit = locateTemplateGray(img, big, { minScore: 0.8 })!;
    expect(hit.scale).toBe(2);
    expect(hit.box[0]).toBeGreaterThanOrEqual(98);
    expect(hit.box[0]).toBeLessThanOrEqual(102);
    expect(hit.box[1]).toBeGreaterThanOrEqual(58);
    expect(hit.box[1]).toBeLessThanOrEqual(62);
  });
});
