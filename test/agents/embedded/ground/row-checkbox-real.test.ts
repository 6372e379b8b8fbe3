// A row's checkbox named by the row's thing ("ticket #48190", "the Lufthansa flight", "Emma
// Wilson's row"), on a real rendering read by the real OCR: the checkbox that starts the row,
// not an avatar or an icon tile nearer the name, nor a ring-shaped "0" in the sidebar level with it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locate } from '../../../../agents/embedded/ground/locate.ts';
import { ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import type { OcrResult } from '../../../../kernels/ocr/types.ts';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { renderPage, type RenderedPage } from './render-page.ts';

const html = readFileSync(path.join(import.meta.dirname, '../../../fixtures/ground/row-checkboxes.html'), 'utf8');
let browser: Browser;
let page: RenderedPage;
let ocr: OcrResult;
const boxOf = (id: string) => page.targets.find((t) => t.desc === id)!.box;
const inside = ([x, y]: [number, number], [x1, y1, x2, y2]: number[]) => x >= x1 - 1 && x <= x2 + 1 && y >= y1 - 1 && y <= y2 + 1;

beforeAll(async () => {
  browser = await launchChromium();
  page = await renderPage(browser, html, { viewport: { width: 1000, height: 420 } });
  ocr = await ocrFrame(page.frame);
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

describe('the checkbox of a row named by its thing', () => {
  it.each([
    ['the checkbox next to ticket #48190', 'chk-48190'],
    ['the checkbox next to the Lufthansa flight', 'chk-lh'],
    ["the checkbox in Emma Wilson's row", 'chk-emma'],
  ])('%s', (description, id) => {
    const r = locate(ocr, description, { image: page.rgb });
    expect(r.match, r.message).toBeDefined();
    expect(inside(r.match!.point, boxOf(id))).toBe(true);
  });
});
