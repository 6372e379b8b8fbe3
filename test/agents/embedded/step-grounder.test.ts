import { describe, expect, it } from 'vitest';
import { groundStep, type GroundContext, type StepProgress } from '../../../agents/embedded/step-grounder.ts';
import type { Frame, RgbImage } from '../../../src/core/frame.ts';
import type { OcrResult } from '../../../kernels/ocr/types.ts';
import { buildOcr, type LineSpec } from './ground/ocr-builder.ts';

/**
 * The step grounder on hand-built OCR results: what it decides from what was read, without a
 * browser (the end-to-end runs are in embedded-steps / embedded-goals).
 */

const W = 800;
const H = 600;
const rgb: RgbImage = { data: new Uint8Array(W * H * 3).fill(255), width: W, height: H };
const frame: Frame = { image: Buffer.alloc(0), format: 'png', width: W, height: H, scale: 1, origin: { x: 0, y: 0 }, capturedAt: 0 };

function ctx(ocr: OcrResult, progress: StepProgress = {}, image: RgbImage = rgb): GroundContext {
  return { frame, ocr, rgb: image, progress };
}

const list = (texts: string[], x = 20): LineSpec[] => texts.map((text, i) => ({ text, x, y: 20 + 30 * i }));

describe('click targets with numbers', () => {
  it('does not click a neighbour with another number when the asked one is not read', async () => {
    // OCR dropped a space in "Item21"; "Item 20" and "Item 23" are not on screen.
    const ocr = buildOcr(list(['Item 19', 'Item21', 'Item 22', 'Item 24']));
    for (const click of ['Item 23', 'Item 20']) {
      const g = await groundStep({ click }, ctx(ocr));
      expect(g.actions, click).toHaveLength(1);
      expect(g.actions[0]).toMatchObject({ action: 'fail', reason: expect.stringContaining(`cannot click ${click}`) });
    }
  });

  it('clicks the item with that exact number, even when a letter was misread', async () => {
    const ocr = buildOcr(list(['Item 21', 'Item 22', 'ltem 23', 'Item 123', 'Item 230']));
    const g = await groundStep({ click: 'Item 23' }, ctx(ocr));
    const line = ocr.lines.find((l) => l.text === 'ltem 23')!;
    expect(g.actions[0]).toMatchObject({ action: 'click' });
    const point = (g.actions[0] as { target: { point: [number, number] } }).target.point;
    expect(point[1]).toBeGreaterThanOrEqual(line.box[1]);
    expect(point[1]).toBeLessThanOrEqual(line.box[3]);
  });
});

describe('scroll until a text shows, at a given place', () => {
  it('keeps scrolling at the first point after the `at` text has scrolled away', async () => {
    const step = { scroll: { direction: 'down' as const, at: 'Start of the list', until: 'Entry 45' } };
    const progress: StepProgress = {};
    const first = await groundStep(step, ctx(buildOcr(list(['Projects', 'Start of the list', 'Entry 1', 'Entry 2'], 40)), progress));
    expect(first.complete).toBe(false);
    expect(first.actions[0]).toMatchObject({ action: 'scroll', direction: 'down' });
    const at = (first.actions[0] as { target: { point: [number, number] } }).target.point;

    // The next look: the list moved, "Start of the list" is gone, and the pixels differ.
    const moved: RgbImage = { ...rgb, data: new Uint8Array(W * H * 3).fill(250) };
    const second = await groundStep(step, ctx(buildOcr(list(['Projects', 'Entry 14', 'Entry 15', 'Entry 16'], 40)), progress, moved));
    expect(second.actions[0]).toMatchObject({ action: 'scroll', direction: 'down' });
    expect((second.actions[0] as { target: { point: [number, number] } }).target.point).toEqual(at);

    const third = await groundStep(step, ctx(buildOcr(list(['Projects', 'Entry 44', 'Entry 45'], 40)), progress, rgb));
    expect(third).toMatchObject({ actions: [], complete: true });
  });
});

describe('drag', () => {
  const ocr = buildOcr([
    { text: 'Report.pdf', x: 40, y: 60 },
    { text: 'Photo.png', x: 40, y: 120 },
    { text: 'Trash', x: 500, y: 300 },
  ]);
  const centre = (name: string) => {
    const b = ocr.lines.find((l) => l.text === name)!.box;
    return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
  };

  it('presses on the source text and releases on the destination text', async () => {
    const g = await groundStep({ drag: { from: 'Report.pdf', to: 'Trash' } }, ctx(ocr));
    expect(g.actions).toHaveLength(1);
    const a = g.actions[0] as { action: string; from: { point: [number, number] }; to: { point: [number, number] } };
    expect(a.action).toBe('drag');
    expect(a.from.point[0]).toBeCloseTo(centre('Report.pdf')[0], -1);
    expect(a.from.point[1]).toBeCloseTo(centre('Report.pdf')[1], -1);
    expect(a.to.point[0]).toBeCloseTo(centre('Trash')[0], -1);
    expect(g.expect).toMatchObject({ kind: 'screen-changes', verb: 'dragging' });
  });

  it('fails naming the side it cannot find, and what was closest', async () => {
    const noSource = await groundStep({ drag: { from: 'Budget.xlsx', to: 'Trash' } }, ctx(ocr));
    expect(noSource.actions[0]).toMatchObject({ action: 'fail', reason: expect.stringMatching(/^cannot drag Budget\.xlsx: /) });
    const noDest = await groundStep({ drag: { from: 'Report.pdf', to: 'Archive' } }, ctx(ocr));
    expect(noDest.actions[0]).toMatchObject({ action: 'fail', reason: expect.stringMatching(/^cannot drop Report\.pdf on Archive: /) });
  });

  it('refuses to drag something onto itself', async () => {
    const g = await groundStep({ drag: { from: 'Trash', to: '"Trash"' } }, ctx(ocr));
    expect(g.actions[0]).toMatchObject({ action: 'fail', reason: expect.stringContaining('both name the same place') });
  });
});

describe('a name given with the kind of thing it names', () => {
  it('finds the name without its kind, keeping the place the description gives', async () => {
    // "Viewer" twice: a role in the list on the left, and a column header on the right.
    const ocr = buildOcr([
      { text: 'Roles', x: 20, y: 60 },
      { text: 'Admin', x: 20, y: 100 },
      { text: 'Viewer', x: 20, y: 140 },
      { text: 'Editor  Viewer', x: 500, y: 60 },
    ]);
    const g = await groundStep({ click: 'Viewer role from the roles list on the left' }, ctx(ocr));
    expect(g.actions[0]).toMatchObject({ action: 'click', target: { point: [44, 148] } });
    // Without the place, the two are a tie: no click.
    const tie = await groundStep({ click: 'the Viewer role' }, ctx(ocr));
    expect(tie.actions[0]).toMatchObject({ action: 'fail' });
  });
});

describe('select from a list of choices with no dropdown box', () => {
  it('clicks the option shown near the list label, and refuses when it is not there', async () => {
    const ocr = buildOcr([
      { text: '最近收款人', x: 20, y: 40 },
      { text: '张伟  王芳  李娜', x: 20, y: 70 },
      { text: '王芳的账户', x: 20, y: 400 },
    ]);
    const g = await groundStep({ select: { option: '王芳', in: '最近收款人' } }, ctx(ocr));
    expect(g.actions[0]).toMatchObject({ action: 'click', target: { label: '王芳' } });
    const [x, y] = (g.actions[0] as { target: { point: [number, number] } }).target.point;
    expect(y).toBeLessThan(100);
    expect(x).toBeGreaterThan(60);
    const none = await groundStep({ select: { option: '赵敏', in: '最近收款人' } }, ctx(ocr));
    expect(none.actions[0]).toMatchObject({ action: 'fail' });
  });
});

describe('a page of a pager', () => {
  it('clicks the number among other page numbers, never a lone number elsewhere', async () => {
    const ocr = buildOcr([
      { text: 'Qty  3', x: 20, y: 40 },
      { text: 'Total  3', x: 20, y: 80 },
      { text: '‹  1  2  3  4  ›', x: 300, y: 300 },
    ]);
    const g = await groundStep({ click: 'page 3 in the pager' }, ctx(ocr));
    expect(g.actions[0]).toMatchObject({ action: 'click', target: { label: 'page 3' } });
    expect((g.actions[0] as { target: { point: [number, number] } }).target.point[1]).toBeGreaterThan(290);
    // Only lone 3s: no pager, no click.
    const lone = buildOcr([{ text: 'Qty  3', x: 20, y: 40 }, { text: 'Save', x: 20, y: 120 }]);
    const none = await groundStep({ click: 'page 3 in the pager' }, ctx(lone));
    expect(none.actions[0]).toMatchObject({ action: 'fail', reason: expect.stringContaining('not between other page numbers') });
  });
});

describe('a list named with its kind', () => {
  it('finds "the Status list" by its label Status', async () => {
    const ocr = buildOcr([
      { text: 'Status', x: 20, y: 40 },
      { text: 'Active  Failure  Success', x: 20, y: 70 },
    ]);
    const g = await groundStep({ select: { option: 'Failure', in: 'Status list' } }, ctx(ocr));
    expect(g.actions[0]).toMatchObject({ action: 'click', target: { label: 'Failure' } });
  });
});
