import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFlat, openDesktopSession } from '../../../src/executors/desktop/desktop-session.ts';
import { OcrEngine, ocrFrame } from '../../../agents/embedded/ocr/ocr-engine.ts';
import { FIXTURES, PYTHON } from './desktop-support.ts';

// A Tk window mapped at once and painted only after a delay: what a slow toolkit start looks like.
const LATE_APP = path.join(FIXTURES, 'late_paint_app.py');

afterAll(async () => {
  await OcrEngine.shared().close();
});

describe('opening a desktop session on a window painted late', () => {
  it('hands the session over only once the window shows its content', async () => {
    const session = await openDesktopSession({ launch: [PYTHON, LATE_APP, 'Late paint', '1.5'], screen: [640, 480] }, { xvfb: true, windowTimeoutMs: 20_000 });
    try {
      expect(session.paint?.painted).toBe(true);
      // The mapped window stays one flat colour while the app sleeps (1.5 s): the wait spans that.
      expect(session.paint!.ms).toBeGreaterThan(500);
      const ocr = await ocrFrame(await session.executor.capture());
      expect(ocr.words.map((w) => w.text)).toEqual(expect.arrayContaining(['Painted', 'late']));
    } finally {
      await session.close();
    }
  }, 60_000);

  it('gives up waiting after paintTimeoutMs and still opens the session', async () => {
    const session = await openDesktopSession(
      { launch: [PYTHON, LATE_APP, 'Later paint', '30'], screen: [640, 480] },
      { xvfb: true, windowTimeoutMs: 20_000, paintTimeoutMs: 400 },
    );
    try {
      expect(session.paint).toEqual({ painted: false, ms: expect.any(Number) });
      expect(session.paint!.ms).toBeGreaterThanOrEqual(400);
    } finally {
      await session.close();
    }
  }, 60_000);
});

describe('isFlat', () => {
  // A 4x4 RGB thumbnail of an 8x8 area: left half one purple, right half a ramp in red only.
  const t = {
    width: 4,
    height: 4,
    data: Uint8Array.from({ length: 48 }, (_, i) => {
      const p = Math.floor(i / 3);
      const c = i % 3;
      if (p % 4 < 2) return [120, 0, 200][c];
      return c === 0 ? 40 * (p % 4) + 10 * (p >> 2) : 50;
    }),
  };
  const area = { x: 10, y: 10, width: 8, height: 8 };
  it('looks only at the window part of the thumbnail', () => {
    expect(isFlat(t, area, { x: 10, y: 10, width: 4, height: 8 })).toBe(true);
    expect(isFlat(t, area, { x: 14, y: 10, width: 4, height: 8 })).toBe(false);
    expect(isFlat(t, area, { x: 12, y: 10, width: 4, height: 8 })).toBe(false);
  });
  it('looks at the whole thumbnail when the window lies outside the area', () => {
    expect(isFlat(t, area, { x: 100, y: 100, width: 50, height: 50 })).toBe(false);
    expect(isFlat({ ...t, data: new Uint8Array(48).fill(200) }, area, { x: 100, y: 100, width: 5, height: 5 })).toBe(true);
  });
});
