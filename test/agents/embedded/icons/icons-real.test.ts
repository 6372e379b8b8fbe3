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
import { locateIcon } from '../../../../agents/embedded/ground/ground-icon.ts';
import { inBox, renderIconPage } from './render-icons.ts';

const HTML = readFileSync(path.join(import.meta.dirname, '../../../fixtures/icons/icon-board.html'), 'utf8');
/** An icon of the npm sets, drawn at `size` px. */
const iconSvg = (set: 'bootstrap-icons' | 'lucide-static', name: string, size: number): string =>
  readFileSync(path.join(import.meta.dirname, `../../../../node_modules/${set}/icons/${name}.svg`), 'utf8').replace(/<svg /, `<svg width="${size}" height="${size}" `);
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

describe('two drawings of one icon', () => {
  it('are a tie even when one matches the lexicon better: no answer, both named', async () => {
    // Lucide's bell (~1.0 against the lexicon) and a bell drawn here (~0.87).
    const lucide = readFileSync(path.join(import.meta.dirname, '../../../../node_modules/lucide-static/icons/bell.svg'), 'utf8').replace(/<svg /, '<svg width="24" height="24" ');
    const own =
      '<svg width="24" height="24" viewBox="0 0 24 24"><path d="M5 18h14l-2.5-3.5V10a4.5 4.5 0 0 0-9 0v4.5z M10 20.5a2 2 0 0 0 4 0" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>';
    const html = `<body style="margin:0;background:#fff;color:#333"><div style="position:absolute;left:60px;top:60px">${lucide}</div><div style="position:absolute;left:400px;top:220px">${own}</div></body>`;
    const page = await renderIconPage(browser, html, { width: 600, height: 320 }, 1);
    const ocr = await ocrFrame(page.frame);
    const r = matchIcon('bell', findIcons(page.rgb, ocr, lexicon, { scale: 1 }), lexicon);
    expect(r.match).toBeUndefined();
    expect(r.reason).toBe('ambiguous');
    expect(r.message).toMatch(/matches more than one icon about equally/);
  });
});

describe('a shape that looks most like another icon', () => {
  it('yields to the one that looks most like the named icon: numbered and bulleted lists side by side', async () => {
    const svg = (name: string) => iconSvg('bootstrap-icons', name, 18);
    const at = (x: number, name: string) => `<div style="position:absolute;left:${x}px;top:40px">${svg(name)}</div>`;
    // As an editor draws them: a toolbar row, a little apart.
    const html = `<body style="margin:0;background:#fff;color:#222">${at(60, "list-stars")}${at(120, "list-ol")}${at(180, "list-ul")}</body>`;
    const page = await renderIconPage(browser, html, { width: 400, height: 120 }, 1);
    const candidates = findIcons(page.rgb, await ocrFrame(page.frame), lexicon, { scale: 1 });
    const numbered = matchIcon('numbered list', candidates, lexicon);
    expect(numbered.match, numbered.message).toBeDefined();
    expect(numbered.match!.box[0]).toBeGreaterThanOrEqual(116);
    expect(numbered.match!.box[2]).toBeLessThanOrEqual(142);
  });
});

describe('an icon placed by the search bar', () => {
  it('finds "the filter icon next to the search bar" by the search field, not by a text saying so', async () => {
    const svg = (name: string) => iconSvg('lucide-static', name, 22);
    const html = `<body style="margin:0;background:#fff;color:#222;font:15px sans-serif">
      <div style="position:absolute;left:30px;top:30px;display:flex;gap:10px;align-items:center">
        <input placeholder="Search products" style="width:260px;height:34px;border:1px solid #bbb;border-radius:8px;padding:0 10px;font:15px sans-serif">
        <span id="near">${svg('funnel')}</span></div>
      <div style="position:absolute;left:520px;top:260px">${svg('funnel')}</div></body>`;
    const page = await renderIconPage(browser, html, { width: 700, height: 320 }, 1);
    const ocr = await ocrFrame(page.frame);
    const r = await locateIcon('filter icon next to the search bar', { ocr, rgb: page.rgb, frame: page.frame });
    expect(r?.match, r?.message).toBeDefined();
    expect(r!.match!.point[0]).toBeLessThan(400);
    expect(r!.match!.point[1]).toBeLessThan(80);
  });
});

describe('an icon placed by another icon', () => {
  it('finds "the new folder icon next to the upload button" by the upload icon, and not the other folder-plus', async () => {
    const svg = (name: string) => iconSvg('lucide-static', name, 20);
    const at = (x: number, y: number, name: string) => `<div style="position:absolute;left:${x}px;top:${y}px">${svg(name)}</div>`;
    // A file manager's toolbar (upload, new folder) and, far below, another folder-plus.
    const html = `<body style="margin:0;background:#fff;color:#333">${at(30, 30, 'upload')}${at(66, 30, 'folder-plus')}${at(130, 30, 'trash-2')}${at(560, 260, 'folder-plus')}</body>`;
    const page = await renderIconPage(browser, html, { width: 700, height: 320 }, 1);
    const ocr = await ocrFrame(page.frame);
    const r = await locateIcon('the new folder icon next to the upload button', { ocr, rgb: page.rgb, frame: page.frame });
    expect(r?.match, r?.message).toBeDefined();
    expect(r!.match!.point[0]).toBeGreaterThan(62);
    expect(r!.match!.point[0]).toBeLessThan(90);
    expect(r!.match!.point[1]).toBeLessThan(55);
  });
});

describe('an icon named by its look', () => {
    const svg = (name: string) => iconSvg('lucide-static', name, 20);
  const at = (x: number, y: number, inner: string) => `<div style="position:absolute;left:${x}px;top:${y}px;display:flex;gap:10px;align-items:center">${inner}</div>`;
  const render = (body: string) => renderIconPage(browser, `<body style="margin:0;background:#fff;color:#333;font:15px sans-serif">${body}</body>`, { width: 700, height: 320 }, 1);

  it('is the lone icon button, not the same icon beside its menu entry\'s label', async () => {
    const page = await render(`${at(30, 150, `${svg('bell')}<span>Notifications</span>`)}${at(620, 20, svg('bell'))}`);
    const r = await locateIcon('notification bell', { ocr: await ocrFrame(page.frame), rgb: page.rgb, frame: page.frame });
    expect(r?.match, r?.message).toBeDefined();
    expect(r!.match!.point[0]).toBeGreaterThan(600);
  });

  it('is no answer when two lone icons look alike', async () => {
    const page = await render(`${at(30, 150, `${svg('bell')}<span>Notifications</span>`)}${at(620, 20, svg('bell'))}${at(560, 20, svg('bell'))}`);
    const r = await locateIcon('notification bell', { ocr: await ocrFrame(page.frame), rgb: page.rgb, frame: page.frame });
    expect(r?.match).toBeUndefined();
    expect(r?.message).toMatch(/more than one icon about equally/);
  });
});

describe('kebab menus', () => {
  it('finds "the three dots next to Hannah Kim" on her row\'s far end, and no kebab where there is none', async () => {
    const kebab = (id: string) => `<span id="${id}" style="display:inline-flex;flex-direction:column;gap:1px;padding:8px">${'<i style="width:4px;height:4px;border-radius:2px;background:#6b7280"></i>'.repeat(3)}</span>`;
    const row = (name: string, y: number) => `<div style="position:absolute;left:30px;top:${y}px;width:900px;display:flex;align-items:center;border-bottom:1px solid #eee;height:44px"><span style="width:300px">${name}</span><span style="width:450px">Member</span><span style="color:#d33;margin-right:24px">Remove</span>${kebab(name.replace(/\W/g, ''))}</div>`;
    const page = await renderIconPage(browser, `<body style="margin:0;background:#fff;color:#222;font:14px sans-serif">${row('Ada Park', 20)}${row('Hannah Kim', 70)}${row('Leo Varga', 120)}</body>`, { width: 1000, height: 200 }, 1);
    const ocr = await ocrFrame(page.frame);
    const r = await locateIcon('three dots next to Hannah Kim', { ocr, rgb: page.rgb, frame: page.frame });
    expect(r?.match, r?.message).toBeDefined();
    expect(r!.match!.point[0]).toBeGreaterThan(830);
    expect(r!.match!.point[1]).toBeGreaterThan(70);
    expect(r!.match!.point[1]).toBeLessThan(114);
    // Three rows, three kebabs: "the kebab menu" alone names none of them.
    const any = await locateIcon('the kebab menu', { ocr, rgb: page.rgb, frame: page.frame });
    expect(any?.match).toBeUndefined();
    expect(any?.message).toMatch(/^3 three-dot menus are on screen; say which/);
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
