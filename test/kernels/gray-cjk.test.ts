import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCjkLetter, isWideGlyph } from '../../kernels/cjk.ts';
import { lumaInto, rgbToGray } from '../../kernels/gray.ts';
import { defaultModelPaths } from '../../agents/embedded/ocr/ocr-models.ts';

describe('one gray for every kernel', () => {
  it('lumaInto equals the BT.601 fixed-point formula written out, for RGB and RGBA, and keeps black and white', () => {
    const n = 5000;
    const rgba = new Uint8Array(n * 4);
    for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 2654435761) >>> 24;
    const rgb = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) rgb.set(rgba.subarray(i * 4, i * 4 + 3), i * 3);
    const slow = Array.from({ length: n }, (_, i) => Math.floor((rgb[i * 3] * 0.30078125 + rgb[i * 3 + 1] * 0.5859375 + rgb[i * 3 + 2] * 0.11328125) + 1e-9));
    expect(Array.from(lumaInto(rgb, n, new Uint8Array(n)))).toEqual(slow);
    expect(Array.from(rgbToGray(rgba, n, 1, 4).data)).toEqual(slow);
    expect(Array.from(rgbToGray(Uint8Array.from([255, 255, 255, 0, 0, 0]), 2, 1).data)).toEqual([255, 0]);
  });
});

describe('one CJK definition', () => {
  it('letters are Han, kana and Hangul; wide glyphs add CJK punctuation, units and fullwidth forms', () => {
    for (const c of ['中', '𣇉', 'ひ', 'カ', '한']) expect(isCjkLetter(c), c).toBe(true);
    for (const c of ['a', '1', '，', '。', 'Ａ', '㎡', ' ']) expect(isCjkLetter(c), c).toBe(false);
    for (const c of ['中', '，', '。', '「', 'Ａ', '１', '㎡', '\u3000']) expect(isWideGlyph(c), c).toBe(true);
    for (const c of ['a', '1', ',', '.', '-', ' ', 'é']) expect(isWideGlyph(c), c).toBe(false);
  });

  it('every character of the OCR dictionary that the layout used to set wide still is', () => {
    const dict = readFileSync(defaultModelPaths().dictionary, 'utf8').split('\n').filter(Boolean);
    const blocks = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;
    const changed = dict.filter((c) => blocks.test(c) !== isWideGlyph(c));
    // Only the one astral Han character, which the old block ranges (no u flag) could not see.
    expect(changed).toEqual(['𣇉']);
  });
});
