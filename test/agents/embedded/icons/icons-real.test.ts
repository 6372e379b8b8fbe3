// Icons on real screens: my own drawings (test/fixtures/icons/icon-board.html) in four themes,
// rendered by headless Chromium at DPR 1 and 2 and read by the real OCR engine; findIcons and
// matchIcon must click inside the right icon or not at all, and refuse icons that are absent.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { OcrEngine, ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { findIcons } from '../../../../agents/embedded/icons/find-icons.ts';
import { sharedIconLexicon, type IconLexicon } from '../../../../agents/embedded/icons/icon-lexicon.ts';
import { matchIcon } from '../../../../agents/embedded/icons/match-icon.ts';
import { inBox, renderIconPage } from './render-icons.ts';

const HTML = readFileSync(path.join(import.meta.dirname, '../../../fixtures/icons/icon-board.html'), 'utf8');
const ABSENT = ['camera', 'printer', 'lock', 'calendar', 'mail', 'microphone'];

let browser: Browser;
let lexicon: IconLexicon;
beforeAll(async () => {
  // The full lexicon from the user cache (built here on a fresh machine, ~15 s).
  [browser, lexicon] = await Promise.all([launchChromium(), sharedIconLexicon()]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await OcrEngine.shared().close();
});

const tally = { found: 0, wrong: [] as string[], missed: [] as string[], phantom: [] as string[] };

describe.each(['light', 'dark', 'mixed', 'thin'])('icons in the %s theme', (theme) => {
  it.each([1, 2])('at DPR %i: clicks the named icon or nothing, and refuses absent icons', async (dpr) => {
    const page = await renderIconPage(browser, HTML.replace('__THEME__', theme), { width: 1100, height: 600 }, dpr);
    const ocr = await ocrFrame(page.frame);
    const candidates = findIcons(page.rgb, ocr, lexicon, { scale: dpr });
    expect(page.targets).toHaveLength(16);
    for (const t of page.targets) {
      const r = matchIcon(t.name, candidates, lexicon);
      const where = `${theme}@${dpr} ${t.name}`;
      if (!r.match) tally.missed.push(`${where}: ${r.message}`);
      else if (inBox(r.match.point, t.box)) tally.found++;
      else tally.wrong.push(`${where}: ${r.match.icon} at ${r.match.box}`);
    }
    for (const q of ABSENT) {
      const r = matchIcon(q, candidates, lexicon);
      if (r.match) tally.phantom.push(`${theme}@${dpr} ${q}: ${r.match.icon} ${r.match.score} at ${r.match.box}`);
      else expect(r.message).toBeTruthy();
    }
    // Precision first: never a click on the wrong icon.
    expect(tally.wrong).toEqual([]);
  });
});

describe('over all themes', () => {
  it('finds at least 85% of the icons and almost never one that is not there', () => {
    const total = tally.found + tally.wrong.length + tally.missed.length;
    expect(total).toBe(128);
    const rate = tally.found / total;
    console.log(`icons found ${tally.found}/${total} (${(rate * 100).toFixed(1)}%), wrong ${tally.wrong.length}, absent-but-answered ${tally.phantom.length}/${8 * ABSENT.length}`);
    for (const m of [...tally.missed, ...tally.phantom]) console.log('  ' + m);
    expect(rate).toBeGreaterThanOrEqual(0.85);
    expect(tally.phantom.length).toBeLessThanOrEqual(2);
  });
});
