// Icons as apps draw them with something on top: a notification bell with a red count badge
// over its corner, and an icon act said with words that name something the screen lacks.
// Rendered by a real Chromium and read by the real OCR engine.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { OcrEngine, ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { sharedIconLexicon } from '../../../../agents/embedded/icons/icon-lexicon.ts';
import { locateIcon } from '../../../../agents/embedded/ground/ground-icon.ts';
import { inBox, renderIconPage } from './render-icons.ts';

const lucide = (name: string, size: number): string =>
  readFileSync(path.join(import.meta.dirname, `../../../../node_modules/lucide-static/icons/${name}.svg`), 'utf8').replace(/<svg /, `<svg width="${size}" height="${size}" `);
/** A bell drawn here (not a set's), as a product's own icon font would. */
const BELL =
  '<svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"><path d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.6 2H4.4z"/><path d="M10 21h4"/></svg>';
const badge = (content: string, size: number) =>
  `<span style="position:absolute;top:-5px;right:-7px;min-width:${size}px;height:${size}px;border-radius:${size / 2}px;background:#e5484d;color:#fff;font:700 10.5px sans-serif;display:flex;align-items:center;justify-content:center;padding:0 3px;box-sizing:border-box">${content}</span>`;
const topBar = (bellBadge: string) => `<body style="margin:0;background:#f3f5f9;color:#475467;font:14px sans-serif">
  <div style="height:60px;display:flex;align-items:center;gap:22px;padding:0 28px;background:#fff;border-bottom:1px solid #e4e7ec">
    <b style="font-size:18px;color:#101828">Northwind</b><span style="flex:1"></span>
    <span data-icon="settings" style="display:flex">${lucide('settings', 22)}</span>
    <span data-icon="bell" style="position:relative;display:flex">${BELL}${bellBadge}</span>
    <span style="width:32px;height:32px;border-radius:16px;background:#fde2c8;color:#7a3e0e;display:flex;align-items:center;justify-content:center;font-weight:700">JD</span>
  </div>
  <div style="padding:40px 28px;display:flex;gap:16px;align-items:center">
    <button data-icon="download" style="display:flex;gap:8px;align-items:center;font:600 14px sans-serif;color:#344054;background:#fff;border:1px solid #d0d5dd;border-radius:8px;padding:9px 14px">${lucide('download', 18)}<span>Download resources</span></button>
    <span>Lecture 12 of 48 · Working with files</span>
  </div></body>`;

let browser: Browser;
beforeAll(async () => {
  [browser] = await Promise.all([launchChromium(), sharedIconLexicon()]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await OcrEngine.shared().close();
});

async function screen(html: string) {
  const page = await renderIconPage(browser, html, { width: 900, height: 200 }, 1);
  return { page, screen: { ocr: await ocrFrame(page.frame), rgb: page.rgb, frame: page.frame } };
}
const boxOf = (page: { targets: Array<{ name: string; box: [number, number, number, number] }> }, name: string) => page.targets.find((t) => t.name === name)!.box;

describe('a notification badge over an icon', () => {
  it.each([
    ['a count', badge('3', 17)],
    ['a two-digit count', badge('12', 17)],
    ['a dot', badge('', 9)],
  ])('with %s: "notifications" is the bell under it', async (_, mark) => {
    const { page, screen: s } = await screen(topBar(mark));
    for (const said of ['notifications', 'the notification bell in the top bar']) {
      const r = await locateIcon(said, s);
      expect(r?.match, `${said}: ${r?.message}`).toBeDefined();
      expect(inBox(r!.match!.point, boxOf(page, 'bell'), 3), `${said}: ${r!.match!.text} at ${r!.match!.point}`).toBe(true);
    }
    // The gear beside it is still the gear.
    const gear = await locateIcon('settings', s);
    expect(gear?.match && inBox(gear.match.point, boxOf(page, 'settings'))).toBe(true);
  });
});

describe("words the icon does not stand for", () => {
  it('must be on screen or say nothing in particular: no download of a certificate the page lacks', async () => {
    const { page, screen: s } = await screen(topBar(badge('3', 17)));
    const refused = await locateIcon('download my certificate of completion', s);
    expect(refused?.match).toBeUndefined();
    expect(refused?.message).toMatch(/a download icon is on screen, but nothing shows "certificate completion"/);
    // Words the screen shows, and words that name nothing in particular, keep the icon.
    for (const said of ['download the files', 'download lecture resources']) {
      const r = await locateIcon(said, s);
      expect(r?.match, `${said}: ${r?.message}`).toBeDefined();
      expect(inBox(r!.match!.point, boxOf(page, 'download'))).toBe(true);
    }
  });
});

describe('an anchor that is no text on screen', () => {
  it('is an icon only by a word people use for one, not by a set\'s name for an icon ("sheet")', async () => {
    const row = `<body style="margin:0;background:#fff;color:#344054;font:14px sans-serif"><div style="display:flex;gap:40px;align-items:center;padding:30px">
      <span data-icon="sheet" style="display:flex">${lucide('sheet', 22)}</span><span>Q3 Regional Sales Report</span><span style="flex:1"></span>
      <span data-icon="plus" style="display:flex">${lucide('circle-plus', 22)}</span><span data-icon="upload" style="display:flex">${lucide('upload', 22)}</span></div></body>`;
    const { page, screen: s } = await screen(row);
    const refused = await locateIcon('Add in the row with "sheet"', s);
    expect(refused?.match).toBeUndefined();
    expect(refused?.message).toMatch(/no text matching "sheet"/);
    const r = await locateIcon('the add icon next to the upload button', s);
    expect(r?.match, r?.message).toBeDefined();
    expect(inBox(r!.match!.point, boxOf(page, 'plus'))).toBe(true);
  });
});

describe('a quoted name said to be an icon', () => {
  it('is its tooltip: looked for as an icon, by the look said before "icon" when there is one', async () => {
    const { page, screen: s } = await screen(topBar(badge('3', 17)));
    for (const [said, name] of [
      ['icon "Notifications" in the top bar', 'bell'],
      ['the gear icon "Preferences"', 'settings'],
      ['"设置"图标', 'settings'],
    ] as const) {
      const r = await locateIcon(said, s);
      expect(r?.match, `${said}: ${r?.message}`).toBeDefined();
      expect(inBox(r!.match!.point, boxOf(page, name), 3), said).toBe(true);
    }
    // Quoted and not said to be an icon: a text to read, which the screen does not show.
    expect(await locateIcon('"Notifications"', s)).toBeUndefined();
  });
});
