import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAction, type ActionInput } from '../../../src/core/actions.ts';
import { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';
import { UnknownKeyError } from '../../../src/core/keys.ts';
import { OutOfFrameError, type Frame } from '../../../src/core/frame.ts';
import { startStaticServer, type StaticServer } from '../../../src/run/static-server.ts';
import { centreInFrame, FIXTURE_ROOT, rectOf } from './browser-support.ts';

// Every action kind against real pages in headless Chromium, at a device scale factor of 2 so
// that a forgotten frame-pixel → CSS-px conversion would miss its target.
let server: StaticServer;
let ex: BrowserExecutor;

beforeAll(async () => {
  server = await startStaticServer(FIXTURE_ROOT);
  ex = await BrowserExecutor.launch({ viewport: [1280, 720], deviceScaleFactor: 2 });
});

afterAll(async () => {
  await ex?.close();
  await server?.close();
});

async function open(page: string): Promise<Frame> {
  await ex.goto(server.resolve(page));
  return ex.capture();
}

async function act(input: ActionInput, frame?: Frame) {
  return ex.perform(parseAction(input), frame ?? (await ex.capture()));
}

const state = <T = unknown>(expr: string) => ex.evaluate(expr) as Promise<T>;

describe('mouse actions', () => {
  it('clicks with the left, right and middle buttons, once or twice, where it is told', async () => {
    const f = await open('/events.html');
    const b1 = await centreInFrame(ex, '#b1');
    const b2 = await centreInFrame(ex, '#b2');
    expect(await act({ action: 'click', target: { point: b1 } }, f)).toEqual({ navigated: false });
    await act({ action: 'click', target: { box: [b2[0] - 10, b2[1] - 10, b2[0] + 10, b2[1] + 10] }, button: 'right' }, f);
    await act({ action: 'click', target: { point: b1 }, button: 'middle' }, f);
    await act({ action: 'click', target: { point: b2 }, count: 2 }, f);
    const clicks = await state<{ type: string; id: string; button: number; detail: number }[]>('__state.clicks');
    const seen = clicks.map((c) => `${c.type}:${c.id}:${c.button}:${c.detail}`);
    expect(seen).toEqual([
      'click:b1:0:1',
      'contextmenu:b2:2:0',
      'auxclick:b2:2:1',
      'auxclick:b1:1:1',
      'click:b2:0:1',
      'click:b2:0:2',
      'dblclick:b2:0:2',
    ]);
  });

  it('hovers: the element sees the pointer enter and takes its :hover style', async () => {
    const f = await open('/events.html');
    expect(await state('__state.hovered')).toBe(false);
    await act({ action: 'hover', target: { point: await centreInFrame(ex, '#hoverbox') } }, f);
    expect(await state('__state.hovered')).toBe(true);
    expect(await state(`getComputedStyle(document.getElementById('hoverbox')).backgroundColor`)).toBe('rgb(153, 204, 255)');
  });

  it('drags and drops a native draggable onto a drop zone', async () => {
    const f = await open('/events.html');
    await act({ action: 'drag', from: { point: await centreInFrame(ex, '#card') }, to: { point: await centreInFrame(ex, '#zone') } }, f);
    expect(await state('__state.dropped')).toBe('card');
    expect(await state(`document.getElementById('zone').textContent`)).toBe('Dropped');
  });

  it('drags a mouse-driven element through intermediate moves to the target point', async () => {
    const f = await open('/events.html');
    const from = await centreInFrame(ex, '#knob');
    const to: [number, number] = [from[0] + 600, from[1] + 200];
    await act({ action: 'drag', from: { point: from }, to: { point: to } }, f);
    expect(await state<number>('__state.knobMoves')).toBeGreaterThanOrEqual(3);
    const r = await rectOf(ex, '#knob');
    // The knob's centre followed the pointer: 300 CSS px right and 100 down of where it was.
    expect(r.x + r.width / 2).toBeCloseTo(from[0] / 2 + 300, 0);
    expect(r.y + r.height / 2).toBeCloseTo(from[1] / 2 + 100, 0);
  });

  it('refuses an out-of-frame target without acting', async () => {
    const f = await open('/events.html');
    const [, y] = await centreInFrame(ex, '#b1');
    await expect(act({ action: 'click', target: { point: [f.width + 5, y] } }, f)).rejects.toThrow(OutOfFrameError);
    await expect(act({ action: 'drag', from: { point: [10, 10] }, to: { point: [10, f.height + 40] } }, f)).rejects.toThrow(/outside the 2560x1440 frame/);
    expect(await state('__state.clicks.length')).toBe(0);
  });
});

describe('typing and keys', () => {
  it('types into a target, replacing its text with clear, and submits with Enter', async () => {
    const f = await open('/events.html');
    const name = await centreInFrame(ex, '#name');
    await act({ action: 'type', text: ' more', target: { point: name } }, f);
    expect(await state(`document.getElementById('name').value`)).toBe('old text more');
    await act({ action: 'type', text: 'alice', target: { point: name }, clear: true, submit: true }, f);
    expect(await state(`document.getElementById('name').value`)).toBe('alice');
    expect(await state('__state.submitted')).toBe('alice');
  });

  it('types Chinese and mixed text intact', async () => {
    const f = await open('/events.html');
    const text = '你好，世界 Hello 中文输入 ✓';
    await act({ action: 'type', text, target: { point: await centreInFrame(ex, '#other') } }, f);
    expect(await state(`document.getElementById('other').value`)).toBe(text);
  });

  it('types into whatever has focus when no target is given', async () => {
    const f = await open('/events.html');
    await act({ action: 'click', target: { point: await centreInFrame(ex, '#other') } }, f);
    await act({ action: 'type', text: 'bob' }, f);
    expect(await state(`document.getElementById('other').value`)).toBe('bob');
  });

  it('presses chords given in any common spelling: ctrl+A selects all, Shift+Tab moves focus back', async () => {
    const f = await open('/events.html');
    await act({ action: 'click', target: { point: await centreInFrame(ex, '#name') } }, f);
    await act({ action: 'key', keys: ['ctrl', 'A'] }, f);
    expect(await state(`[document.getElementById('name').selectionStart, document.getElementById('name').selectionEnd]`)).toEqual([0, 8]);
    await act({ action: 'key', keys: ['Backspace'] }, f);
    expect(await state(`document.getElementById('name').value`)).toBe('');
    await act({ action: 'key', keys: ['Tab'] }, f);
    expect(await state('document.activeElement.id')).toBe('other');
    await act({ action: 'key', keys: ['Shift', 'Tab'] }, f);
    expect(await state('document.activeElement.id')).toBe('name');
    await act({ action: 'key', keys: ['control+shift+left'] }, f);
    await act({ action: 'key', keys: ['esc'] }, f);
    await act({ action: 'key', keys: ['return'] }, f);
    const keys = await state<{ key: string; ctrl: boolean; shift: boolean }[]>('__state.keys');
    const last = keys.slice(-3);
    expect(last[0]).toMatchObject({ key: 'ArrowLeft', ctrl: true, shift: true });
    expect(last[1]).toMatchObject({ key: 'Escape', ctrl: false });
    expect(last[2]).toMatchObject({ key: 'Enter' });
    expect(await state('__state.submitted')).toBe('');
  });

  it('rejects an unknown key name with a clear error and presses nothing', async () => {
    const f = await open('/events.html');
    await expect(act({ action: 'key', keys: ['Control', 'banana'] }, f)).rejects.toThrow(UnknownKeyError);
    await expect(act({ action: 'key', keys: ['Control', 'banana'] }, f)).rejects.toThrow(/unknown key name "banana"/);
    expect(await state('__state.keys.length')).toBe(0);
  });
});

describe('scrolling', () => {
  it('scrolls the page by 100 px per notch in all four directions', async () => {
    const f = await open('/scroll.html');
    const scroll = () => state<[number, number]>('[scrollX, scrollY]');
    await act({ action: 'scroll', direction: 'down', amount: 3 }, f);
    await expect.poll(scroll).toEqual([0, 300]);
    await act({ action: 'scroll', direction: 'right', amount: 2 }, f);
    await expect.poll(scroll).toEqual([200, 300]);
    await act({ action: 'scroll', direction: 'up', amount: 1 }, f);
    await expect.poll(scroll).toEqual([200, 200]);
    await act({ action: 'scroll', direction: 'left', amount: 1 }, f);
    await expect.poll(scroll).toEqual([100, 200]);
  });

  it('scrolls the element under the target point, not the page', async () => {
    const f = await open('/scroll.html');
    await act({ action: 'scroll', direction: 'down', amount: 2, target: { point: await centreInFrame(ex, '#inner') } }, f);
    await expect.poll(() => state(`document.getElementById('inner').scrollTop`)).toBe(200);
    expect(await state('scrollY')).toBe(0);
  });
});

describe('navigation, tabs and page access', () => {
  it('follows a link (navigated), navigates to a relative URL and goes back', async () => {
    const f = await open('/nav-a.html');
    const r = await act({ action: 'click', target: { point: await centreInFrame(ex, '#to-b') } }, f);
    expect(r.navigated).toBe(true);
    await ex.waitForIdle(5000);
    expect(ex.currentUrl()).toBe(server.resolve('/nav-b.html'));
    expect(await act({ action: 'navigate', url: 'popup.html' })).toEqual({ navigated: true });
    expect(ex.currentUrl()).toBe(server.resolve('/popup.html'));
    expect(await act({ action: 'back' })).toEqual({ navigated: true });
    await ex.waitForIdle(5000);
    expect(ex.currentUrl()).toBe(server.resolve('/nav-b.html'));
    expect(await ex.visibleText()).toContain('This is page B.');
  });

  it('keeps capturing after a cross-site navigation swaps the renderer process', async () => {
    await open('/nav-a.html');
    const otherSite = server.resolve('/nav-b.html').replace('127.0.0.1', 'localhost');
    expect(await act({ action: 'navigate', url: otherSite })).toEqual({ navigated: true });
    const frame = await ex.capture();
    expect([frame.width, frame.height]).toEqual([2560, 1440]);
    expect((await ex.thumbnail()).width).toBe(256);
    expect(await ex.visibleText()).toContain('This is page B.');
  });

  it('reports no navigation for a click that navigates nowhere, and refuses back with no history', async () => {
    const ex2 = await BrowserExecutor.launch({ viewport: [800, 600], deviceScaleFactor: 1 });
    try {
      await expect(ex2.perform(parseAction({ action: 'navigate', url: 'nav-b.html' }), await ex2.capture())).rejects.toThrow(/cannot resolve the relative URL "nav-b.html"/);
      await ex2.goto(server.resolve('/events.html'));
      const f = await ex2.capture();
      expect(await ex2.perform(parseAction({ action: 'click', target: { point: await centreInFrame(ex2, '#b1') } }), f)).toEqual({ navigated: false });
      await expect(ex2.perform(parseAction({ action: 'back' }), f)).rejects.toThrow(/no earlier page/);
    } finally {
      await ex2.close();
    }
  });

  it('makes a target=_blank tab the active page, and falls back when it closes', async () => {
    const f = await open('/nav-a.html');
    const r = await act({ action: 'click', target: { point: await centreInFrame(ex, '#to-popup') } }, f);
    expect(r.navigated).toBe(true);
    await ex.waitForIdle(5000);
    expect(ex.currentUrl()).toBe(server.resolve('/popup.html'));
    expect(await ex.visibleText()).toContain('Popup page');
    const popupFrame = await ex.capture();
    expect(popupFrame.width).toBe(2560);
    const closed = await act({ action: 'click', target: { point: await centreInFrame(ex, '#close') } }, popupFrame);
    expect(closed.navigated).toBe(true);
    expect(ex.currentUrl()).toBe(server.resolve('/nav-a.html'));
    expect((await ex.capture()).height).toBe(1440);
  });

  it('makes a window.open() tab active too', async () => {
    const f = await open('/nav-a.html');
    await act({ action: 'click', target: { point: await centreInFrame(ex, '#open-js') } }, f);
    await ex.waitForIdle(5000);
    expect(ex.currentUrl()).toBe(server.resolve('/popup.html?js=1'));
    await ex.page.close();
    expect(ex.currentUrl()).toBe(server.resolve('/nav-a.html'));
  });

  it('reads visible text including visible iframes, and evaluates expressions', async () => {
    await open('/nav-a.html');
    await expect.poll(() => ex.visibleText()).toContain('Text inside the frame 框架');
    const text = await ex.visibleText();
    expect(text.startsWith('Page A')).toBe(true);
    expect(text.split('框架').length - 1).toBe(1); // the display:none iframe adds nothing
    expect(await ex.evaluate('1 + 2')).toBe(3);
    expect(await ex.evaluate('Promise.resolve(document.title)')).toBe('Page A');
  });

  it('waits and does nothing on finish and fail', async () => {
    const f = await open('/events.html');
    const t0 = performance.now();
    await act({ action: 'wait', ms: 120 }, f);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
    expect(await act({ action: 'finish', answer: 'done' }, f)).toEqual({ navigated: false });
    expect(await act({ action: 'fail', reason: 'cannot' }, f)).toEqual({ navigated: false });
    expect(await state('__state.clicks.length')).toBe(0);
  });
});
