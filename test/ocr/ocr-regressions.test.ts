// Readings that once went wrong in the eval suite, on pages built like the suite's: each case
// renders in real Chromium and runs the real models at the detection scale the agent uses.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcrEngine } from '../../src/ocr/ocr-engine.ts';
import type { RgbImage } from '../../src/frame.ts';
import { PageRenderer } from './render-page.ts';

let renderer: PageRenderer;
let engine: OcrEngine;
beforeAll(async () => {
  renderer = await PageRenderer.start();
  engine = new OcrEngine();
});
afterAll(async () => {
  await engine?.close();
  await renderer?.close();
});

const STYLE = `<style>
  body { margin: 0; font: 18px/1.4 "DejaVu Sans", Arial, sans-serif; color: #111; background: #fff; }
  button { font: inherit; font-weight: bold; padding: 8px 20px; color: #fff; background: #1a56c4; border: 2px solid #1a56c4; border-radius: 4px; }
</style>`;

async function rgbOf(jpeg: Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** The page as the agent sees it: a JPEG screenshot (quality 80), decoded. */
async function agentView(html: string, viewport: { width: number; height: number }, dpr: number): Promise<RgbImage> {
  const page = await renderer.open(html, viewport, dpr);
  const jpeg = await page.screenshot({ type: 'jpeg', quality: 80 });
  await page.context().close();
  return rgbOf(jpeg);
}

describe('OCR of cases the eval suite caught', () => {
  it('reads big bold phone text whole at DPR 3 (the detector once split "Menu" into "Me" + "nu")', async () => {
    const html = `${STYLE}<header style="display: flex; justify-content: space-between; align-items: center; padding: 12px 16px; background: #1a56c4; color: #fff">
      <b>Fitness</b><button style="background: #fff; color: #1a56c4">Menu</button></header>
      <p style="padding: 16px">28 updates since yesterday.</p>`;
    const rgb = await agentView(html, { width: 390, height: 844 }, 3);
    const res = await engine.recognize(rgb, { detScale: 1 / 3 });
    expect(res.lines.map((l) => l.text)).toEqual(['Fitness', 'Menu', '28 updates since yesterday.']);
  }, 60_000);

  it('reads each "Item N" of a list as one line, not "Item" and "N" apart', async () => {
    const pads = [6, 13, 9, 14, 7, 11, 12, 8, 10, 6, 14, 9];
    const tags = ['new', 'sale', 'low stock', 'back soon', ''];
    const rows = pads
      .map((p, i) => `<div style="padding: ${p}px 12px; border-bottom: 1px solid #ddd">Item ${66 + i}<span style="color: #777; margin-left: 24px; font-size: 15px">${tags[i % 5]}</span></div>`)
      .join('');
    const rgb = await agentView(`${STYLE}<main style="padding: 20px 20px 20px 220px"><div>${rows}</div></main>`, { width: 1280, height: 720 }, 1);
    const res = await engine.recognize(rgb);
    const items = res.lines.map((l) => l.text).filter((t) => /^item|^\d+$/i.test(t));
    expect(items).toEqual(pads.map((_, i) => `Item ${66 + i}`));
  }, 60_000);

  it('reads a pager digit the detector boxed alone at DPR 2 as itself, in full and incremental passes alike', async () => {
    const html = readFileSync(new URL('../fixtures/ground/small-targets.html', import.meta.url), 'utf8');
    const page = await renderer.open(html, { width: 800, height: 600 }, 2);
    // PNG: the lossless screenshot is where the detector boxes the "2" alone and reads "N".
    const before = await rgbOf(await page.screenshot({ type: 'png' }));
    // A change beside the pager: the digits' own crops keep their pixels, the wider glyph crops may not.
    await page.evaluate(() => {
      const next = [...document.querySelectorAll('.pager a')].at(-1)!;
      next.textContent = 'Next page';
    });
    const after = await rgbOf(await page.screenshot({ type: 'png' }));
    await page.context().close();
    const first = await engine.recognize(before, { detScale: 0.5 });
    for (const d of ['1', '2', '3', '4']) expect(first.words.map((w) => w.text)).toContain(d);
    const full = await engine.recognize(after, { detScale: 0.5 });
    const incremental = await engine.recognizeIncremental({ image: before, result: first }, after, { detScale: 0.5 });
    expect(incremental.words).toEqual(full.words);
    expect(full.words.map((w) => w.text)).toEqual(expect.arrayContaining(['1', '2', '3', '4', 'page']));
  }, 60_000);

  it('still reads lone buttons under a table of single digits (re-checks have their own glyph budget)', async () => {
    const cells = Array.from({ length: 70 }, (_, i) => `<td>${(i * 7) % 10}</td>`);
    const rows = Array.from({ length: 7 }, (_, r) => `<tr>${cells.slice(r * 10, r * 10 + 10).join('')}</tr>`).join('');
    const html = `<style>td { padding: 4px 14px; font: 16px sans-serif }</style><table>${rows}</table><button>×</button> <button>+</button>`;
    for (const dpr of [1, 2]) {
      const page = await renderer.open(html, { width: 800, height: 600 }, dpr);
      const rgb = await rgbOf(await page.screenshot({ type: 'png' }));
      await page.context().close();
      const words = (await engine.recognize(rgb, { detScale: 1 / dpr })).words.map((w) => w.text);
      expect(words, `DPR ${dpr}`).toContain('+');
      expect(words.filter((w) => /^[x×✕X]$/.test(w)), `DPR ${dpr}`).toHaveLength(1);
      expect(words.filter((w) => /^[0-9oO]$/.test(w)).length, `DPR ${dpr}`).toBeGreaterThanOrEqual(68);
    }
  }, 60_000);
});
