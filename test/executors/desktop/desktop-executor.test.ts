import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAction, type ActionInput } from '../../../src/core/actions.ts';
import { DesktopExecutor } from '../../../src/executors/desktop/desktop-executor.ts';
import { startXvfb, type Xvfb } from '../../../src/executors/desktop/xvfb.ts';
import type { Frame } from '../../../src/core/frame.ts';
import { frameRgb } from '../../../src/core/frame.ts';
import { observe, waitForWindow, xevEvents, type Observed } from './desktop-support.ts';

// Every action kind against xev, a real X client that prints each event it receives: the
// assertions read what the X server delivered, not what our code believes it sent.
let xvfb: Xvfb;
let ex: DesktopExecutor;
let xev: Observed;
let frame: Frame;

beforeAll(async () => {
  xvfb = await startXvfb({ size: [800, 600] });
  xev = observe(['xev', '-geometry', '800x600+0+0', '-name', 'probe', '-event', 'keyboard', '-event', 'button', '-event', 'mouse'], xvfb.display);
  await waitForWindow(xvfb.display, 'probe');
  ex = await DesktopExecutor.open({ display: xvfb.display });
  frame = await ex.capture({ format: 'png' });
});

afterAll(async () => {
  await ex?.close();
  await xev?.stop();
  await xvfb?.stop();
});

async function act(a: ActionInput, f = frame): Promise<void> {
  await ex.perform(parseAction(a), f);
}

/** Events of a type since mark, once at least n have arrived. */
async function eventsAfter(mark: number, type: string, n: number) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const evs = xevEvents(xev.lines.slice(mark)).filter((e) => e.type === type);
    if (evs.length >= n || Date.now() > deadline) return evs;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const rootOf = (text: string) => /root:\((-?\d+),(-?\d+)\)/.exec(text)!.slice(1).map(Number);
const buttonOf = (text: string) => Number(/button (\d+)/.exec(text)![1]);
const keysymOf = (text: string) => /keysym 0x[0-9a-f]+, (\w+)\)/.exec(text)![1];

describe('desktop executor on a real X server', () => {
  it('captures the whole screen with its geometry', () => {
    expect(frame).toMatchObject({ width: 800, height: 600, scale: 1, origin: { x: 0, y: 0 }, format: 'png' });
    expect(ex.screen).toEqual({ width: 800, height: 600 });
  });

  it('clicks with each button, at the device point of the frame pixel, and double-clicks', async () => {
    const mark = xev.lines.length;
    await act({ action: 'click', target: { point: [123, 234] } });
    await act({ action: 'click', target: { box: [300, 100, 320, 140] }, button: 'right' });
    await act({ action: 'click', target: { point: [50, 60] }, button: 'middle' });
    await act({ action: 'click', target: { point: [700, 500] }, count: 2 });
    const presses = await eventsAfter(mark, 'ButtonPress', 5);
    expect(presses.map((e) => buttonOf(e.text))).toEqual([1, 3, 2, 1, 1]);
    expect(presses.map((e) => rootOf(e.text))).toEqual([[123, 234], [310, 120], [50, 60], [700, 500], [700, 500]]);
    expect(await ex.pointer()).toEqual({ x: 700, y: 500 });
  });

  it('hovers without pressing', async () => {
    const mark = xev.lines.length;
    await act({ action: 'hover', target: { point: [222, 333] } });
    const motion = await eventsAfter(mark, 'MotionNotify', 1);
    expect(rootOf(motion[motion.length - 1].text)).toEqual([222, 333]);
    expect(xevEvents(xev.lines.slice(mark)).filter((e) => e.type === 'ButtonPress')).toHaveLength(0);
  });

  it('drags with the button held through intermediate moves', async () => {
    const mark = xev.lines.length;
    await act({ action: 'drag', from: { point: [100, 100] }, to: { point: [500, 300] } });
    await eventsAfter(mark, 'ButtonRelease', 1);
    const evs = xevEvents(xev.lines.slice(mark));
    const press = evs.findIndex((e) => e.type === 'ButtonPress');
    const release = evs.findIndex((e) => e.type === 'ButtonRelease');
    expect(rootOf(evs[press].text)).toEqual([100, 100]);
    expect(rootOf(evs[release].text)).toEqual([500, 300]);
    const between = evs.slice(press + 1, release).filter((e) => e.type === 'MotionNotify');
    expect(between.length).toBeGreaterThanOrEqual(5);
    // Button1 held (state 0x100) on the way, along the straight line.
    for (const m of between) {
      expect(m.text).toMatch(/state 0x1\d\d/);
      const [x, y] = rootOf(m.text);
      expect(Math.abs((y - 100) - ((x - 100) * 200) / 400)).toBeLessThanOrEqual(1);
    }
  });

  it('a long press holds the left button at the target for its time; a swipe is a held drag', async () => {
    let mark = xev.lines.length;
    const t0 = Date.now();
    await act({ action: 'long_press', target: { point: [321, 123] }, ms: 600 });
    await eventsAfter(mark, 'ButtonRelease', 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    let evs = xevEvents(xev.lines.slice(mark));
    const press = evs.find((e) => e.type === 'ButtonPress')!;
    const release = evs.find((e) => e.type === 'ButtonRelease')!;
    expect([buttonOf(press.text), rootOf(press.text)]).toEqual([1, [321, 123]]);
    expect(rootOf(release.text)).toEqual([321, 123]);
    mark = xev.lines.length;
    await act({ action: 'swipe', from: { point: [400, 500] }, to: { point: [400, 200] } });
    await eventsAfter(mark, 'ButtonRelease', 1);
    evs = xevEvents(xev.lines.slice(mark));
    expect(rootOf(evs.find((e) => e.type === 'ButtonPress')!.text)).toEqual([400, 500]);
    expect(rootOf(evs.find((e) => e.type === 'ButtonRelease')!.text)).toEqual([400, 200]);
  });

  it('scrolls in all four directions with X buttons 4 up, 5 down, 6 left, 7 right, at the target', async () => {
    for (const [direction, button] of [['up', 4], ['down', 5], ['left', 6], ['right', 7]] as const) {
      const mark = xev.lines.length;
      await act({ action: 'scroll', direction, amount: 3, target: { point: [400, 250] } });
      const presses = await eventsAfter(mark, 'ButtonPress', 3);
      expect(presses.map((e) => buttonOf(e.text)), direction).toEqual([button, button, button]);
      expect(rootOf(presses[0].text)).toEqual([400, 250]);
    }
  });

  it('presses key chords with modifiers held, in any common spelling', async () => {
    const mark = xev.lines.length;
    await act({ action: 'key', keys: ['ctrl', 'shift', 't'] });
    await act({ action: 'key', keys: ['F5'] });
    await act({ action: 'key', keys: ['Alt+Left'] });
    await act({ action: 'key', keys: ['Control', '+'] });
    const downs = await eventsAfter(mark, 'KeyPress', 9);
    expect(downs.map((e) => keysymOf(e.text))).toEqual(['Control_L', 'Shift_L', 'T', 'F5', 'Alt_L', 'Left', 'Control_L', 'Shift_L', 'plus']);
    // The letter arrives with Control and Shift held (state 0x5).
    expect(downs[2].text).toMatch(/state 0x5,/);
    const ups = xevEvents(xev.lines.slice(mark)).filter((e) => e.type === 'KeyRelease');
    expect(ups.map((e) => keysymOf(e.text)).slice(0, 3)).toEqual(['T', 'Shift_L', 'Control_L']);
  });

  it('types ASCII by key and Chinese, accents and emoji by keysym, in order', async () => {
    const mark = xev.lines.length;
    await act({ action: 'type', text: 'Hi! 你好, café 😀 ok' });
    await eventsAfter(mark, 'KeyRelease', 1);
    const deadline = Date.now() + 5000;
    let typed = '';
    while (Date.now() < deadline) {
      typed = xev.lines
        .slice(mark)
        .map((l) => /XmbLookupString gives \d+ bytes: (?:\([0-9a-f ]+\) )?"(.*)"$/.exec(l)?.[1])
        .filter((s): s is string => s !== undefined)
        .join('');
      if (typed.endsWith('ok')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(typed).toBe('Hi! 你好, café 😀 ok');
  });

  it('refuses browser-only actions and out-of-frame targets with clear errors', async () => {
    await expect(act({ action: 'navigate', url: 'https://example.com' })).rejects.toThrow(/needs a browser/);
    await expect(act({ action: 'click', target: { point: [801, 10] } })).rejects.toThrow(/outside the 800x600 frame/);
  });

  it('captures true colours (nut.js grabs BGRA with zero alpha) on both capture paths', async () => {
    const colors = observe(['xmessage', '-geometry', '+0+0', '-bg', '#ff0000', '-fg', '#0000ff', '-name', 'colours', 'RED'], xvfb.display);
    try {
      await waitForWindow(xvfb.display, 'colours');
      await new Promise((r) => setTimeout(r, 300));
      for (const capturePath of ['nut', 'screenshot-desktop'] as const) {
        const e = await DesktopExecutor.open({ display: xvfb.display, capturePath });
        try {
          const f = await e.capture({ format: 'png' });
          const meta = await sharp(f.image).metadata();
          expect(meta.channels, capturePath).toBe(3);
          const rgb = await frameRgb(f);
          const at = (x: number, y: number) => [...rgb.data.subarray((y * rgb.width + x) * 3, (y * rgb.width + x) * 3 + 3)];
          // xmessage's background near its top-left corner is pure red.
          expect(at(4, 4), capturePath).toEqual([255, 0, 0]);
        } finally {
          await e.close();
        }
      }
    } finally {
      await colors.stop();
    }
  });

  it('maps frame pixels through scale and origin: a region captured at scale 2 lands on the right device point', async () => {
    const scaled = await DesktopExecutor.open({ display: xvfb.display, area: { region: { x: 200, y: 150, width: 300, height: 200 } }, captureScale: 2 });
    try {
      const f = await scaled.capture();
      expect(f).toMatchObject({ width: 600, height: 400, scale: 2, origin: { x: 200, y: 150 } });
      const mark = xev.lines.length;
      // frame (100, 50) → device (200 + 100/2, 150 + 50/2) = (250, 175).
      await scaled.perform(parseAction({ action: 'click', target: { point: [100, 50] } }), f);
      const [press] = await eventsAfter(mark, 'ButtonPress', 1);
      expect(rootOf(press.text)).toEqual([250, 175]);
      const half = await DesktopExecutor.open({ display: xvfb.display, captureScale: 0.5 });
      try {
        const h = await half.capture();
        expect(h).toMatchObject({ width: 400, height: 300, scale: 0.5 });
        const m2 = xev.lines.length;
        await half.perform(parseAction({ action: 'click', target: { point: [300, 200] } }), h);
        const [p2] = await eventsAfter(m2, 'ButtonPress', 1);
        expect(rootOf(p2.text)).toEqual([600, 400]);
      } finally {
        await half.close();
      }
    } finally {
      await scaled.close();
    }
  });

  it('gives a small RGB thumbnail for settle detection', async () => {
    const t = await ex.thumbnail();
    expect(Math.max(t.width, t.height)).toBe(256);
    expect(t.data.length).toBe(t.width * t.height * 3);
  });
});
