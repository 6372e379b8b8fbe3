// The action icons of a feed's posts, named by what they do and whose post they are on ("the
// retweet button on the tweet by @mali", "reply to Emile's tweet", 'Click the "Share" button on
// the tweet by @leo'), on a real rendering read by the real OCR and matched against the real
// icon lexicon. The author's name is on the avatar's line; the icons are a line below it, in the post's card.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGoal } from '../../../../agents/embedded/instruction/read-goal.ts';
import { locateIcon } from '../../../../agents/embedded/ground/ground-icon.ts';
import { pointInBox } from './render-page.ts';
import { renderedScreen } from './rendered-screen.ts';

const svg = (name: string): string =>
  readFileSync(path.join(import.meta.dirname, `../../../../node_modules/lucide-static/icons/${name}.svg`), 'utf8').replace(/<svg /, '<svg width="16" height="16" ');
const ACTIONS = ['corner-up-left', 'repeat', 'heart', 'share-2'];
const people = [['Emile', 'emile', 'Vitae sed quam. Nunc egestas.'], ['Mali', 'mali', 'Tristique aenean eu, amet.'], ['Leo', 'leo', 'Faucibus felis id. Risus quis.']];
const posts = people
  .map(([name, handle, text]) => `<div class="post"><div class="avatar"></div><div><b>${name}</b> <span class="h">@${handle}</span> · 3h<p>${text}</p>
  <div class="acts">${ACTIONS.map((a) => `<button data-desc="${handle}-${a}">${svg(a)}</button>`).join('')}</div></div></div>`)
  .join('');
const html = `<!doctype html><html><head><style>
body{font:14px "DejaVu Sans",sans-serif;margin:16px;width:380px;background:#f1f5f9}
.post{display:flex;gap:10px;padding:10px;margin-bottom:12px;border:1px solid #cbd5e1;border-radius:10px;background:#fff}.avatar{width:34px;height:34px;border-radius:50%;background:#7c6fd6;flex:none}
p{margin:4px 0 6px}.h{color:#0ea5e9}.acts{display:flex;gap:34px}button{border:0;background:none;padding:2px;color:#64748b}
</style></head><body>${posts}</body></html>`;

const screen = renderedScreen(html, { viewport: { width: 420, height: 420 } });
const look = (description: string) => locateIcon(description, { ocr: screen.ocr, rgb: screen.page.rgb, frame: screen.page.frame });
/** The reading's first step, then its alternatives, as the agent tries them: the first found. */
async function lookFor(goal: string) {
  const read = readGoal(goal);
  let r;
  for (const step of [read.steps[0], ...(read.alternatives[0] ?? [])] as Array<{ click: string }>) {
    r = await look(step.click);
    if (r?.match) return r;
  }
  return r;
}

describe("a post's action icon, placed by the post's author", () => {
  it.each([
    ['Click the retweet button on the tweet by @mali.', 'mali-repeat'],
    ["reply to Emile's tweet", 'emile-corner-up-left'],
    ['Click the "Share" button on the tweet by @leo.', 'leo-share-2'],
  ])('%s', async (goal, id) => {
    const r = await lookFor(goal);
    expect(r?.match, r?.message).toBeDefined();
    expect(pointInBox(r!.match!.point, screen.boxOf(id))).toBe(true);
  });

  it('refuses a post whose author is not on screen, naming the author sought', async () => {
    const r = await lookFor('Click the retweet button on the tweet by @nulla.');
    expect(r?.match).toBeUndefined();
    expect(r?.message).toMatch(/nulla/);
  });
});
