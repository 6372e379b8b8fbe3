import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';
import { runEmbedded, sharedBrowser } from './embedded-support.ts';

/** Scripted task steps grounded by the embedded agent, end to end in a real browser. */

let browser: BrowserExecutor;
beforeAll(async () => {
  browser = await sharedBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('steps mode', () => {
  it('types into labelled fields, clicks, and asserts what the screen shows', async () => {
    const { summary, decisions } = await runEmbedded(browser, {
      page: 'login.html',
      steps: [{ type: { text: 'karrie', into: 'Username' } }, { type: { text: 'AU', into: 'Password' } }, { click: 'Login' }, { assert: 'Logged in as karrie' }],
      success: [{ js: `state.login?.user === 'karrie' && state.login?.pass === 'AU'` }],
    });
    expect(summary).toMatchObject({ success: true, reason: 'steps-completed', steps: 4 });
    // the step after each type checked the field it typed into
    expect(decisions[1].notes?.verified).toMatchObject({ ok: true, detail: expect.stringMatching(/karrie/) });
  }, 120_000);

  it('chooses an option of a native select and submits', async () => {
    const { summary } = await runEmbedded(browser, {
      page: 'select.html',
      steps: [{ select: 'AU' }, { click: 'Submit' }, { assert: 'Submitted: AU' }],
      success: [{ js: `state.submitted === 'AU'` }],
    });
    expect(summary).toMatchObject({ success: true, reason: 'steps-completed' });
  }, 120_000);

  it('scrolls until a text shows, then clicks it', async () => {
    const { summary } = await runEmbedded(browser, {
      page: 'long-list.html',
      steps: [{ scroll: { direction: 'down', until: 'Item 45' } }, { click: 'Item 45' }],
      success: [{ js: `state.clicked === 'Item 45'` }],
      maxSteps: 20,
    });
    expect(summary).toMatchObject({ success: true, reason: 'steps-completed' });
  }, 180_000);

  it('keeps scrolling at the same point once the text it aimed at has scrolled away', async () => {
    const { summary, decisions } = await runEmbedded(browser, {
      page: 'scroll-box.html',
      steps: [{ scroll: { direction: 'down', at: 'Start of the list', until: 'Entry 45' } }, { click: 'Entry 45' }],
      success: [{ js: `state.clicked === 'Entry 45'` }],
      maxSteps: 20,
    });
    expect(summary.detail ?? '').not.toMatch(/cannot scroll at/);
    expect(summary).toMatchObject({ success: true, reason: 'steps-completed' });
    // More than one scroll was needed, and every one went to the box (where "Start of the list" first was).
    const scrolls = decisions.flatMap((d) => d.actions as { action: string; target?: { point: [number, number] } }[]).filter((a) => a.action === 'scroll');
    expect(scrolls.length).toBeGreaterThan(1);
    expect(new Set(scrolls.map((a) => a.target?.point.join(','))).size).toBe(1);
  }, 180_000);

  it('types at the focus, presses a key, and waits for the result to show', async () => {
    const { summary } = await runEmbedded(browser, {
      page: 'type-enter.html',
      steps: [{ type: 'hello' }, { press: 'Enter' }, { wait: { for: 'Sent: hello', ms: 5000 } }],
      success: [{ js: `state.sent === 'hello'` }],
    });
    expect(summary).toMatchObject({ success: true, reason: 'steps-completed' });
  }, 120_000);

  it('runs a free-form `do` step as a small plan', async () => {
    const { summary } = await runEmbedded(browser, {
      page: 'two-buttons.html',
      steps: [{ do: 'Click button ONE, then click button TWO.' }],
      success: [{ js: `state.clicked.join() === 'ONE,TWO'` }],
    });
    expect(summary).toMatchObject({ success: true, reason: 'steps-completed' });
  }, 120_000);

  it('retries a missed step once, before going on with the next one', async () => {
    const { summary, decisions } = await runEmbedded(browser, {
      page: 'flaky-field.html',
      steps: [{ type: { text: '1234', into: 'Code' } }, { press: 'Tab' }],
      success: [{ js: `document.getElementById('code').value === '1234'` }],
    });
    expect(summary).toMatchObject({ success: true, reason: 'steps-completed' });
    expect(decisions.filter((d) => d.notes?.retry)).toHaveLength(1);
  }, 120_000);

  it('fails an assertion that does not hold, naming what was closest', async () => {
    const { summary } = await runEmbedded(browser, { page: 'ok-button.html', steps: [{ assert: 'Confirmed' }], success: [] });
    expect(summary.reason).toBe('agent-failed');
    expect(summary.detail).toMatch(/assertion failed: "Confirmed" is not on screen; closest on screen/);
  }, 120_000);

  it('fails a click on a text that is not there', async () => {
    const { summary } = await runEmbedded(browser, { page: 'ok-button.html', steps: [{ click: 'Publish' }], success: [] });
    expect(summary.reason).toBe('agent-failed');
    expect(summary.detail).toMatch(/cannot click Publish/);
  }, 120_000);
});
