// Goals the grammar cannot read, read against a real rendering with the real OCR: the one label
// they name word for word is clicked; anything that says more, or names two labels, is refused.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedAgent } from '../../../../agents/embedded/embedded-agent.ts';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { renderPage, type RenderedPage } from '../ground/render-page.ts';

const html = readFileSync(path.join(import.meta.dirname, '../../../fixtures/ground/app-shell.html'), 'utf8');
let browser: Browser;
let page: RenderedPage;
const boxOf = (id: string) => page.targets.find((t) => t.desc === id)!.box;
const inside = ([x, y]: [number, number], [x1, y1, x2, y2]: number[]) => x >= x1 - 1 && x <= x2 + 1 && y >= y1 - 1 && y <= y2 + 1;
type Act = { action: string; target?: { point: [number, number] }; reason?: string };
const decide = async (goal: string) => {
  const d = await new EmbeddedAgent().decide({ goal, frame: page.frame, history: [] });
  return { act: d.actions[0] as Act, notes: d.notes as Record<string, unknown> };
};

beforeAll(async () => {
  browser = await launchChromium();
  page = await renderPage(browser, html.replace(/id="([\w-]+)"/g, 'id="$1" data-desc="$1"'), { viewport: { width: 900, height: 420 } });
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

describe('goals read against the screen when the grammar cannot read them', () => {
  it('clicks the one label the goal names, when the rest only says to go there', async () => {
    for (const [goal, id] of [
      ['go to my profile', 'nav-profile'],
      ['go to the week view', 'view-week'],
      ['take me to Instances please', 'nav-instances'],
      // Where it is, said as a place, is no more than where to look.
      ['go to Billing in the top bar', 'nav-billing'],
    ] as const) {
      const { act, notes } = await decide(goal);
      expect(act.action, `${goal}: ${act.reason}`).toBe('click');
      expect(inside(act.target!.point, boxOf(id)), goal).toBe(true);
      expect(['screen', 'target']).toContain(notes.readAs);
    }
  });

  it('refuses when the goal says more than the label, or names two labels, and says why', async () => {
    const more = await decide('go to week 32');
    expect(more.act.action).toBe('fail');
    expect(more.act.reason).toMatch(/"Week" is on screen, but the goal says more than to click it: 32/);
    const two = await decide('go to Billing or Profile');
    expect(two.act.action).toBe('fail');
    expect(two.act.reason).toMatch(/names more than one thing on screen: "Billing", "Profile"|"Profile", "Billing"/);
    // Nothing on screen named: the grammar's own message.
    const none = await decide('go get a coffee');
    expect(none.act.action).toBe('fail');
    expect(none.act.reason).toMatch(/does not start with an instruction I know/);
  });

  it('takes an action on its heading\'s line as near the heading, however long the line', async () => {
    const { act } = await decide("Click 'Clear all' in the Filters panel");
    expect(act.action, act.reason).toBe('click');
    expect(inside(act.target!.point, boxOf('clear-all'))).toBe(true);
  });
});
