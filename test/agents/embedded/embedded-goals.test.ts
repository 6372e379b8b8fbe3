import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';
import { runEmbedded, sharedBrowser } from './embedded-support.ts';

/**
 * Each English goal form, run end to end: real headless Chromium, real OCR, runTask with the
 * embedded agent; success judged by the page's own state (a js checker), not by our logs.
 */

let browser: BrowserExecutor;
beforeAll(async () => {
  browser = await sharedBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const cases: [string, string, string][] = [
  ['ok-button.html', 'Click on the "OK" button.', `JSON.stringify(state.clicked) === '["OK"]'`],
  ['two-buttons.html', 'Click button ONE, then click button TWO.', `state.clicked.join() === 'ONE,TWO'`],
  ['text-field.html', 'Enter "Agustina" into the text field and press Submit.', `state.submitted === 'Agustina'`],
  ['select.html', 'Select AU and click Submit.', `state.submitted === 'AU' && state.changes === 1`],
  ['login.html', 'Enter the username "karrie" and the password "AU" into the text fields and press login.', `state.login?.user === 'karrie' && state.login?.pass === 'AU'`],
  ['dialog.html', 'Close the dialog box by clicking the "x".', `state.closed === true`],
  ['dialog.html', 'close the dialog', `state.closed === true`],
  ['dialog.html', '关闭弹窗', `state.closed === true`],
  ['link.html', 'Click on the link "Eget".', `state.clicked.join() === 'Eget'`],
  ['collapsible.html', 'Expand the section below and click submit.', `state.submitted === true`],
  ['type-enter.html', 'Type "hello" and press Enter', `state.sent === 'hello'`],
  ['long-list.html', 'Scroll down to "Item 80" and click it', `state.clicked === 'Item 80'`],
  ['checkbox.html', 'Check "Remember me"', `document.getElementById('rem').checked && !document.getElementById('news').checked`],
  ['login-zh.html', '在“用户名”中输入“alice”，然后点击“登录”', `state.login === 'alice'`],
  ['login-zh.html', '输入“alice”到用户名，然后点击“登录”', `state.login === 'alice'`],
  ['drag.html', 'Drag the "Fix login bug" card onto the "Done" column.', `state.moves.join() === 'Fix login bug->Done'`],
  ['drag.html', 'Drag and drop "Plan sprint" into "To do", then drag "Write docs" to "Doing"', `state.moves.join() === 'Plan sprint->To do,Write docs->Doing'`],
  ['drag.html', '把“报告.pdf”拖到“回收站”', `state.trashed.join() === '报告.pdf'`],
  // A named tab's own ×, not the window's; a menu named with its kind.
  ['editor-tabs.html', 'close the second tab, the utils one', `state.closed.join() === 'utils.ts'`],
  ['editor-tabs.html', 'I want to add a table, can you open the Insert menu for me?', `state.menus.join() === 'Insert'`],
  // 把 puts the thing first and the act last; the act's word may not be the label (驳回 → 拒绝).
  ['approvals-zh.html', '把张伟那条请假驳回', `state.acted.join() === '张伟:拒绝'`],
  ['approvals-zh.html', '帮我把李娜这个月的报销同意一下', `state.acted.join() === '李娜:同意'`],
  ['approvals-zh.html', '帮我把这个列表导出一下，老板要看', `state.exported === 1 && state.acted.length === 0`],
  // A list row's checkbox past the file icon, not the owner's avatar at the row's end.
  ['file-list.html', 'Check the box next to Brand guidelines.', `document.getElementById('c2').checked && !document.getElementById('c1').checked && !document.getElementById('c3').checked`],
  // A chevron too small for the icon finder still opens and closes its section.
  ['file-list.html', 'collapse the direct messages list in the sidebar', `state.collapsed === true && state.labelClicks === 0`],
  // A placeholder with the composer's toolbar under it is inside its field.
  ['file-list.html', '[textbox]  Message #design -> TYPE: ship it', `document.getElementById('msg').value === 'ship it'`],
  // Choices drawn on the label's line, a bordered band under them; the act on a buyer's order; a row's cell by its column.
  ['orders-zh.html', '出发时段选12:00-18:00', `document.getElementById('noon').checked`],
  ['orders-zh.html', '给买家“小鱼爱吃鱼”那单发货', `state.shipped.join() === '小鱼爱吃鱼'`],
  ['orders-zh.html', '表格中周婷那一行的截止日期', `state.cells.join() === '周婷:截止日期'`],
  // A borderless dropdown known by the arrow after its value.
  ['doc-toolbar-zh.html', '[combobox]  正文 -> SELECT: 标题 1', `state.style === '标题 1'`],
  // "close the banner": its close icon (a button named only by its tooltip is not looked for as an icon).
  ['doc-toolbar-zh.html', '关闭横幅', `state.closed === true`],
  // A comment card's header holds the name and the time on one line; an outline's entry, not the body's heading.
  ['doc-toolbar-zh.html', '把陈浩那条评论标记为已解决', `state.resolved.join() === '陈浩'`],
  ['doc-toolbar-zh.html', '在目录里跳到待办事项那一节', `state.toc.join() === '三、待办事项'`],
  // A pager's arrow too small for the icon finder, after its last page number.
  ['orders-zh.html', '订单列表下一页', `state.paged.join() === 'next'`],
  // A field named by more words than its label shows ("Size:"), its value in a box that hugs it; never the next label's box.
  ['options-bar.html', 'Enter "30" into the brush size field.', `document.getElementById('size').value === '30' && document.getElementById('hard').value === '80%'`],
  // A flight number read after its airline with no space, in a two-line cell whose row button is level with neither line.
  ['flights-zh.html', '点击航班 HU7606 所在行的按钮「订票」', `state.booked.join() === '7606'`],
  // A tree's small solid triangle, past a folder icon; never the label.
  ['flights-zh.html', '展开市场部', `state.expanded.join() === '市场部' && state.labelClicks === 0`],
  // An act's icon named before what it acts on.
  ['flights-zh.html', '刷新成员列表', `state.refreshed === 1`],
  // Of two alike chevrons, the one that stands alone, not the one beside the month's name.
  ['flights-zh.html', 'previous week', `state.paged.join() === 'prev-week'`],
  // A "more" icon OCR reads as dots on a line of its own is still an icon; 菜单 after 更多 says nothing more.
  ['product-bar-zh.html', '顶栏更多菜单', `state.clicked.join() === 'top-more'`],
];

describe('the embedded agent completes each goal form in a real browser', () => {
  it.each(cases)('%s: %s', async (page, goal, js) => {
    const { summary } = await runEmbedded(browser, { page, goal, success: [{ js }], maxSteps: 15 });
    expect(summary.detail ?? '').not.toMatch(/did not hold/);
    expect(summary).toMatchObject({ success: true, reason: 'finished' });
  }, 180_000);
});

describe('it checks the effect of each step and retries a miss once', () => {
  it('retypes into a field that swallowed the first typing', async () => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'flaky-field.html', goal: 'Enter "1234" into the Code field', success: [{ js: `document.getElementById('code').value === '1234'` }] });
    expect(summary.success).toBe(true);
    const checks = decisions.map((d) => d.notes?.verified as { ok: boolean; detail: string } | undefined).filter(Boolean);
    expect(checks[0]).toMatchObject({ ok: false });
    expect(checks[0]!.detail).toMatch(/still reads/);
    expect(checks[1]).toMatchObject({ ok: true });
    expect(decisions.filter((d) => d.notes?.retry)).toHaveLength(1);
  }, 120_000);

  it('clicks again when the first click changed nothing on screen', async () => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'flaky-click.html', goal: 'Click "Go"', success: [{ js: 'state.went === true && state.goClicks === 2' }] });
    expect(summary.success).toBe(true);
    expect(decisions.find((d) => d.notes?.retry)?.reasoning).toMatch(/nothing on screen changed/);
  }, 120_000);

  it('waits for a dropped menu to close after its entry lights up, instead of acting on the menu still drawn', async () => {
    // The entry lights up at once and the menu closes 400 ms later, over the Print button until then.
    const { summary, decisions } = await runEmbedded(browser, {
      page: 'slow-menu.html',
      goal: 'Set Paper size to Legal, then click Print',
      success: [{ js: "state.printed === 'Legal' && state.menuClicks === 1" }],
    });
    expect(summary.success).toBe(true);
    const waited = decisions.filter((d) => (d.notes?.verified as { waits?: number } | undefined)?.waits);
    expect(waited.length).toBeGreaterThan(0);
    expect(waited[0].reasoning ?? JSON.stringify(waited[0].notes)).toMatch(/waiting for the list to close/);
    expect(decisions.some((d) => d.notes?.retry)).toBe(false);
  }, 120_000);

  it('waits for an opened list to be drawn before it looks for the entry', async () => {
    // The menu is drawn 500 ms after the click that opens it.
    const { summary, decisions } = await runEmbedded(browser, {
      page: 'slow-open-menu.html',
      goal: 'Set Paper size to Legal, then click Print',
      success: [{ js: "state.printed === 'Legal' && state.menuClicks === 1 && state.opens === 1" }],
    });
    expect(summary.success, summary.detail).toBe(true);
    expect(decisions.some((d) => (d.notes?.steps as Array<{ select?: { waiting?: string } }> | undefined)?.some((s) => s.select?.waiting) || JSON.stringify(d.notes).includes('for the opened list to show'))).toBe(true);
  }, 120_000);

  it('does not click twice when the first click worked', async () => {
    const { summary, decisions } = await runEmbedded(browser, { page: 'ok-button.html', goal: 'Click on the "OK" button.', success: [{ js: `state.clicked.length === 1` }] });
    expect(summary.success).toBe(true);
    expect(decisions.some((d) => d.notes?.retry)).toBe(false);
    expect(decisions.at(-1)?.notes?.verified).toMatchObject({ ok: true });
  }, 120_000);
});

describe('it fails clearly instead of guessing', () => {
  it('ends with a fail naming the part of the goal it did not understand', async () => {
    const { summary } = await runEmbedded(browser, { page: 'ok-button.html', goal: 'Click "OK", then juggle the buttons', success: [{ js: 'state.clicked.length === 0' }] });
    expect(summary.reason).toBe('agent-failed');
    expect(summary.detail).toMatch(/could not understand "juggle the buttons"/);
  }, 120_000);

  it('ends with a fail naming a target that is not on screen and what was closest', async () => {
    const { summary } = await runEmbedded(browser, { page: 'ok-button.html', goal: 'Click on the "Delete" button', success: [] });
    expect(summary.reason).toBe('agent-failed');
    expect(summary.detail).toMatch(/Delete/);
    expect(summary.detail).toMatch(/closest on screen/);
  }, 120_000);
});
