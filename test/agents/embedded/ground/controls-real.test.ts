// The select-all box, close buttons, a field after a currency sign, a two-line cell's row and a
// row's slider, on pages written for the tuning set by other hands (test/fixtures/instructions-tuning).
// Headless Chromium, real OCR, the real icon lexicon; each instruction read by the real reader.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { groundStep } from '../../../../agents/embedded/step-grounder.ts';
import { readGoal } from '../../../../agents/embedded/instruction/read-goal.ts';
import { OcrEngine, ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { findIcons } from '../../../../agents/embedded/icons/find-icons.ts';
import { sharedIconLexicon } from '../../../../agents/embedded/icons/icon-lexicon.ts';
import { pointInBox, renderPage, selectorBoxes } from './render-page.ts';

const page = (name: string) => readFileSync(new URL(`../../../fixtures/instructions-tuning/${name}.html`, import.meta.url), 'utf8');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await OcrEngine.shared().close();
});

type Action = { action: string; reason?: string; target?: { point: [number, number] } };

/** Reads each instruction, grounds its first step on the page, and returns the action. */
async function firstActions(name: string, viewport: { width: number; height: number }, instructions: string[]): Promise<Action[]> {
  const shown = await renderPage(browser, page(name), { viewport, selector: 'body' });
  const ocr = await ocrFrame(shown.frame);
  const out: Action[] = [];
  for (const instruction of instructions) {
    const read = readGoal(instruction);
    const g = await groundStep(read.steps[0], { frame: shown.frame, ocr, rgb: shown.rgb, progress: {}, clause: instruction });
    out.push(g.actions[0] as Action);
  }
  return out;
}

/** Each instruction's first action must click (or type) inside the element its selector names. */
async function expectHits(name: string, viewport: { width: number; height: number }, cases: Array<[string, string]>): Promise<void> {
  const actions = await firstActions(name, viewport, cases.map(([i]) => i));
  const boxes = await boxesOf(name, viewport, cases.map(([, s]) => s));
  cases.forEach(([instruction, sel], i) => {
    const a = actions[i];
    expect(a.target, `${instruction}: ${JSON.stringify(a)}`).toBeDefined();
    expect(pointInBox(a.target!.point, boxes.get(sel)!), `${instruction} at ${a.target!.point}, not in ${sel} ${boxes.get(sel)}`).toBe(true);
  });
}

function boxesOf(name: string, viewport: { width: number; height: number }, selectors: string[]): Promise<Map<string, [number, number, number, number]>> {
  return selectorBoxes(browser, page(name), viewport, selectors);
}

describe('the box that selects every row', () => {
  it("is the header's box atop the column of row boxes, past avatars, beside a drawer", async () => {
    await expectHits('cloud-drive', { width: 1920, height: 1080 }, [["Check checkbox 'Select all' in the table header", '#select-all']]);
    await expectHits('zh-contacts-admin', { width: 1440, height: 900 }, [['把这一页的人全选上', '#chk-all']]);
    await expectHits('zh-oa-approval', { width: 1440, height: 900 }, [['表头的全选复选框', '#select-all']]);
  });

  it('is refused on a to-do list (no header) and on a grid of permission boxes', async () => {
    for (const [name, why] of [
      ['notion-workspace', /no table header/],
      ['admin-permissions', /no column of row checkboxes/],
    ] as const) {
      const [a] = await firstActions(name, { width: 1440, height: 900 }, ['select all checkbox']);
      expect(a.action, JSON.stringify(a)).toBe('fail');
      expect(a.reason).toMatch(why);
    }
  });
});

describe('close buttons drawn as ×', () => {
  it("takes Mind2Web's [button] Close for the ×, and a popup's corner for the popup's", async () => {
    await expectHits('calendar-week', { width: 1440, height: 900 }, [['[button]  Close -> CLICK', '#popover-close']]);
    await expectHits('zh-feishu-calendar', { width: 1440, height: 900 }, [['日程详情弹窗右上角的关闭按钮', '#popover-close']]);
    // A grey × of 9 px on a notice: small, but an icon.
    await expectHits('zh-social-phone', { width: 390, height: 844 }, [['[button]  关闭 -> CLICK', '#notice-close']]);
  });
});

describe('rows, fields and sliders named in their own words', () => {
  it('types into the box under its label even with a currency sign inside it', async () => {
    await expectHits('shopify-product-edit', { width: 1440, height: 900 }, [['Enter "58.00" into the text field labeled Compare-at price.', '#compare-price']]);
  });

  it("clicks a row's button level with the middle of a two-line cell, and a row's slider by its label", async () => {
    await expectHits('zh-douyin-creator-dark', { width: 1440, height: 900 }, [['作品表格中“5 块钱的土豆做出饭店味道”一行操作列里的编辑', '#row-2-edit']]);
    await expectHits('zh-tencent-meeting-settings', { width: 1280, height: 800 }, [['音频设置页“输入音量”一行中的音量滑块', '#mic-volume']]);
  });

  it("sees a toolbar's drawings that OCR read as doubtful glyphs (\"②\" for the link) as icons", async () => {
    const viewport = { width: 1440, height: 900 };
    const shown = await renderPage(browser, page('shopify-product-edit'), { viewport, selector: 'body' });
    const ocr = await ocrFrame(shown.frame);
    const icons = findIcons(shown.rgb, ocr, await sharedIconLexicon());
    const link = (await boxesOf('shopify-product-edit', viewport, ['#fmt-link'])).get('#fmt-link')!;
    expect(icons.some((c) => pointInBox([(c.box[0] + c.box[2]) / 2, (c.box[1] + c.box[3]) / 2], link))).toBe(true);
  });

  it('does not take the plus of an "add" for the chain of "insert link": the chain it is', async () => {
    // The chain looks most like "link-interlocked", a variant of the link named.
    await expectHits('shopify-product-edit', { width: 1440, height: 900 }, [['insert link', '#fmt-link']]);
  });
});

describe('a dropdown known only by the value it shows', () => {
  it('opens the one dropdown whose value has the option\'s shape when its label is not on screen', async () => {
    await expectHits('zh-hr-payroll', { width: 1440, height: 900 }, [['[combobox]  每页条数 -> SELECT: 50 条/页', '#page-size']]);
    await expectHits('zh-zhihu-question', { width: 1366, height: 768 }, [['Select 按时间排序 from the list and click Submit.', '#sort-select']]);
    await expectHits('calendar-week', { width: 1440, height: 900 }, [['Select Month from the list and click Submit.', '#view-dropdown']]);
    // "100%" read as one word with its chevron: the word cut to its own ink, the chevron after it.
    await expectHits('spreadsheet-app', { width: 1440, height: 900 }, [['[combobox]  Zoom -> SELECT: 125%', '#zoom']]);
  });

  it('refuses a bare number for a list named but not found: any count\'s dropdown would fit', async () => {
    const [a] = await firstActions('zh-wps-sheet', { width: 1440, height: 900 }, ['[combobox]  字号 -> SELECT: 14']);
    expect(a.action, JSON.stringify(a)).toBe('fail');
  });
});

describe('Chinese icon names run together', () => {
  it('takes the icons both words name: 消息通知 + 铃铛 is the bell, 扬声器静音 the speaker button', async () => {
    await expectHits('zh-zhihu-question', { width: 1366, height: 768 }, [['消息通知铃铛', '#nav-bell']]);
    await expectHits('zh-tencent-meeting-settings', { width: 1280, height: 800 }, [['扬声器静音图标', '#spk-mute']]);
  });
});
