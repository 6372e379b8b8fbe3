/**
 * Renders the OCR bench pages (and the widgets fixture) in real Chromium and stores them as
 * PNGs in agents/embedded/ocr/screens/: the screens int8 quantization is calibrated on and
 * gated against (int8-models.ts), which must be there offline, on machines without a browser.
 * Rerun after changing a fixture page:
 *
 *   node --import tsx test/bench/ocr-screens.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PageRenderer, screenshotRgb } from '../agents/embedded/ocr/render-page.ts';
import { PAGES } from './ocr.ts';

const SCREENS = [...PAGES.map((p) => ({ html: p.html, viewport: p.viewport })), { html: 'widgets.html', viewport: { width: 1280, height: 720 } }];

const renderer = await PageRenderer.start();
try {
  for (const s of SCREENS) {
    const page = await renderer.open(readFileSync(new URL(`../fixtures/ocr/${s.html}`, import.meta.url), 'utf8'), s.viewport, 1);
    const { png } = await screenshotRgb(page);
    const out = fileURLToPath(new URL(`../../agents/embedded/ocr/screens/${s.html.replace(/\.html$/, '.png')}`, import.meta.url));
    writeFileSync(out, png);
    console.log(`${out}: ${s.viewport.width}x${s.viewport.height}, ${png.length} bytes`);
    await page.context().close();
  }
} finally {
  await renderer.close();
}
