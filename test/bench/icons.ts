/**
 * The icon lexicon's costs: how long it takes to build from the installed icon sets, its size
 * on disk, how long a process takes to load it from the cache, and the time to find and name
 * the icons of a 1920×1080 frame (findIcons + matchIcon, OCR already done; median of runs).
 *
 *   node --import tsx test/bench/icons.ts        (ICON_BENCH_RUNS=n, default 9)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { OcrEngine, ocrFrame } from '../../agents/embedded/ocr/ocr-engine.ts';
import { findIcons } from '../../agents/embedded/icons/find-icons.ts';
import { loadIconLexicon } from '../../agents/embedded/icons/icon-lexicon.ts';
import { matchIcon } from '../../agents/embedded/icons/match-icon.ts';
import { renderIconPage } from '../agents/embedded/icons/render-icons.ts';

const RUNS = Number(process.env.ICON_BENCH_RUNS ?? 9);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'handeye-icon-bench-'));
try {
  console.log(`icon lexicon bench on ${cpus()[0]?.model ?? 'unknown CPU'} (${availableParallelism()} cores)`);
  let t = performance.now();
  const built = await loadIconLexicon({ cacheDir: dir });
  const buildMs = performance.now() - t;
  t = performance.now();
  const lexicon = await loadIconLexicon({ cacheDir: dir });
  const loadMs = performance.now() - t;
  console.log(`  build: ${(buildMs / 1000).toFixed(1)} s for ${built.icons.length} icons, ${built.rows} renderings`);
  console.log(`  cache: ${(built.source.bytes! / 1e6).toFixed(2)} MB on disk; load from cache ${loadMs.toFixed(0)} ms (cached: ${lexicon.source.cached})`);

  // A 1920×1080 screen: the icon board among a page of text (a dense dashboard).
  const filler = Array.from({ length: 26 }, (_, i) => `<p>Row ${i + 1}: invoice INV-${2040 + i} for Acme Corp, due ${1 + (i % 28)} March, status ${['paid', 'open', 'overdue'][i % 3]}, owner Dana Smith, amount $${(1234.5 * (i + 1)).toFixed(2)}</p>`).join('');
  const html = readFileSync(join(import.meta.dirname, '../fixtures/icons/icon-board.html'), 'utf8')
    .replace('__THEME__', 'light')
    .replace('<script>', `<div style="columns:3;font-size:13px">${filler}${filler}</div><script>`);
  const browser = await launchChromium();
  const page = await renderIconPage(browser, html, { width: 1920, height: 1080 }, 1);
  await browser.close();
  const ocr = await ocrFrame(page.frame);
  await OcrEngine.shared().close();
  const times: number[] = [];
  let count = 0;
  let found = 0;
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    const candidates = findIcons(page.rgb, ocr, lexicon);
    found = ['gear', 'trash', 'bell', 'kebab', 'download'].filter((q) => matchIcon(q, candidates, lexicon).match).length;
    times.push(performance.now() - t);
    count = candidates.length;
  }
  console.log(`  1920x1080 frame (${ocr.words.length} OCR words): ${count} icon candidates, findIcons + 5 matchIcon ${median(times).toFixed(0)} ms median (min ${Math.min(...times).toFixed(0)}), ${found}/5 named icons found`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
