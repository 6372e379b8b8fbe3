import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nutChord } from '../../../src/executors/desktop/desktop-keys.ts';
import { DisplayError, parseDisplay, probeDisplay } from '../../../src/executors/desktop/display.ts';
import { keysymName } from '../../../src/executors/desktop/keysym-typing.ts';
import { bgraThumbnail, bgraToRgb } from '../../../src/executors/desktop/pixels.ts';

describe('bgraToRgb', () => {
  it('matches an obvious per-pixel conversion, with row padding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 8 }), fc.integer(), (w, h, pad, seed) => {
        const stride = w * 4 + pad;
        const src = new Uint8Array(stride * h).map((_, i) => (i * 31 + seed) & 255);
        const want: number[] = [];
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
          const i = y * stride + x * 4;
          want.push(src[i + 2], src[i + 1], src[i]);
        }
        expect([...bgraToRgb(src, w, h, stride)]).toEqual(want);
      }),
    );
  });
  it('refuses a buffer too small for its size', () => {
    expect(() => bgraToRgb(new Uint8Array(10), 2, 2)).toThrow(/too small/);
  });
});

describe('nutChord', () => {
  it('maps our key names to nut.js keys, adding Shift for shifted characters', () => {
    expect(nutChord(['ctrl', 'shift', 't'])).toEqual(['LeftControl', 'LeftShift', 'T']);
    expect(nutChord(['Control+Enter'])).toEqual(['LeftControl', 'Return']);
    expect(nutChord(['!'])).toEqual(['LeftShift', 'Num1']);
    expect(nutChord(['A'])).toEqual(['LeftShift', 'A']);
    expect(nutChord(['cmd', '+'])).toEqual(['LeftSuper', 'LeftShift', 'Equal']);
    expect(nutChord(['pgdn'])).toEqual(['PageDown']);
    expect(nutChord([' '])).toEqual(['Space']);
    expect(nutChord(['f12'])).toEqual(['F12']);
  });
  it('names the key it does not know', () => {
    expect(() => nutChord(['hyperdrive'])).toThrow(/unknown key name "hyperdrive"/);
    expect(() => nutChord(['中'])).toThrow(/unknown key name/);
  });
});

describe('display names', () => {
  it('parses local displays and refuses remote ones', () => {
    expect(parseDisplay(':99')).toMatchObject({ number: 99, screen: 0 });
    expect(parseDisplay(':1.2')).toMatchObject({ number: 1, screen: 2 });
    expect(() => parseDisplay('host:0')).toThrow(DisplayError);
  });
  it('says how to get a display when there is none', () => {
    expect(() => probeDisplay(undefined)).toThrow(/--xvfb/);
    expect(() => probeDisplay(':4999')).toThrow(/:4999 is not running/);
  });
  it('names keysyms by code point', () => {
    expect(keysymName('中')).toBe('U4E2D');
    expect(keysymName('😀')).toBe('U1F600');
  });
});

describe('bgraThumbnail', () => {
  it('averages blocks of a BGRA image into RGB, matching a slow reference on small blocks', () => {
    const w = 8, h = 4, stride = w * 4 + 4;
    const src = new Uint8Array(stride * h).map((_, i) => (i * 53) & 255);
    const t = bgraThumbnail(src, w, h, stride, 4);
    expect([t.width, t.height, t.data.length]).toEqual([4, 2, 4 * 2 * 3]);
    for (let ty = 0; ty < 2; ty++) for (let tx = 0; tx < 4; tx++) {
      // Output channel c (R, G, B) is source byte 2 - c of each BGRA pixel.
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let y = ty * 2; y < ty * 2 + 2; y++) for (let x = tx * 2; x < tx * 2 + 2; x++) sum += src[y * stride + x * 4 + 2 - c];
        expect(t.data[(ty * 4 + tx) * 3 + c]).toBe(Math.round(sum / 4));
      }
    }
  });
});
