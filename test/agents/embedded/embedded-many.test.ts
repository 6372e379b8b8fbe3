import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';
import { runEmbedded, sharedBrowser } from './embedded-support.ts';

/**
 * Goals on several targets at once ("both fields", "every box"), run end to end: real Chromium,
 * real OCR, runTask with the embedded agent, one move per target, each checked on the next frame;
 * success judged by the page's own state.
 */

let browser: BrowserExecutor;
beforeAll(async () => {
  browser = await sharedBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const done: [string, string][] = [
  ['type 4821 into both code fields', `[c1.value, c2.value, document.getElementById('name').value].join() === '4821,4821,'`],
  // Only the boxes not ticked yet are clicked: a click on a ticked one would untick it.
  ['tick every box', `ticked() === 'apple,banana,carrot,dates' && state.changes.join() === 'banana,carrot'`],
  ['uncheck everything', `ticked() === '' && state.changes.join() === 'apple,dates'`],
  ['check every box labelled beta', `ticked() === 'apple,carrot,dates' && state.changes.join() === 'carrot'`],
  ['勾选所有选项', `ticked() === 'apple,banana,carrot,dates'`],
];

describe('goals on several targets', () => {
  it.each(done)('%s', async (goal, js) => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'many.html', goal, success: [{ js }], maxSteps: 12 });
    expect(summary.detail ?? '', JSON.stringify(decisions.map((d) => d.reasoning))).not.toMatch(/did not hold|fail/);
    expect(summary.success).toBe(true);
  });

  it.each([
    ['tick every box whose label is a fruit', /cannot tell which boxes are "a fruit" without a model: .*the boxes on screen: "Apple", "Banana", "Carrot ?\(beta\)", "Dates ?\(beta\)"/],
    ['type 4821 into both fields', /"both" names two fields, and 3 are on screen/],
  ])('refuses %s, saying what is on screen', async (goal, why) => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'many.html', goal, success: [{ js: `state.changes.length === 0 && c1.value === ''` }], maxSteps: 4 });
    const reasons = decisions.flatMap((d) => (d.actions as { action: string; reason?: string }[]).filter((a) => a.action === 'fail').map((a) => a.reason ?? ''));
    expect(reasons.join('\n')).toMatch(why);
    expect(summary.success).toBe(false);
  });
});

describe('targets placed by what they belong to', () => {
  it.each([
    // The row's first checkbox, past a row-tall file icon, with a sidebar's highlighted row across the same band.
    ['tick the checkbox for the budget.xlsx file', `state.checked.join() === 'budget' && state.shared.length + state.switched.length === 0`],
    // A remark before the instruction places its target: three "Share" buttons, the roadmap's meant.
    ['I want Jun to see the roadmap, hit Share for it', `state.shared.join() === 'roadmap' && state.checked.length === 0`],
    // A settings row's switch at the far end of a wide card, named the Chinese way.
    ['自动更新的开关', `state.switched.join() === 'update' && state.checked.length === 0`],
  ])('%s', async (goal, js) => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'rows.html', goal, success: [{ js }], maxSteps: 4 });
    expect(summary.detail ?? '', JSON.stringify(decisions.map((d) => d.reasoning))).not.toMatch(/did not hold|fail/);
    expect(summary.success).toBe(true);
  });
});

describe('fields and icons as other products draw them', () => {
  it.each([
    // A mail form's ruled lines: "To" leads its own line; the line under it is the Cc field's.
    ['Type alice@example.com into field \'To\'', `to.value === 'alice@example.com' && cc.value === '' && subject.value === ''`],
    ['Type Q3 numbers into the Subject field', `subject.value === 'Q3 numbers' && to.value === ''`],
    // Typed after the recipient already on the Cc line, not into its chip.
    ['Enter "tom@northwind.io" into the Cc field.', `cc.value === 'tom@northwind.io' && to.value === ''`],
    // A search field drawn as a dark pill, known only by its placeholder.
    ['[searchbox]  What do you want to listen to? -> TYPE: daft punk', `q.value === 'daft punk'`],
    // A borderless filter line whose label and placeholder OCR reads as one group.
    ['Enter "status:running" into the Filter field.', `filter.value === 'status:running' && q.value === ''`],
    // The select under its label in a card, not the band from the rule above the label to the select.
    ['[combobox]  Sort by -> SELECT: Price (low to high)', `sort.value === 'Price (low to high)'`],
    // "heart" is no loose reading of "Heat Waves": the heart icon on Blinding Lights' row.
    ['hit the heart next to Blinding Lights', `state.liked.join() === 'blinding'`],
  ])('%s', async (goal, js) => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'compose.html', goal, success: [{ js }], maxSteps: 6 });
    expect(summary.detail ?? '', JSON.stringify(decisions.map((d) => d.reasoning))).not.toMatch(/did not hold|fail/);
    expect(summary.success).toBe(true);
  });
});

describe('tree nodes', () => {
  it.each([
    ['expand Photos', `state.toggled.join() === 'Photos' && state.selected.length === 0`],
    ['Expand the Projects folder, then click Zephyr', `state.toggled.join() === 'Projects' && state.selected.join() === 'Zephyr'`],
    ['展开 Documents', `state.toggled.join() === 'Documents'`],
  ])('%s: opens from the chevron before the label, not by selecting the label', async (goal, js) => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'tree.html', goal, success: [{ js }], maxSteps: 8 });
    expect(summary.detail ?? '', JSON.stringify(decisions.map((d) => d.reasoning))).not.toMatch(/did not hold|fail/);
    expect(summary.success).toBe(true);
  });

  it('refuses a node that is not there, clicking nothing (not a folder icon for "folder")', async () => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'tree.html', goal: 'expand the Music folder', success: [{ js: 'state.toggled.length + state.selected.length === 0' }], maxSteps: 4 });
    expect(decisions.flatMap((d) => d.actions as { action: string }[]).filter((a) => a.action === 'click')).toEqual([]);
    expect(summary.success).toBe(false);
  });
});

describe('sliders', () => {
  it.each([
    ['set the Volume slider to 70%', `state.volume >= 64 && state.volume <= 76 && state.price === 100`],
    ['Set Brightness to max', `state.brightness >= 95`],
    ['set the Price slider to 200, then set Volume to 0%', `state.price >= 180 && state.price <= 220 && state.volume <= 4`],
  ])('%s', async (goal, js) => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'sliders.html', goal, success: [{ js }], maxSteps: 8 });
    expect(summary.detail ?? '', JSON.stringify(decisions.map((d) => d.reasoning))).not.toMatch(/did not hold|fail/);
    expect(summary.success).toBe(true);
  });

  it('refuses a slider that is not there, and a value its ends do not show', async () => {
    for (const [goal, why] of [
      ['set the Zoom slider to 50%', /no text matching "Zoom" on screen to find its slider by/],
      ['set the Volume slider to 30', /cannot tell the slider's range \(no numbers at its ends\) to set it to 30: say a percentage/],
    ] as const) {
      const { summary, decisions } = await runEmbedded(browser, { page: 'sliders.html', goal, success: [{ js: 'state.volume === 20' }], maxSteps: 3 });
      const reasons = decisions.flatMap((d) => (d.actions as { action: string; reason?: string }[]).filter((a) => a.action === 'fail').map((a) => a.reason ?? ''));
      expect(reasons.join('\n'), goal).toMatch(why);
      expect(summary.success).toBe(false);
    }
  });
});

describe('table cells by column and row', () => {
  it.each([
    ['Set Role dropdown to Admin in the row where Name = Priya Nair', `[v('r1'), v('r2'), v('r3')].join() === 'Viewer,Admin,Editor'`],
    ['Set Qty to 25 in line 2', `[v('q1'), v('q2'), v('q3')].join() === '3,25,1'`],
  ])('%s', async (goal, js) => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'grid.html', goal, success: [{ js }], maxSteps: 8 });
    expect(summary.detail ?? '', JSON.stringify(decisions.map((d) => d.reasoning))).not.toMatch(/did not hold|fail/);
    expect(summary.success).toBe(true);
  });

  it('refuses a row that is not there', async () => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'grid.html', goal: 'Set Role to Admin in the row where Name = Nobody', success: [{ js: `v('r2') === 'Viewer'` }], maxSteps: 3 });
    const reasons = decisions.flatMap((d) => (d.actions as { action: string; reason?: string }[]).filter((a) => a.action === 'fail').map((a) => a.reason ?? ''));
    expect(reasons.join('\n')).toMatch(/no row with "Nobody" under the column "Role"/);
    expect(summary.success).toBe(false);
  });
});

