// Builds tasks/screenspot-fixture/: screenshots of seeded suite pages with DOM-derived target
// boxes, in the ScreenSpot v2 layout (screenspot_{web,mobile}_v2.json + screenspotv2_image/).
// Run: node --import tsx test/support/make-screenspot-fixture.ts
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { seededUrl } from '../../src/eval/suite.ts';
import { BrowserExecutor } from '../../src/executors/browser/browser-executor.ts';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { startStaticServer } from '../../src/run/static-server.ts';

const TASKS = path.resolve(import.meta.dirname, '../../tasks');
const OUT = path.join(TASKS, 'screenspot-fixture');
const IMAGES = 'screenspotv2_image';

interface Target {
  find: (page: Page) => Locator;
  instruction: string;
  type: 'text' | 'icon';
}
interface Shot {
  page: string;
  seed: number;
  split: 'web' | 'mobile';
  viewport: [number, number];
  dpr: number;
  prepare?: (page: Page) => Promise<void>;
  targets: Target[];
}

const text = (t: string) => (p: Page) => p.getByText(t, { exact: true });

const SHOTS: Shot[] = [
  { page: 'buttons', seed: 5, split: 'web', viewport: [1280, 720], dpr: 1, targets: [
    { find: text('Archive'), instruction: 'Archive', type: 'text' },
    { find: (p) => p.locator('#bar button').first(), instruction: '', type: 'text' },
  ] },
  { page: 'form-contact', seed: 5, split: 'web', viewport: [1280, 720], dpr: 1, targets: [
    { find: (p) => p.locator('#email'), instruction: 'the field labelled Email', type: 'text' },
    { find: text('Send'), instruction: 'Send', type: 'text' },
    { find: text('Full name'), instruction: 'Full name', type: 'text' },
  ] },
  { page: 'toggle-switch', seed: 5, split: 'web', viewport: [1280, 720], dpr: 1, targets: [
    { find: (p) => p.locator('[role=switch][data-label="Airplane mode"]'), instruction: 'the switch next to Airplane mode', type: 'icon' },
    { find: text('Airplane mode'), instruction: 'Airplane mode', type: 'text' },
  ] },
  { page: 'number-stepper', seed: 5, split: 'web', viewport: [1280, 720], dpr: 1, targets: [
    { find: (p) => p.locator('#plus'), instruction: '+', type: 'icon' },
    { find: (p) => p.locator('#minus'), instruction: '-', type: 'icon' },
    { find: text('Update'), instruction: 'Update', type: 'text' },
  ] },
  { page: 'dark-theme', seed: 5, split: 'web', viewport: [1280, 720], dpr: 1, targets: [
    { find: (p) => p.locator('#city'), instruction: 'the field labelled City', type: 'text' },
    { find: text('Save'), instruction: 'Save', type: 'text' },
  ] },
  { page: 'toolbar-strip', seed: 5, split: 'web', viewport: [1024, 256], dpr: 1, targets: [
    { find: text('Export'), instruction: 'Export', type: 'text' },
    { find: (p) => p.locator('#bar button').nth(3), instruction: '', type: 'text' },
  ] },
  { page: 'mobile-menu', seed: 5, split: 'mobile', viewport: [390, 844], dpr: 2, prepare: async (p) => p.getByText('Menu', { exact: true }).click(), targets: [
    { find: text('Settings'), instruction: 'Settings', type: 'text' },
    { find: text('Menu'), instruction: 'Menu', type: 'text' },
    { find: (p) => p.locator('#menu div').first(), instruction: '', type: 'text' },
  ] },
  { page: 'date-picker', seed: 5, split: 'web', viewport: [1280, 720], dpr: 1, prepare: async (p) => p.getByText('Pick a date', { exact: true }).click(), targets: [
    { find: (p) => p.locator('[data-day="17"]'), instruction: '17', type: 'text' },
    { find: text('Apply'), instruction: 'Apply', type: 'text' },
  ] },
];

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(path.join(OUT, IMAGES), { recursive: true });
  const server = await startStaticServer(TASKS);
  const browser = await launchChromium();
  const bySplit: Record<string, unknown[]> = { web: [], mobile: [] };
  try {
    for (const s of SHOTS) {
      const ex = await BrowserExecutor.launch({ viewport: s.viewport, deviceScaleFactor: s.dpr, browser });
      try {
        await ex.goto(server.resolve(seededUrl(`/suite/${s.page}/index.html`, s.seed)));
        await s.prepare?.(ex.page);
        const name = `${s.split}_${s.page}_s${s.seed}.png`;
        const frame = await ex.capture({ format: 'png' });
        writeFileSync(path.join(OUT, IMAGES, name), frame.image);
        for (const t of s.targets) {
          const loc = t.find(ex.page);
          const b = (await loc.boundingBox())!;
          // An empty instruction means "the element's own text" (a seeded label).
          const instruction = t.instruction || (await loc.innerText()).trim();
          const bbox = [b.x, b.y, b.width, b.height].map((v) => Math.round(v * s.dpr));
          bySplit[s.split].push({ img_filename: name, bbox, instruction, data_type: t.type, data_source: `handeye-suite/${s.page}` });
        }
      } finally {
        await ex.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  for (const [split, items] of Object.entries(bySplit)) writeFileSync(path.join(OUT, `screenspot_${split}_v2.json`), JSON.stringify(items, null, 1) + '\n');
  console.log(`wrote ${bySplit.web.length + bySplit.mobile.length} items to ${OUT}`);
}

await main();
