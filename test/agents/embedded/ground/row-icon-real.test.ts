// An icon in a counted row ("the delete icon in the third row"), on a real rendering read by the
// real OCR and matched against the real icon lexicon: the row's own icon, not another row's.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateIcon } from '../../../../agents/embedded/ground/ground-icon.ts';
import { ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import type { OcrResult } from '../../../../kernels/ocr/types.ts';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { renderPage, type RenderedPage } from './render-page.ts';

const trash = '<svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="#475569" stroke-width="2" stroke-linecap="round"><path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6"/></svg>';
const rows = ['Hotel Adlon', 'Lufthansa', 'FREE NOW', 'Cafe Einstein', 'Deutsche Bahn']
  .map((name, i) => `<tr><td>${name}</td><td>€ ${(i + 1) * 37}.00</td><td><button data-desc="del-${i + 1}" style="border:0;background:none">${trash}</button></td></tr>`)
  .join('');
const html = `<!doctype html><html><head><style>body{font:14px "DejaVu Sans",sans-serif;margin:24px}td{padding:12px 24px;border-bottom:1px solid #e5e7eb}th{text-align:left;padding:8px 24px;font-size:11px;color:#6b7280}</style></head>
<body><table><tr><th>MERCHANT</th><th>AMOUNT</th><th></th></tr>${rows}</table></body></html>`;

let browser: Browser;
let page: RenderedPage;
let ocr: OcrResult;
const boxOf = (id: string) => page.targets.find((t) => t.desc === id)!.box;
const inside = ([x, y]: [number, number], [x1, y1, x2, y2]: number[]) => x >= x1 - 1 && x <= x2 + 1 && y >= y1 - 1 && y <= y2 + 1;

beforeAll(async () => {
  browser = await launchChromium();
  page = await renderPage(browser, html, { viewport: { width: 800, height: 400 } });
  ocr = await ocrFrame(page.frame);
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

describe('an icon in a counted row', () => {
  it.each([
    ['the delete icon in the third row', 'del-3'],
    ['the trash icon of the fifth expense', 'del-5'],
  ])('%s', async (description, id) => {
    const r = await locateIcon(description, { ocr, rgb: page.rgb, frame: page.frame });
    expect(r?.match, r?.message).toBeDefined();
    expect(inside(r!.match!.point, boxOf(id))).toBe(true);
  });

  it('refuses a row past the end of the list', async () => {
    const r = await locateIcon('the delete icon in the ninth row', { ocr, rgb: page.rgb, frame: page.frame });
    expect(r?.match).toBeUndefined();
    expect(r?.message).toMatch(/no row 9/);
  });
});
