// Headful Chromium on a private Xvfb display, driven by OS-level input (XTest through nut.js),
// not by Playwright's input. Playwright only reads the page's state.
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DesktopExecutor } from '../../../src/executors/desktop/desktop-executor.ts';
import { startXvfb, type Xvfb } from '../../../src/executors/desktop/xvfb.ts';
import { findChromium } from '../../../src/executors/browser/chromium.ts';
import { parseAction } from '../../../src/core/actions.ts';
import { startStaticServer, type StaticServer } from '../../../src/run/static-server.ts';

const PAGE = path.join(import.meta.dirname, '..', '..', 'fixtures', 'desktop');

let xvfb: Xvfb;
let browser: Browser;
let page: Page;
let server: StaticServer;
let executor: DesktopExecutor;

/** Screen position (device px) of the page's viewport origin: window position plus the browser's own chrome. */
async function viewportOrigin(): Promise<{ x: number; y: number }> {
  return page.evaluate(() => ({
    x: window.screenX + (window.outerWidth - window.innerWidth) / 2,
    y: window.screenY + (window.outerHeight - window.innerHeight),
  }));
}

async function rectOf(selector: string): Promise<{ left: number; top: number; right: number; bottom: number }> {
  return page.evaluate((s) => {
    const r = document.querySelector(s)!.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  }, selector);
}

beforeAll(async () => {
  xvfb = await startXvfb({ size: [1280, 800] });
  server = await startStaticServer(PAGE);
  browser = await chromium.launch({
    executablePath: findChromium(),
    headless: false,
    env: { ...process.env, DISPLAY: xvfb.display },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--window-position=37,53', '--window-size=1100,700'],
  });
  // viewport: null lets the real window decide the page size, as a user's browser would.
  const context = await browser.newContext({ viewport: null });
  page = await context.newPage();
  await page.goto(`${server.origin}/os-input.html`);
  executor = await DesktopExecutor.open({ display: xvfb.display });
});

afterAll(async () => {
  await executor?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
  await xvfb?.stop().catch(() => {});
});

describe('headful Chromium driven by OS input on Xvfb', () => {
  it('clicks a button through XTest at the right page point, with the window offset and browser chrome accounted for', async () => {
    const origin = await viewportOrigin();
    // The window really is offset and has chrome above the page: the mapping is not the identity.
    expect(origin.x).toBeGreaterThan(0);
    expect(origin.y).toBeGreaterThan(53);
    const r = await rectOf('#target');
    const frame = await executor.capture();
    const cx = (r.left + r.right) / 2;
    const cy = (r.top + r.bottom) / 2;
    // frame px = (device px - frame origin) * frame scale
    const point: [number, number] = [(origin.x + cx - frame.origin.x) * frame.scale, (origin.y + cy - frame.origin.y) * frame.scale];
    await executor.perform(parseAction({ action: 'click', target: { point } }), frame);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __clicks: unknown[] }).__clicks.length)).toBe(1);
    const click = await page.evaluate(() => (window as unknown as { __clicks: Array<{ id: string; x: number; y: number; trusted: boolean }> }).__clicks[0]);
    expect(click.id).toBe('target');
    expect(click.trusted).toBe(true);
    expect(Math.abs(click.x - cx)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(click.y - cy)).toBeLessThanOrEqual(1.5);
  });

  it('types into a focused field with the OS keyboard, Chinese included', async () => {
    const origin = await viewportOrigin();
    const r = await rectOf('#name');
    const frame = await executor.capture();
    const point: [number, number] = [(origin.x + (r.left + r.right) / 2 - frame.origin.x) * frame.scale, (origin.y + (r.top + r.bottom) / 2 - frame.origin.y) * frame.scale];
    await executor.perform(parseAction({ action: 'type', text: 'Zoë 你好!', target: { point }, clear: true }), frame);
    await expect.poll(() => page.inputValue('#name')).toBe('Zoë 你好!');
  });
});
