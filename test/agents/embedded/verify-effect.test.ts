import { describe, expect, it } from 'vitest';
import { checkEffect, regionDiff, showsText, squash } from '../../../agents/embedded/verify-effect.ts';
import { fieldDescription } from '../../../agents/embedded/step-grounder.ts';
import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';

function image(w: number, h: number, fill = 255): RgbImage {
  return { data: new Uint8Array(w * h * 3).fill(fill), width: w, height: h };
}

function paint(img: RgbImage, [x1, y1, x2, y2]: PixelBox, v: number): RgbImage {
  const out = { ...img, data: img.data.slice() };
  for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) out.data.fill(v, (y * img.width + x) * 3, (y * img.width + x) * 3 + 3);
  return out;
}

function ocrWith(groups: { text: string; box: PixelBox }[], w = 100, h = 60): OcrResult {
  return {
    width: w,
    height: h,
    lines: [],
    words: groups.map((g) => ({ ...g, confidence: 1, line: 0 })),
    groups: groups.map((g, i) => ({ ...g, confidence: 1, line: 0, words: [i] })),
  };
}

/** Slow obvious reference: per-pixel mean of channel differences over the box. */
function slowMean(a: RgbImage, b: RgbImage, [x1, y1, x2, y2]: PixelBox): number {
  let s = 0;
  let n = 0;
  for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) for (let c = 0; c < 3; c++) (s += Math.abs(a.data[(y * a.width + x) * 3 + c] - b.data[(y * a.width + x) * 3 + c])), n++;
  return s / n;
}

describe('regionDiff', () => {
  it('agrees with a slow per-pixel reference and counts changed pixels', () => {
    const a = image(40, 30);
    let b = paint(a, [5, 5, 15, 10], 0);
    b = paint(b, [20, 12, 22, 14], 250);
    for (const box of [[0, 0, 40, 30], [4, 4, 16, 11], [18, 10, 30, 20]] as PixelBox[]) {
      expect(regionDiff(a, b, box).mean).toBeCloseTo(slowMean(a, b, box), 9);
    }
    expect(regionDiff(a, b, [5, 5, 15, 10]).changed).toBe(1);
    expect(regionDiff(a, b, [20, 12, 22, 14]).changed).toBe(0); // 5 levels a channel is not a change
    expect(regionDiff(a, image(41, 30), [0, 0, 10, 10])).toEqual({ mean: 255, changed: 1 });
  });
});

describe('showsText', () => {
  it('accepts the text, small OCR slips and the visible tail of a long value; refuses other text', () => {
    expect(showsText('Agustina|', 'Agustina')).toBe(true);
    expect(showsText('karrle', 'karrie')).toBe(true);
    expect(showsText('bob@example.corn', 'bob@example.com')).toBe(true);
    expect(showsText('ong text that scrolled', 'a very long text that scrolled')).toBe(true);
    expect(showsText('', 'alice')).toBe(false);
    expect(showsText('Username', 'alice')).toBe(false);
    expect(squash('Sign  in!')).toBe('signin');
  });
});

describe('checkEffect', () => {
  const field: PixelBox = [10, 10, 90, 40];
  const before = image(100, 60);
  it('calls a field that reads the same and barely changed a miss, even with a focus ring', () => {
    const ring = paint(paint(before, [9, 9, 91, 11], 30), [9, 39, 91, 41], 30);
    const r = checkEffect({ kind: 'field-shows', box: field, text: 'alice' }, before, ring, ocrWith([]), ocrWith([]));
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/still reads ""/);
  });
  it('passes a field that shows the typed text', () => {
    const after = paint(before, [14, 18, 40, 30], 0);
    const r = checkEffect({ kind: 'field-shows', box: field, text: 'alice' }, before, after, ocrWith([{ text: 'alice', box: [14, 18, 40, 30] }]), ocrWith([]));
    expect(r).toMatchObject({ ok: true });
  });
  it('does not retry a masked password whose dots OCR cannot read', () => {
    const after = paint(before, [14, 20, 60, 28], 0);
    const r = checkEffect({ kind: 'field-shows', box: field, text: 'hunter2' }, before, after, ocrWith([]), ocrWith([]));
    expect(r.ok).toBe(true);
    expect(r.detail).toMatch(/masked or unreadable/);
  });
  it('calls a click that changed no pixel anywhere a miss, and any change a hit', () => {
    const e = { kind: 'screen-changes' as const, box: field, label: '"Go"' };
    expect(checkEffect(e, before, image(100, 60), ocrWith([])).ok).toBe(false);
    expect(checkEffect(e, before, paint(before, [70, 50, 80, 55], 0), ocrWith([])).ok).toBe(true);
    expect(checkEffect(e, before, image(120, 60), ocrWith([])).ok).toBe(true);
  });
});

describe('fieldDescription', () => {
  it('names a field by its label unless the description already names a field', () => {
    expect(fieldDescription('Username')).toBe('the field labelled Username');
    expect(fieldDescription('"用户名"')).toBe('the field labelled "用户名"');
    expect(fieldDescription('the "Email" field')).toBe('the "Email" field');
    expect(fieldDescription('用户名输入框')).toBe('用户名输入框');
  });
});

describe('checkEffect: a click on an entry of a dropped list', () => {
  // A 200×120 screen: a list dropped over [20,30,120,100] with entries Letter (y 40–52) and Legal (y 60–72).
  const closed = paint(image(200, 120), [20, 10, 120, 26], 200); // the dropdown box alone
  const open = paint(paint(closed, [20, 30, 120, 100], 230), [24, 62, 60, 70], 0);
  const legal: PixelBox = [22, 60, 64, 72];
  const expectation = { kind: 'list-closes' as const, box: legal, label: '"Legal"', text: 'Legal' };
  const stillOpen = ocrWith([{ text: 'Letter', box: [22, 40, 66, 52] }, { text: 'Legal', box: legal }], 200, 120);

  it('a frame with the list still open and only the entry lit up is "not yet", not the effect', () => {
    const lit = paint(paint(open, [20, 58, 120, 74], 90), [24, 62, 60, 70], 255);
    const c = checkEffect(expectation, open, lit, stillOpen, stillOpen);
    expect(c).toMatchObject({ ok: false, wait: true });
    expect(c.detail).toMatch(/waiting for the list to close/);
  });

  it('the list gone is the effect; nothing changed at all is a miss to retry', () => {
    const shown = ocrWith([{ text: 'Legal', box: [24, 12, 60, 24] }], 200, 120);
    expect(checkEffect(expectation, open, paint(closed, [24, 12, 60, 24], 0), shown, stillOpen)).toMatchObject({ ok: true });
    const none = checkEffect(expectation, open, open, stillOpen, stillOpen);
    expect(none.ok).toBe(false);
    expect(none.wait).toBeUndefined();
  });

  it('a change beyond the entry\'s row (the list redrawn elsewhere) is not waited for', () => {
    const elsewhere = paint(paint(open, [20, 58, 120, 74], 90), [150, 90, 190, 110], 0);
    expect(checkEffect(expectation, open, elsewhere, stillOpen, stillOpen)).toMatchObject({ ok: true });
  });
});
