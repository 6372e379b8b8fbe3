import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GLM_RESIZE, ImageGeometryError, QWEN25VL_RESIZE, UI_TARS_RESIZE, imageTokens, roundHalfEven, smartResize } from '../../kernels/smart-resize.ts';

describe('roundHalfEven', () => {
  it('rounds ties to the even neighbour like Python', () => {
    expect([0.5, 1.5, 2.5, 38.5, 39.5, -1.5, -2.5].map(roundHalfEven)).toEqual([0, 2, 2, 38, 40, -2, -2]);
    expect([2.4999, 2.5001, 7].map(roundHalfEven)).toEqual([2, 3, 7]);
  });
});

describe('smartResize, GLM settings (table of models.md)', () => {
  const table: [number, number, number, number, number][] = [
    [1280, 720, 1288, 728, 1196],
    [1920, 1080, 1932, 1092, 2691],
    [2560, 1440, 2548, 1428, 4641],
    [3840, 2160, 2912, 1624, 6032],
    [1080, 2400, 1092, 2408, 3354],
    [1078, 1078, 1064, 1064, 1444],
    [27, 27, 84, 84, 9],
  ];
  it.each(table)('%ix%i -> %ix%i, %i tokens', (w, h, w2, h2, tokens) => {
    const r = smartResize(w, h, GLM_RESIZE);
    expect(r).toEqual({ width: w2, height: h2 });
    expect(imageTokens(r)).toBe(tokens);
  });

  it('1078x1078 needs half-to-even: half-up rounding would give 1092', () => {
    // 1078 / 28 = 38.5 exactly; Math.round gives 39 * 28 = 1092.
    expect(Math.round(1078 / 28) * 28).toBe(1092);
    expect(smartResize(1078, 1078, GLM_RESIZE).width).toBe(1064);
  });

  it('the budget counts both temporal frames for GLM but one for Qwen-style settings', () => {
    const glm = smartResize(3840, 2160, GLM_RESIZE);
    expect(2 * glm.width * glm.height).toBeLessThanOrEqual(GLM_RESIZE.maxPixels);
    // Same image under UI-TARS settings fits its budget without the doubling: only snapping.
    expect(smartResize(3840, 2160, UI_TARS_RESIZE)).toEqual({ width: 3836, height: 2156 });
  });
});

describe('aspect-ratio rejection', () => {
  for (const [name, o] of [['GLM', GLM_RESIZE], ['UI-TARS', UI_TARS_RESIZE], ['Qwen2.5-VL', QWEN25VL_RESIZE]] as const) {
    it(`${name}: 200:1 passes, above is rejected with the ratio in the message`, () => {
      expect(() => smartResize(5600, 28, o)).not.toThrow();
      expect(() => smartResize(5629, 28, o)).toThrow(ImageGeometryError);
      expect(() => smartResize(28, 6000, o)).toThrow(/214\.3:1.*at most 200:1/);
    });
  }
  it('tiny images are scaled up before the ratio check', () => {
    // 5600x27 becomes 5807x28 (ratio 207): rejected.
    expect(() => smartResize(5600, 27, GLM_RESIZE)).toThrow(ImageGeometryError);
  });
  it('rejects non-positive and fractional sizes', () => {
    expect(() => smartResize(0, 10, GLM_RESIZE)).toThrow(/positive integers/);
    expect(() => smartResize(10.5, 10, GLM_RESIZE)).toThrow(/positive integers/);
  });
});

describe('smartResize properties', () => {
  const size = fc.integer({ min: 28, max: 8000 });
  for (const [name, o] of [['GLM', GLM_RESIZE], ['UI-TARS', UI_TARS_RESIZE], ['Qwen2.5-VL', QWEN25VL_RESIZE]] as const) {
    it(`${name}: output is a multiple of 28 inside the budget, and resizing it again changes nothing`, () => {
      fc.assert(
        fc.property(size, size, (w, h) => {
          // Near the 200:1 limit snapping can push the ratio over it (see the test below).
          fc.pre(Math.max(w, h) / Math.min(w, h) <= 100);
          const r = smartResize(w, h, o);
          expect(r.width % 28).toBe(0);
          expect(r.height % 28).toBe(0);
          expect(o.temporalFrames * r.width * r.height).toBeLessThanOrEqual(o.maxPixels);
          // The client sends this size so that the server does not resample again.
          expect(smartResize(r.width, r.height, o)).toEqual(r);
        }),
        { numRuns: 400 },
      );
    });
  }
});

describe('sizes near the ratio limit', () => {
  it('snapping can push an accepted ratio over the limit; the client refuses instead of sending a size the server would change', async () => {
    const { sentSize } = await import('../../agents/profile/sent-image.ts');
    // 8200x41 is 200:1, but 41 snaps to 28 and 8200 to 8204: 293:1.
    expect(() => smartResize(8200, 41, UI_TARS_RESIZE)).not.toThrow();
    expect(() => sentSize(8200, 41, UI_TARS_RESIZE)).toThrow(/server would resample|aspect ratio/);
    expect(sentSize(1920, 1080, UI_TARS_RESIZE)).toEqual({ width: 1932, height: 1092 });
  });
});
