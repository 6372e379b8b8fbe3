import { describe, expect, it } from 'vitest';
import { namesBeforeKind, namesBeforePurpose } from '../../../../agents/embedded/ground/kind-tail.ts';
import { groundStep } from '../../../../agents/embedded/step-grounder.ts';
import type { Frame } from '../../../../src/core/frame.ts';
import { buildOcr } from './ocr-builder.ts';

describe('a label named with its kind or with a reason after it', () => {
  const ocr = buildOcr([
    { text: 'Scenes', x: 40, y: 40 },
    { text: 'Movie Night  Good Morning', x: 40, y: 80 },
    { text: 'Export CSV  Save  Draft', x: 40, y: 160 },
    { text: 'Import card transactions', x: 40, y: 240 },
  ]);

  it('drops a trailing kind of listed thing, even where the screen shows it as a heading; no other word', () => {
    expect(namesBeforeKind('Movie Night scene')).toEqual(['Movie Night']);
    expect(namesBeforeKind('Lufthansa flight')).toEqual(['Lufthansa']);
    expect(namesBeforeKind('Deploy to staging workflow')).toEqual(['Deploy to staging']);
    expect(namesBeforeKind('Q3 budget report docs')).toEqual(['Q3 budget report', 'Q3 budget']);
    // "Save draft" is not "Save", however few drafts the screen shows.
    expect(namesBeforeKind('Save draft')).toEqual([]);
    expect(namesBeforeKind('Export spreadsheet')).toEqual(['Export']);
    expect(namesBeforeKind('Settings')).toEqual([]);
  });

  it('cuts before a reason, longest first', () => {
    expect(namesBeforePurpose('Import card transactions to pull in the corporate card charges')).toEqual(['Import card transactions']);
    expect(namesBeforePurpose('Deploy to staging so that QA can test')).toEqual(['Deploy to staging', 'Deploy']);
    expect(namesBeforePurpose('Settings')).toEqual([]);
  });

  const frame: Frame = { image: Buffer.alloc(0), width: 1280, height: 720, scale: 1, origin: { x: 0, y: 0 }, capturedAt: 0, format: 'png' };
  // A blank screen under the hand-built text: no icons to find instead.
  const rgb = { data: new Uint8Array(1280 * 720 * 3).fill(255), width: 1280, height: 720 };
  const ground = (click: string) => groundStep({ click }, { ocr, rgb, frame, progress: {} });

  it('clicks the whole label inside the longer words, and refuses a label that is only part of one', async () => {
    const scene = await ground('Movie Night scene');
    expect(scene.actions[0]).toMatchObject({ action: 'click', target: { label: 'Movie Night' } });
    const why = await ground('Import card transactions to pull in the corporate card charges');
    expect(why.actions[0]).toMatchObject({ action: 'click', target: { label: 'Import card transactions' } });
    // "Export" is only part of "Export CSV": no whole label, no click.
    const partial = await ground('Export spreadsheet');
    expect(partial.actions[0]).toMatchObject({ action: 'fail' });
  });
});
