// A floating label ("DESTINATION" in small grey caps over the field's value, inside one box) is
// faint like a placeholder but names the field under it: typing goes to the value, not the label.
// Headless Chromium, real OCR.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { groundStep } from '../../../../agents/embedded/step-grounder.ts';
import { OcrEngine, ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { pointInBox, renderPage } from './render-page.ts';

const HTML = `<!doctype html><meta charset="utf-8"><style>
body{font-family:"DejaVu Sans",sans-serif;background:#0b3a6f;margin:0;padding:30px}
.bar{display:flex;gap:6px;background:#febb02;padding:4px;border-radius:8px;width:900px}
.box{background:#fff;border-radius:4px;padding:8px 12px;flex:1}
.box small{display:block;font-size:10px;letter-spacing:.06em;color:#6b7280;font-weight:700}
.box input{border:0;font:700 15px "DejaVu Sans",sans-serif;padding:2px 0;width:100%;color:#111;outline:none}
</style>
<div class="bar">
  <label class="box"><small>DESTINATION</small><input value="Lisbon, Portugal" data-desc="Destination"></label>
  <label class="box"><small>GUESTS</small><input value="2 adults" data-desc="Guests"></label>
</div>`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await OcrEngine.shared().close();
});

/** Renders `html`, then types `text` into each field marked data-desc (named by `into`): each typing must land inside its field. */
async function expectTypesInto(html: string, viewport: { width: number; height: number }, count: number, text: string, into = (desc: string) => `field '${desc}'`): Promise<void> {
  const page = await renderPage(browser, html, { viewport, selector: '[data-desc]' });
  const ocr = await ocrFrame(page.frame);
  expect(page.targets).toHaveLength(count);
  for (const t of page.targets) {
    const g = await groundStep({ type: { text, into: into(t.desc) } }, { frame: page.frame, ocr, rgb: page.rgb, progress: {} });
    const a = g.actions[0] as { action: string; target?: { point: [number, number] } };
    expect(a.action, `${t.desc}: ${JSON.stringify(a)}`).toBe('type');
    expect(pointInBox(a.target!.point, t.box), `${t.desc} at ${a.target!.point} not in ${t.box}`).toBe(true);
  }
}

const FORMS = `<!doctype html><meta charset="utf-8"><style>
body{font:14px "DejaVu Sans",sans-serif;margin:0;padding:24px;background:#fff}
.dark{background:#0d1117;padding:18px 20px 40px;width:900px}
.dark input{width:860px;background:#0d1117;border:1px solid #21262d;border-radius:6px;color:#e6edf3;padding:7px 12px;font:14px "DejaVu Sans"}
.dark input::placeholder{color:#6e7681}
.dark .bar{height:40px;margin-top:12px;background:#161b22;border-radius:6px}
label{display:block;font-weight:700;font-size:13px;color:#374151;margin:22px 0 6px}
.light input{width:300px;border:1px solid #d1d5db;border-radius:6px;padding:8px 10px;font:14px "DejaVu Sans"}
</style>
<div class="dark"><input placeholder="Filter workflow runs" data-desc="Filter workflow runs"><div class="bar"></div></div>
<div class="light"><label>Business purpose</label><input placeholder="Why did you travel?" data-desc="Business purpose"></div>
<div style="width:320px;margin-top:10px"><div style="font:14px 'Noto Sans CJK SC',sans-serif;color:#9ca3af">手机号</div>
<input style="border:0;border-bottom:1px solid #d1d5db;width:300px;padding:8px 0;font:15px 'DejaVu Sans';outline:none" data-desc="手机号"></div>
<p style="color:#111;font:14px 'DejaVu Sans'">Your number is used for booking messages only. We never share it with anyone else.</p>`;

describe('fields known by a placeholder or a label over a bordered box', () => {
  it("types into a dark theme's dim field by its placeholder, into the box under a label that holds a placeholder, and under a faint label over an underline", async () => {
    await expectTypesInto(FORMS, { width: 1000, height: 400 }, 3, 'invoice');
  });
});

describe('a floating label over its field', () => {
  it('types into the field under the label, not on the label', async () => {
    await expectTypesInto(HTML, { width: 1000, height: 200 }, 2, 'Porto');
  });
});

const MAP = `<!doctype html><meta charset="utf-8"><style>
body{margin:0;width:390px;height:420px;background:linear-gradient(135deg,#e8efe3,#dfe8f0);font:14px "Noto Sans CJK SC","DejaVu Sans",sans-serif;position:relative}
.road{position:absolute;background:#fff;border:1px solid #e4d9b8}
.pill{position:absolute;left:14px;right:14px;height:46px;background:#fff;border-radius:23px;box-shadow:0 2px 8px rgba(0,0,0,.15);display:flex;align-items:center;gap:10px;padding:0 16px}
.pill input{border:0;outline:none;flex:1;font:15px "Noto Sans CJK SC","DejaVu Sans",sans-serif;background:none}
.pill input::placeholder{color:#8a8f99}
.chip{position:absolute;left:18px;top:108px;border:1px solid #cfd6df;background:#fff;border-radius:6px;padding:4px 10px;font-size:12px;color:#333}
</style>
<div class="road" style="left:0;right:0;top:170px;height:14px"></div><div class="road" style="left:200px;top:0;bottom:0;width:12px"></div>
<div class="pill" style="top:40px"><svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="#555" stroke-width="2.4"><circle cx="11" cy="11" r="7"/><path d="M20 20l-4-4"/></svg><input placeholder="搜索地点、公交、地铁" data-desc="搜索地点、公交、地铁"></div>
<div class="chip">26°晴 · 杭州 空气优</div>
<div class="pill" style="top:250px"><svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="#555" stroke-width="2.4"><circle cx="11" cy="11" r="7"/><path d="M20 20l-4-4"/></svg><input placeholder="Search recipes or ingredients" data-desc="Search recipes or ingredients"></div>
<div class="chip" style="top:318px">Under 30 min</div>`;

describe('a placeholder after a magnifier', () => {
  it('is inside its field (a pill with no border on a map), not a label for the chip below it', async () => {
    await expectTypesInto(MAP, { width: 390, height: 420 }, 2, '杭州东站');
  });
});

const PORTAL = `<!doctype html><meta charset="utf-8"><style>
body{margin:0;padding:30px;font:14px "Noto Sans CJK SC","DejaVu Sans",sans-serif;background:#fff}
.sbox{display:flex;width:640px;border:2px solid #1f5fbf;border-radius:6px;overflow:hidden;margin-bottom:40px}
.sbox input{flex:1;border:0;padding:10px 14px;font:14px "Noto Sans CJK SC","DejaVu Sans",sans-serif;outline:none}
.sbox input::placeholder{color:#a0a7b2}
.sbox button{border:0;background:#1f5fbf;color:#fff;padding:0 26px;font:15px "Noto Sans CJK SC","DejaVu Sans",sans-serif}
.hot{color:#667}
</style>
<div class="sbox"><input placeholder="请输入您要办理的事项，如：社保查询、公积金提取" data-desc="搜索框"><button>搜索</button></div>
<div class="hot">热搜：社保查询 公积金提取 户籍迁移</div>
<div class="sbox" style="margin-top:40px"><input placeholder="Product name, SKU or brand" data-desc="search box"><button>Search</button></div>`;

describe('a search field known by the search button at its end', () => {
  it('types into the input the 搜索 / Search button ends, when its placeholder does not say search', async () => {
    await expectTypesInto(PORTAL, { width: 900, height: 320 }, 2, '社保卡挂失', (desc) => desc);
  });
});

// A booking card's cell, on a listing page written for the tuning set by other hands: "GUESTS"
// in small caps over the select's value, the cell's padding under it.
const LISTING = readFileSync(new URL('../../../fixtures/instructions-tuning/rental-listing.html', import.meta.url), 'utf8');

describe('a select under its label in a booking card', () => {
  it('opens the select at its shown value, not at the padding strip under it', async () => {
    const page = await renderPage(browser, LISTING, { viewport: { width: 1440, height: 900 }, selector: '#guests-select' });
    const ocr = await ocrFrame(page.frame);
    const [t] = page.targets;
    const g = await groundStep({ select: { option: '"3 guests"', in: '"GUESTS"' } }, { frame: page.frame, ocr, rgb: page.rgb, progress: {} });
    const a = g.actions[0] as { action: string; target?: { point: [number, number] } };
    expect(a.action, JSON.stringify(a)).toBe('click');
    expect(pointInBox(a.target!.point, t.box), `${a.target!.point} not in ${t.box}`).toBe(true);
  });
});

// Two search boxes, both read with the magnifier as a letter: "α 搜索" in the top bar and
// "α 搜索歌单音乐" over the song list (a music client written for the tuning set).
const PLAYER = readFileSync(new URL('../../../fixtures/instructions-tuning/zh-netease-music.html', import.meta.url), 'utf8');

describe('a search box named 搜索 beside one whose placeholder only starts with it', () => {
  it('types into the box whose whole placeholder is the name', async () => {
    const page = await renderPage(browser, PLAYER, { viewport: { width: 1280, height: 800 }, selector: '#search-input' });
    const ocr = await ocrFrame(page.frame);
    const [t] = page.targets;
    const g = await groundStep({ type: { text: '周杰伦', into: '"搜索"' } }, { frame: page.frame, ocr, rgb: page.rgb, progress: {} });
    const a = g.actions[0] as { action: string; target?: { point: [number, number] } };
    expect(a.action, JSON.stringify(a)).toBe('type');
    expect(pointInBox(a.target!.point, t.box), `${a.target!.point} not in ${t.box}`).toBe(true);
  });
});

// A phone's settings screen (written for the tuning set): its only input is a search pill with no
// border, known by its placeholder; a subtitle cut short with "…" is no placeholder.
const SETTINGS = readFileSync(new URL('../../../fixtures/instructions-tuning/phone-settings.html', import.meta.url), 'utf8');

describe('"the text field" with no box drawn', () => {
  it('types into the one field a placeholder asks for input in', async () => {
    const page = await renderPage(browser, SETTINGS, { viewport: { width: 390, height: 844 }, selector: '#search-input' });
    const ocr = await ocrFrame(page.frame);
    const [t] = page.targets;
    const g = await groundStep({ type: { text: 'hotspot', into: 'the text field' } }, { frame: page.frame, ocr, rgb: page.rgb, progress: {} });
    const a = g.actions[0] as { action: string; target?: { point: [number, number] } };
    expect(a.action, JSON.stringify(a)).toBe('type');
    expect(pointInBox(a.target!.point, t.box), `${a.target!.point} not in ${t.box}`).toBe(true);
  });
});
