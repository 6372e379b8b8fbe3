// Grounding hit rate of the embedded engine (real Chromium screenshots, real OCR, locate()).
// Ground truth comes from the DOM: every clickable element's box × DPR; a hit is locate's point
// inside that box. Descriptions: data-desc when the page gives one, else the element's text,
// with an ordinal ("the 2nd ...") when that text appears on several targets.
// Run: node --import tsx test/bench/grounding.ts
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { readingOrder } from '../../agents/embedded/ground/geometry.ts';
import { locate } from '../../agents/embedded/ground/locate.ts';
import { OcrEngine, ocrFrame } from '../../agents/embedded/ocr/ocr-engine.ts';
import { pointInBox, renderPage, type DomTarget } from '../agents/embedded/ground/render-page.ts';

const PAGES_DIR = path.join(import.meta.dirname, '../fixtures/grounding');

export const GROUNDING_PAGES: Array<{ name: string; file: string; viewport: [number, number]; dpr: number }> = [
  { name: 'small-text@1', file: 'small-text.html', viewport: [1280, 720], dpr: 1 },
  { name: 'small-text@2', file: 'small-text.html', viewport: [1280, 720], dpr: 2 },
  { name: 'dense-table@1', file: 'dense-table.html', viewport: [1280, 720], dpr: 1 },
  { name: 'dense-table@2', file: 'dense-table.html', viewport: [1280, 720], dpr: 2 },
  { name: 'dark@1', file: 'dark.html', viewport: [1280, 720], dpr: 1 },
  { name: 'dark@2', file: 'dark.html', viewport: [1280, 720], dpr: 2 },
  { name: 'chinese@1', file: 'chinese.html', viewport: [1280, 720], dpr: 1 },
  { name: 'chinese@3', file: 'chinese.html', viewport: [1280, 720], dpr: 3 },
  { name: 'form@1', file: 'form.html', viewport: [800, 600], dpr: 1 },
  { name: 'form@2', file: 'form.html', viewport: [800, 600], dpr: 2 },
  { name: 'phone@3', file: 'phone.html', viewport: [390, 844], dpr: 3 },
  { name: 'lookalikes@1', file: 'lookalikes.html', viewport: [1280, 720], dpr: 1 },
  { name: 'lookalikes@2', file: 'lookalikes.html', viewport: [1280, 720], dpr: 2 },
  { name: 'ultrawide@1', file: 'ultrawide.html', viewport: [3440, 1440], dpr: 1 },
];

/** Gives repeated texts an ordinal in reading order so every description names one element. */
export function describeTargets(targets: DomTarget[]): Array<DomTarget & { query: string }> {
  const plain = targets.filter((t) => t.desc === t.text);
  const ordered = readingOrder(plain, (t) => t.box);
  const count = new Map<string, number>();
  for (const t of plain) count.set(t.text, (count.get(t.text) ?? 0) + 1);
  const seen = new Map<string, number>();
  const query = new Map<DomTarget, string>();
  for (const t of ordered) {
    const n = (seen.get(t.text) ?? 0) + 1;
    seen.set(t.text, n);
    query.set(t, count.get(t.text)! > 1 ? `the ${ordinal(n)} "${t.text}"` : `"${t.text}"`);
  }
  return targets.map((t) => ({ ...t, query: query.get(t) ?? t.desc }));
}

function ordinal(n: number): string {
  return `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;
}

export interface PageScore {
  targets: number;
  hits: number;
  rate: number;
  ocrMs: number;
  locateMs: number;
  misses: string[];
}

export async function runGroundingBench(pages = GROUNDING_PAGES): Promise<Record<string, unknown>> {
  const browser = await launchChromium();
  const perPage: Record<string, PageScore> = {};
  let targets = 0;
  let hits = 0;
  try {
    await OcrEngine.shared().warmUp();
    for (const p of pages) {
      const html = readFileSync(path.join(PAGES_DIR, p.file), 'utf8');
      const page = await renderPage(browser, html, { viewport: { width: p.viewport[0], height: p.viewport[1] }, dpr: p.dpr });
      const t0 = performance.now();
      const ocr = await ocrFrame(page.frame);
      const ocrMs = performance.now() - t0;
      const score: PageScore = { targets: 0, hits: 0, rate: 0, ocrMs, locateMs: 0, misses: [] };
      for (const t of describeTargets(page.targets)) {
        const t1 = performance.now();
        const r = locate(ocr, t.query, { image: page.rgb });
        score.locateMs += performance.now() - t1;
        score.targets++;
        if (r.match && pointInBox(r.match.point, t.box)) score.hits++;
        else score.misses.push(`${t.query} -> ${r.match ? `${r.match.kind} "${r.match.text}" at ${r.match.point.map(Math.round).join(',')}` : r.message}`);
      }
      score.rate = score.hits / score.targets;
      score.locateMs /= score.targets;
      perPage[p.name] = score;
      targets += score.targets;
      hits += score.hits;
    }
  } finally {
    await browser.close();
    await OcrEngine.shared().close();
  }
  return { overall: { targets, hits, rate: hits / targets }, pages: perPage };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = (await runGroundingBench()) as { overall: { targets: number; hits: number; rate: number }; pages: Record<string, PageScore> };
  console.log('grounding hit rate (point inside the DOM box of the target)');
  console.log('page            targets  hits   rate   ocr ms  locate ms');
  for (const [name, s] of Object.entries(r.pages)) {
    console.log(`${name.padEnd(15)} ${String(s.targets).padStart(7)} ${String(s.hits).padStart(5)} ${(100 * s.rate).toFixed(1).padStart(5)}% ${s.ocrMs.toFixed(0).padStart(8)} ${s.locateMs.toFixed(2).padStart(10)}`);
  }
  const o = r.overall;
  console.log(`${'overall'.padEnd(15)} ${String(o.targets).padStart(7)} ${String(o.hits).padStart(5)} ${(100 * o.rate).toFixed(1).padStart(5)}%`);
  const misses = Object.entries(r.pages).flatMap(([name, s]) => s.misses.map((m) => `  ${name}: ${m}`));
  if (misses.length) console.log(`misses:\n${misses.join('\n')}`);
}
