// Grounding on real screenshots: headless Chromium renders fixture pages, the real OCR engine
// reads them, and every answer is checked against the DOM box of the element (× DPR).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OcrResult } from '../../../../kernels/ocr/types.ts';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { groundImage } from '../../../../agents/embedded/ground/ground-image.ts';
import { locate } from '../../../../agents/embedded/ground/locate.ts';
import { locateTemplate } from '../../../../agents/embedded/ground/template.ts';
import { OcrEngine, ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { pointInBox, renderPage, type RenderedPage } from './render-page.ts';

const FIXTURES = path.join(import.meta.dirname, '../../../fixtures/ground');

/** A 24×24 gear-like icon drawn pixel by pixel: a toothed ring around a hole. */
async function gearPng(): Promise<Buffer> {
  const n = 24;
  const data = Buffer.alloc(n * n * 3, 255);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const dx = x - 11.5;
      const dy = y - 11.5;
      const r = Math.hypot(dx, dy);
      const tooth = Math.cos(Math.atan2(dy, dx) * 8) > 0.3 ? 11 : 8.5;
      if (r < tooth && r > 4) data.fill(0, (y * n + x) * 3, (y * n + x) * 3 + 1).fill(90, (y * n + x) * 3 + 1, (y * n + x) * 3 + 3);
    }
  return sharp(data, { raw: { width: n, height: n, channels: 3 } }).png().toBuffer();
}

let browser: Browser;
let dir: string;
let gear: Buffer;
const pages = new Map<string, { page: RenderedPage; ocr: OcrResult }>();

async function screen(file: string, dpr: number, viewport = { width: 800, height: 600 }) {
  const key = `${file}@${dpr}`;
  if (!pages.has(key)) {
    const html = readFileSync(path.join(FIXTURES, file), 'utf8').replace('GEAR_SRC', `data:image/png;base64,${gear.toString('base64')}`);
    const page = await renderPage(browser, html, { viewport, dpr, selector: 'button, input, img, [data-desc]' });
    pages.set(key, { page, ocr: await ocrFrame(page.frame) });
  }
  return pages.get(key)!;
}

beforeAll(async () => {
  browser = await launchChromium();
  gear = await gearPng();
  dir = mkdtempSync(path.join(tmpdir(), 'handeye-ground-'));
});

afterAll(async () => {
  await browser?.close();
  await OcrEngine.shared().close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([1, 2])('form at DPR %i', (dpr) => {
  it('finds inputs by label (right and below), by placeholder, the checkbox, and buttons', async () => {
    const { page, ocr } = await screen('form.html', dpr);
    const described = page.targets.filter((t) => t.desc);
    expect(described.length).toBeGreaterThanOrEqual(8);
    for (const t of described) {
      const r = locate(ocr, t.desc, { image: page.rgb });
      expect(r.match, `${t.desc}: ${r.message}`).toBeDefined();
      expect(pointInBox(r.match!.point, t.box), `${t.desc} at ${r.match!.point} not in ${t.box}`).toBe(true);
    }
    // Detected fields are the inputs' own rectangles, not guesses.
    const user = page.targets.find((t) => t.desc === "the field labelled 'Username'")!;
    const r = locate(ocr, user.desc, { image: page.rgb });
    r.match!.box.forEach((v, i) => expect(Math.abs(v - user.box[i])).toBeLessThanOrEqual(2 * dpr));
    expect(r.match!.score).toBeGreaterThan(0.9);
  });

  it('finds "the text field" and "the second text field" without labels', async () => {
    const { page, ocr } = await screen('form.html', dpr);
    const inputs = page.targets.filter((t) => /field/.test(t.desc) && !/checkbox/.test(t.desc));
    const first = locate(ocr, 'the text field', { image: page.rgb });
    expect(pointInBox(first.match!.point, inputs[0].box)).toBe(true);
    const second = locate(ocr, 'the second text field', { image: page.rgb });
    expect(pointInBox(second.match!.point, inputs[1].box)).toBe(true);
  });
});

describe('table, Chinese and icons', () => {
  it('uses row context and ordinals on a real table', async () => {
    const { page, ocr } = await screen('table.html', 1);
    const dels = page.targets.filter((t) => t.text === 'Delete');
    const edits = page.targets.filter((t) => t.text === 'Edit');
    expect(dels).toHaveLength(3);
    expect(pointInBox(locate(ocr, "'Delete' in the row with 'bob'").match!.point, dels[1].box)).toBe(true);
    expect(pointInBox(locate(ocr, 'the last "Edit" button').match!.point, edits[2].box)).toBe(true);
    expect(pointInBox(locate(ocr, 'Edit in the row with carol').match!.point, edits[2].box)).toBe(true);
  });

  it('finds Chinese buttons, whole and by description', async () => {
    const { page, ocr } = await screen('table.html', 2);
    for (const [desc, text] of [['点击「确定」', '确定'], ['取消按钮', '取消'], ['「导出报表」', '导出报表']]) {
      const t = page.targets.find((x) => x.text === text)!;
      const r = locate(ocr, desc);
      expect(r.match, `${desc}: ${r.message}`).toBeDefined();
      expect(pointInBox(r.match!.point, t.box)).toBe(true);
    }
  });

  it('finds an icon by template at DPR 1 and DPR 2 and rejects a different icon', async () => {
    for (const dpr of [1, 2]) {
      const { page } = await screen('table.html', dpr);
      const gearBox = page.targets.find((t) => t.desc === 'gear icon')!.box;
      const m = await locateTemplate(page.rgb, gear, { minScore: 0.8 });
      expect(m, `dpr ${dpr}`).not.toBeNull();
      expect(pointInBox(m!.point, gearBox)).toBe(true);
      m!.box.forEach((v, i) => expect(Math.abs(v - gearBox[i])).toBeLessThanOrEqual(dpr));
      expect(m!.scale).toBe(dpr);
    }
    const other = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#ffffff' } })
      .composite([{ input: Buffer.from('<svg width="20" height="20"><path d="M2 2 L18 18 M18 2 L2 18" stroke="#c00" stroke-width="3"/></svg>') }])
      .png()
      .toBuffer();
    expect(await locateTemplate((await screen('table.html', 1)).page.rgb, other, { minScore: 0.8 })).toBeNull();
  });
});

describe('groundImage (the CLI command)', () => {
  it('grounds text and icons on a screenshot file', async () => {
    const { page } = await screen('table.html', 1);
    const file = path.join(dir, 'shot.png');
    writeFileSync(file, page.png);
    const r = await groundImage(file, "'Delete' in the row with 'carol'");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const del = page.targets.filter((t) => t.text === 'Delete')[2];
    expect(pointInBox(r.result.point, del.box)).toBe(true);
    expect(r.result.text).toBe('Delete');
    const gearFile = path.join(dir, 'gear.png');
    writeFileSync(gearFile, gear);
    const icon = await groundImage(file, `icon:${gearFile}`);
    expect(icon.ok && icon.result.text).toBe('gear.png');
  });

  it('detects a DPR-2 screenshot at half resolution when told its scale, and still grounds in image pixels', async () => {
    const { page } = await screen('table.html', 2);
    const file = path.join(dir, 'shot-dpr2.png');
    writeFileSync(file, page.png);
    const spy = vi.spyOn(OcrEngine.prototype, 'recognize');
    try {
      const r = await groundImage(file, "'Delete' in the row with 'carol'", { scale: 2 });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][1]).toEqual({ detScale: 0.5 });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const del = page.targets.filter((t) => t.text === 'Delete')[2];
      expect(pointInBox(r.result.point, del.box)).toBe(true);
    } finally {
      spy.mockRestore();
    }
    const bad = await groundImage(file, 'Delete', { scale: 0 });
    expect(bad).toMatchObject({ ok: false, usage: true, message: expect.stringMatching(/scale \(device pixel ratio\) must be a number in \(0, 8\], got 0/) });
  });

  it('fails clearly with the closest candidates when the target is not on screen', async () => {
    const { page } = await screen('table.html', 1);
    const file = path.join(dir, 'shot2.png');
    writeFileSync(file, page.png);
    const r = await groundImage(file, 'the "Deletes all" button');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.usage).toBeFalsy();
    expect(r.message).toMatch(/no text matching "Deletes all"/);
    expect(r.candidates[0].text).toMatch(/Delete/);
  });

  it('rejects unreadable inputs with a specific message', async () => {
    const empty = path.join(dir, 'empty.png');
    writeFileSync(empty, '');
    const junk = path.join(dir, 'junk.png');
    writeFileSync(junk, 'not an image at all');
    const shot = path.join(dir, 'ok.png');
    writeFileSync(shot, (await screen('table.html', 1)).page.png);
    const cases: [string, string, RegExp][] = [
      [path.join(dir, 'missing.png'), 'OK', /does not exist/],
      [empty, 'OK', /empty \(0 bytes\)/],
      [junk, 'OK', /not a readable PNG\/JPEG/],
      [dir, 'OK', /is not a file|cannot be read/],
      [shot, '   ', /empty instruction/],
      [shot, `icon:${path.join(dir, 'nope.png')}`, /template image .* does not exist/],
    ];
    for (const [file, instruction, msg] of cases) {
      const r = await groundImage(file, instruction);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message).toMatch(msg);
        expect(r.usage).toBe(true);
      }
    }
  });
});
