import type { Page } from 'playwright-core';
import type { Action, ActionKind, ActionOf, Target } from '../../core/actions.ts';
import { actingPoint, frameToUnits, type Frame } from '../../core/frame.ts';
import { normalizeChord } from '../../core/keys.ts';

/** One wheel notch, in CSS px: what Chromium scrolls for one click of a real mouse wheel. */
export const WHEEL_NOTCH_PX = 100;
export const NAVIGATION_TIMEOUT_MS = 30_000;

export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** What an action needs from the executor besides the page: its frame, URL resolution, history, secrets. */
export interface InputContext {
  page: Page;
  /** The frame the action's targets are in. */
  frame: Frame;
  resolveUrl: (url: string) => string;
  history: () => Promise<{ currentIndex: number; entries: { url: string }[] }>;
  /** The text to type, with {{secret:NAME}} filled where the policy allows. */
  fill: (text: string) => Promise<string>;
  /** Touch input for the page (a mobile context): a long press and a swipe are finger gestures, not mouse ones. */
  touch?: (type: 'touchStart' | 'touchMove' | 'touchEnd', point?: [number, number]) => Promise<void>;
}

/** How long a closed page waits for its browser's disconnect before the page is taken to have closed itself. */
const DISCONNECT_GRACE_MS = 250;

/**
 * A page closed while its browser stays up closed itself; a crashed or killed browser closes its
 * pages too, and its disconnect can be reported just after them, so it is awaited for a moment.
 */
async function closedByItself(page: Page): Promise<boolean> {
  if (!page.isClosed()) return false;
  const browser = page.context().browser();
  if (!browser) return page.context().pages().length > 0;
  if (browser.isConnected()) {
    await new Promise<void>((done) => {
      const timer = setTimeout(done, DISCONNECT_GRACE_MS);
      browser.once('disconnected', () => (clearTimeout(timer), done()));
    });
  }
  return browser.isConnected();
}

type Input<K extends ActionKind> = (action: ActionOf<K>, c: InputContext) => Promise<void>;

/** Frame pixels of a target → CSS px of the viewport. */
function units(frame: Frame, target: Target): [number, number] {
  return frameToUnits(frame, actingPoint(frame, target));
}

/** Real input for each action kind: Playwright's mouse and keyboard, page navigation. */
const INPUTS: { [K in ActionKind]: Input<K> } = {
  click: async (a, { page, frame }) => {
    const [x, y] = units(frame, a.target);
    try {
      if (a.count === 2) await page.mouse.dblclick(x, y, { button: a.button });
      else await page.mouse.click(x, y, { button: a.button });
    } catch (e) {
      // A click that closes its own tab (a popup's Close calling window.close()) can close the page
      // before the button's release is acknowledged: the click happened.
      if (!(await closedByItself(page))) throw e;
    }
  },
  hover: async (a, { page, frame }) => {
    const [x, y] = units(frame, a.target);
    await page.mouse.move(x, y);
  },
  drag: async (a, { page, frame }) => {
    const [fx, fy] = units(frame, a.from);
    const [tx, ty] = units(frame, a.to);
    await page.mouse.move(fx, fy);
    await page.mouse.down();
    // Intermediate moves: drag libraries wait for a movement threshold before starting.
    await page.mouse.move(fx + (tx - fx) * 0.1, fy + (ty - fy) * 0.1, { steps: 2 });
    await page.mouse.move(tx, ty, { steps: 8 });
    await page.mouse.up();
  },
  long_press: async (a, { page, frame, touch }) => {
    const [x, y] = units(frame, a.target);
    if (touch) {
      await touch('touchStart', [x, y]);
      await new Promise((r) => setTimeout(r, a.ms));
      await touch('touchEnd');
      return;
    }
    await page.mouse.move(x, y);
    await page.mouse.down();
    await new Promise((r) => setTimeout(r, a.ms));
    await page.mouse.up();
  },
  swipe: async (a, { page, frame, touch }) => {
    const [fx, fy] = units(frame, a.from);
    const [tx, ty] = units(frame, a.to);
    const steps = 10;
    if (touch) {
      await touch('touchStart', [fx, fy]);
      for (let i = 1; i <= steps; i++) {
        await new Promise((r) => setTimeout(r, a.ms / steps));
        await touch('touchMove', [fx + ((tx - fx) * i) / steps, fy + ((ty - fy) * i) / steps]);
      }
      await touch('touchEnd');
      return;
    }
    await page.mouse.move(fx, fy);
    await page.mouse.down();
    await page.mouse.move(tx, ty, { steps });
    await page.mouse.up();
  },
  type: async (a, { page, frame, fill }) => {
    if (a.target) {
      const [x, y] = units(frame, a.target);
      await page.mouse.click(x, y);
    }
    if (a.clear) {
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.press('Delete');
    }
    const text = await fill(a.text);
    // keyboard.type sends key events per character and falls back to insertText for
    // characters no key produces (Chinese, emoji); very long text goes in one piece.
    if (text.length > 500) await page.keyboard.insertText(text);
    else if (text) await page.keyboard.type(text);
    if (a.submit) await page.keyboard.press('Enter');
  },
  key: async (a, { page }) => {
    const chord = normalizeChord(a.keys);
    for (const k of chord) await page.keyboard.down(k);
    for (const k of [...chord].reverse()) await page.keyboard.up(k);
  },
  scroll: async (a, { page, frame }) => {
    const [x, y] = a.target ? units(frame, a.target) : frameToUnits(frame, [frame.width / 2, frame.height / 2]);
    const dx = a.direction === 'left' ? -WHEEL_NOTCH_PX : a.direction === 'right' ? WHEEL_NOTCH_PX : 0;
    const dy = a.direction === 'up' ? -WHEEL_NOTCH_PX : a.direction === 'down' ? WHEEL_NOTCH_PX : 0;
    await page.mouse.move(x, y);
    for (let i = 0; i < a.amount; i++) await page.mouse.wheel(dx, dy);
  },
  wait: (a) => new Promise((r) => setTimeout(r, a.ms)),
  navigate: async (a, { page, resolveUrl }) => {
    const url = resolveUrl(a.url);
    try {
      await page.goto(url, { waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS });
    } catch (e) {
      throw new Error(`navigate to ${url} failed: ${firstLine(e)}`);
    }
  },
  back: async (_a, { page, history }) => {
    const { currentIndex, entries } = await history();
    // The about:blank every new tab starts on is no page to go back to.
    if (currentIndex <= 0 || entries[currentIndex - 1].url === 'about:blank') {
      throw new Error('back: this tab has no earlier page in its history');
    }
    await page.goBack({ waitUntil: 'commit', timeout: NAVIGATION_TIMEOUT_MS });
  },
  finish: async () => {},
  fail: async () => {},
};

/** Performs one action on the page with real input. */
export function performInput(action: Action, c: InputContext): Promise<void> {
  return (INPUTS[action.action] as Input<ActionKind>)(action as ActionOf<ActionKind>, c);
}
