import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedAgent } from '../../agents/embedded/embedded-agent.ts';
import { evalGroundingCommand } from '../../src/cli/eval-grounding.ts';
import { evaluateGrounding, GroundingSummarySchema } from '../../src/eval/grounding.ts';
import { detectLayout, loadGroundingDataset } from '../../src/eval/screenspot.ts';
import { ScriptedAgent } from '../support/scripted-agent.ts';

// ScreenSpot-format grounding on the project's fixture (screenshots of suite pages, DOM boxes):
// layout detection for v1/v2/Pro, bad items counted apart, and a real run with the embedded engine.
const FIXTURE = path.resolve(import.meta.dirname, '../../tasks/screenspot-fixture');
const dir = mkdtempSync(path.join(tmpdir(), 'handeye-grounding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type V2Item = { img_filename: string; bbox: number[]; instruction: string; data_type: string; data_source: string };
const webItems = (): V2Item[] => JSON.parse(readFileSync(path.join(FIXTURE, 'screenspot_web_v2.json'), 'utf8'));

/** The fixture rewritten as ScreenSpot-Pro (x1,y1,x2,y2 boxes, annotations/ + images/). */
function asPro(): string {
  const d = path.join(dir, 'pro');
  mkdirSync(path.join(d, 'annotations'), { recursive: true });
  mkdirSync(path.join(d, 'images'), { recursive: true });
  for (const f of readdirSync(path.join(FIXTURE, 'screenspotv2_image'))) copyFileSync(path.join(FIXTURE, 'screenspotv2_image', f), path.join(d, 'images', f));
  const items = webItems().map((it, i) => ({ id: `pro-${i}`, img_filename: it.img_filename, bbox: [it.bbox[0], it.bbox[1], it.bbox[0] + it.bbox[2], it.bbox[1] + it.bbox[3]], instruction: it.instruction, ui_type: it.data_type, group: 'Suite', platform: 'linux' }));
  writeFileSync(path.join(d, 'annotations', 'suite_linux.json'), JSON.stringify(items));
  return d;
}

describe('ScreenSpot layouts', () => {
  it('detects v2 on the fixture and converts x,y,w,h boxes to corners', () => {
    const ds = loadGroundingDataset(FIXTURE);
    expect(ds.layout).toBe('screenspot-v2');
    expect(ds.invalid).toEqual([]);
    expect(ds.items.length).toBeGreaterThanOrEqual(15);
    const raw = webItems()[0];
    const item = ds.items.find((i) => i.id === 'screenspot_web_v2.json#0')!;
    expect(item.box).toEqual([raw.bbox[0], raw.bbox[1], raw.bbox[0] + raw.bbox[2], raw.bbox[1] + raw.bbox[3]]);
    expect(new Set(ds.items.map((i) => i.platform))).toEqual(new Set(['web', 'mobile']));
    expect(new Set(ds.items.map((i) => i.type))).toEqual(new Set(['text', 'icon']));
  });

  it('detects v1 by its file names and Pro by annotations/', () => {
    const v1 = path.join(dir, 'v1');
    mkdirSync(path.join(v1, 'screenspot_imgs'), { recursive: true });
    const it0 = webItems()[0];
    copyFileSync(path.join(FIXTURE, 'screenspotv2_image', it0.img_filename), path.join(v1, 'screenspot_imgs', it0.img_filename));
    writeFileSync(path.join(v1, 'screenspot_web.json'), JSON.stringify([it0]));
    expect(loadGroundingDataset(v1).layout).toBe('screenspot-v1');
    const pro = loadGroundingDataset(asPro());
    expect(pro.layout).toBe('screenspot-pro');
    expect(pro.items[0].box).toEqual(loadGroundingDataset(FIXTURE).items.find((i) => i.id === 'screenspot_web_v2.json#0')!.box);
    expect(pro.items[0].group).toBe('Suite');
  });

  it('explains folders that match no layout', () => {
    expect(() => detectLayout(path.join(dir, 'missing'))).toThrow(/dataset folder .*missing does not exist/);
    const odd = path.join(dir, 'odd');
    mkdirSync(odd, { recursive: true });
    writeFileSync(path.join(odd, 'data.json'), '[]');
    expect(() => detectLayout(odd)).toThrow(/matches no ScreenSpot layout: expected screenspot_\{mobile,desktop,web\}\.json.*found only data\.json/);
  });
});

describe('grounding evaluation', () => {
  it('counts degenerate boxes, missing and corrupt images as bad items, and unparseable replies as wrong format', async () => {
    const d = path.join(dir, 'bad');
    mkdirSync(d, { recursive: true });
    const good = webItems()[0];
    copyFileSync(path.join(FIXTURE, 'screenspotv2_image', good.img_filename), path.join(d, good.img_filename));
    writeFileSync(path.join(d, 'corrupt.png'), Buffer.concat([readFileSync(path.join(d, good.img_filename)).subarray(0, 200)]));
    writeFileSync(path.join(d, 'screenspot_web_v2.json'), JSON.stringify([
      good,
      { ...good, bbox: [10, 10, 0, 5] },
      { ...good, img_filename: 'gone.png' },
      { ...good, img_filename: 'corrupt.png' },
      { ...good, instruction: 'anything' },
    ]));
    // The model's answers: a point in the box, then prose with no action.
    const agent = new ScriptedAgent((input) =>
      input.step && 'click' in input.step && input.step.click === 'anything'
        ? { actions: [{ thought: 'I think it is the big one' }], raw: 'the big one' }
        : { actions: [{ action: 'click', target: { point: [good.bbox[0] + 2, good.bbox[1] + 2] } }] },
    );
    const s = await evaluateGrounding({ dataset: d, agent, out: path.join(dir, 'bad-out') });
    expect(s.counts).toEqual({ items: 5, correct: 1, wrong: 0, noAnswer: 0, wrongFormat: 1, badItems: 3 });
    expect(s.accuracy).toMatchObject({ n: 2, successes: 1 });
    const bad = s.results.filter((r) => r.outcome === 'bad-item').map((r) => r.detail);
    expect(bad).toEqual(expect.arrayContaining([expect.stringMatching(/degenerate box/), expect.stringMatching(/gone\.png not found/), expect.stringMatching(/corrupt\.png cannot be decoded/)]));
    expect(readFileSync(path.join(dir, 'bad-out', 'summary.md'), 'utf8')).toMatch(/bad items \(not counted in accuracy\) 3/);
  });

  it('runs the fixture with the embedded engine and writes summary.json and summary.md', { timeout: 180_000 }, async () => {
    const out = path.join(dir, 'fixture-out');
    const msgs: string[] = [];
    const code = await evalGroundingCommand({ dataset: FIXTURE, out, agent: new EmbeddedAgent() }, { out: (m) => msgs.push(m), err: (m) => msgs.push(m) });
    expect(code).toBe(0);
    const s = GroundingSummarySchema.parse(JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')));
    expect(s.layout).toBe('screenspot-v2');
    expect(s.counts.items).toBe(loadGroundingDataset(FIXTURE).items.length);
    expect(s.counts.badItems).toBe(0);
    expect(Object.keys(s.byType).sort()).toEqual(['icon', 'text']);
    expect(Object.keys(s.byPlatform).sort()).toEqual(['mobile', 'web']);
    // Text targets are what OCR grounding is for: most of them must be hit.
    expect(s.byType.text.rate).toBeGreaterThanOrEqual(0.7);
    expect(s.counts.correct + s.counts.wrong + s.counts.noAnswer + s.counts.wrongFormat).toBe(s.counts.items);
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).toMatch(/\*\*Accuracy: \d+\.\d%\*\*/);
    expect(msgs.join('\n')).toMatch(/DONE: accuracy/);
  });

  it('rejects a missing dataset folder with exit code 2', async () => {
    const msgs: string[] = [];
    expect(await evalGroundingCommand({ dataset: path.join(dir, 'none'), out: path.join(dir, 'o') }, { out: (m) => msgs.push(m), err: (m) => msgs.push(m) })).toBe(2);
    expect(msgs[0]).toMatch(/dataset folder .*none does not exist/);
  });
});
