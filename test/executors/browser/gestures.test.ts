import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAction, type ActionInput } from '../../../src/core/actions.ts';
import { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';
import { startStaticServer, type StaticServer } from '../../../src/run/static-server.ts';
import { centreInFrame } from './browser-support.ts';

/**
 * Long press and swipe on the phone page (it reads gestures from pointer events and holds its
 * own record): as a finger on a touch page, and with the mouse held down on a page without touch.
 */
const ROOT = path.resolve(import.meta.dirname, '../../fixtures/mobile/tasks');
let server: StaticServer;
beforeAll(async () => {
  server = await startStaticServer(ROOT);
});
afterAll(async () => {
  await server?.close();
});

for (const isMobile of [true, false]) {
  describe(isMobile ? 'with touch (a phone context)' : 'without touch (the mouse stands in for the finger)', () => {
    let ex: BrowserExecutor;
    beforeAll(async () => {
      ex = await BrowserExecutor.launch({ viewport: [390, 844], deviceScaleFactor: 3, isMobile });
    });
    afterAll(async () => {
      await ex?.close();
    });
    const act = async (input: ActionInput) => ex.perform(parseAction(input), await ex.capture());
    const state = () => ex.evaluate('({ ...window.__state, touch: navigator.maxTouchPoints > 0, menu: getComputedStyle(document.getElementById("menu")).display })') as Promise<Record<string, unknown>>;

    it('a long press opens the item menu; a short tap does not', async () => {
      await ex.goto(server.resolve('/phone/index.html'));
      expect((await state()).touch).toBe(isMobile);
      const gifts = await centreInFrame(ex, '#lists li:nth-child(3)');
      await act({ action: 'click', target: { point: gifts } });
      expect(await state()).toMatchObject({ pressed: null, menu: 'none' });
      const groceries = await centreInFrame(ex, '#lists li:nth-child(1)');
      await act({ action: 'long_press', target: { point: groceries }, ms: 700 });
      expect(await state()).toMatchObject({ pressed: 'Groceries', menu: 'block' });
    });

    it('a swipe to the left shows the next card; back to the right shows the first again', async () => {
      await ex.goto(server.resolve('/phone/index.html'));
      const [cx, cy] = await centreInFrame(ex, '#cards');
      await act({ action: 'swipe', from: { point: [cx + 300, cy] }, to: { point: [cx - 300, cy] } });
      expect((await state()).card).toBe(2);
      await act({ action: 'swipe', from: { point: [cx - 300, cy] }, to: { point: [cx + 300, cy] }, ms: 200 });
      expect((await state()).card).toBe(1);
    });
  });
}
