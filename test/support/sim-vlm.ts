import type { Frame as PwFrame, Locator, Page } from 'playwright-core';
import { getProfile } from '../../agents/families.ts';
import { splitTaskText } from '../../agents/profile/prompt-parts.ts';
import { ProfileAgent } from '../../agents/profile/profile-agent.ts';
import type { ChatPart, CompletionRequest, CompletionResult, ModelClient } from '../../src/core/model-client.ts';

/**
 * A simulated VLM behind the generic family's protocol (JSON actions, boxes in thousandths of the
 * image it was sent), scripted to solve the seeded suite: it reads the step instruction from the
 * prompt, finds the element it names in the live page (any frame, canvas items by the layout the
 * page publishes), and answers with real-input actions. Only the model is simulated; the
 * ProfileAgent, the prompt, the parser and the coordinates are the product's own.
 */

type CssBox = [number, number, number, number];

export interface SimVlmOptions {
  /** The page to read: the run's active tab. */
  page: () => Page;
  /** Time each answer takes (a served 9B VLM: a second or more). */
  latencyMs?: number;
}

const Q = '"((?:[^"\\\\]|\\\\.)*)"';
const CLICK = new RegExp(`^(Click|Double-click|Right-click|Hover over) ${Q}$`);
const TYPE = new RegExp(`^Type ${Q}(?: into ${Q})?(, replacing what is there)?(, then press Enter)?$`);
const SCROLL = new RegExp(`^Scroll (up|down)(?: over ${Q})? until ${Q} is visible$`);
const SELECT = new RegExp(`^Select ${Q}(?: in ${Q})?$`);
const DRAG = new RegExp(`^Drag ${Q} onto ${Q}$`);
const PRESS = /^Press (.+)$/;

async function firstVisible(loc: Locator): Promise<CssBox | undefined> {
  const n = await loc.count().catch(() => 0);
  let offscreen: CssBox | undefined;
  for (let i = 0; i < n; i++) {
    const el = loc.nth(i);
    if (!(await el.isVisible().catch(() => false))) continue;
    const b = await el.boundingBox().catch(() => null);
    if (!b || b.width < 1 || b.height < 1) continue;
    const box: CssBox = [b.x, b.y, b.x + b.width, b.y + b.height];
    if (b.y + b.height > 0 && b.x + b.width > 0) return box;
    offscreen ??= box;
  }
  return offscreen;
}

/** An element by its visible text (then role name) in any frame, or a canvas item by the page's published layout. */
async function elementBox(page: Page, label: string): Promise<CssBox | undefined> {
  const layout = (await page.evaluate('window.__state && window.__state.layout').catch(() => null)) as { name: string; x: number; y: number; w: number; h: number }[] | null;
  const item = Array.isArray(layout) ? layout.find((i) => i.name === label) : undefined;
  if (item) {
    const c = (await page.locator('canvas').first().boundingBox())!;
    return [c.x + item.x, c.y + item.y, c.x + item.x + item.w, c.y + item.y + item.h];
  }
  for (const f of page.frames()) {
    const box = (await firstVisible(f.getByText(label, { exact: true }))) ?? (await firstVisible(f.getByRole('button', { name: label, exact: true })));
    if (box) return box;
  }
  // A label followed by smaller text in the same element ("Item 73 new").
  for (const f of page.frames()) {
    const box = await firstVisible(f.getByText(startsWith(label)));
    if (box) return box;
  }
  return undefined;
}

function startsWith(label: string): RegExp {
  return new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d])`);
}

async function fieldBox(page: Page, label: string): Promise<CssBox | undefined> {
  for (const f of page.frames() as PwFrame[]) {
    const box = (await firstVisible(f.getByLabel(label, { exact: true }))) ?? (await firstVisible(f.getByPlaceholder(label, { exact: true })));
    if (box) return box;
  }
  return undefined;
}

export class SimulatedVlm implements ModelClient {
  readonly name = 'sim-vlm';
  calls = 0;
  readonly instructions: string[] = [];

  constructor(private readonly o: SimVlmOptions) {}

  /** The agent a run uses: the product's VLM agent (generic family) talking to this model. */
  agent(): ProfileAgent {
    return new ProfileAgent({ profile: getProfile('generic'), client: this });
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    const t0 = performance.now();
    this.calls++;
    const text = req.messages.flatMap((m) => (typeof m.content === 'string' ? [m.content] : (m.content as ChatPart[]).flatMap((p) => (p.type === 'text' ? [p.text] : [])))).join('\n');
    const task = /\nTask: ([\s\S]*?)\n\nSafety:/.exec(text)?.[1] ?? /^Task: (.*)$/m.exec(text)?.[1] ?? '';
    const { instruction } = splitTaskText(task);
    this.instructions.push(instruction);
    const latency = this.o.latencyMs ? new Promise((r) => setTimeout(r, this.o.latencyMs)) : undefined;
    const actions = await this.answer(instruction).catch((e: Error) => [{ action: 'fail', reason: `simulated model: ${e.message.split('\n')[0]}` }]);
    await latency;
    const reply = JSON.stringify({ reasoning: `To follow "${instruction}" I act on the target.`, actions });
    return { text: reply, usage: { inputTokens: 1200, outputTokens: 60 }, timings: { totalMs: performance.now() - t0 }, finishReason: 'stop' };
  }

  private async answer(instruction: string): Promise<unknown[]> {
    const page = this.o.page();
    const vp = page.viewportSize()!;
    const th = (b: CssBox) => [(b[0] / vp.width) * 1000, (b[1] / vp.height) * 1000, (b[2] / vp.width) * 1000, (b[3] / vp.height) * 1000].map((v) => Math.round(Math.min(1000, Math.max(0, v))));
    const need = async (box: Promise<CssBox | undefined>, what: string) => {
      const b = await box;
      if (!b) throw new Error(`no ${what} on the page`);
      return { box: th(b) };
    };
    let m: RegExpExecArray | null;
    if ((m = CLICK.exec(instruction))) {
      const target = await need(elementBox(page, JSON.parse(`"${m[2]}"`)), `element "${m[2]}"`);
      if (m[1] === 'Hover over') return [{ action: 'hover', target }];
      return [{ action: 'click', target, button: m[1] === 'Right-click' ? 'right' : 'left', count: m[1] === 'Double-click' ? 2 : 1 }];
    }
    if ((m = TYPE.exec(instruction))) {
      const text = JSON.parse(`"${m[1]}"`);
      const target = m[2] ? await need(fieldBox(page, JSON.parse(`"${m[2]}"`)), `field "${m[2]}"`) : undefined;
      // A careful model replaces what the field holds.
      return [{ action: 'type', text, ...(target ? { target, clear: true } : {}), submit: !!m[4] }];
    }
    if ((m = PRESS.exec(instruction))) return [{ action: 'key', keys: m[1].split('+') }];
    if ((m = SCROLL.exec(instruction))) return this.scrollTo(page, JSON.parse(`"${m[3]}"`), th);
    if ((m = SELECT.exec(instruction))) return this.select(page, JSON.parse(`"${m[1]}"`), th);
    if ((m = DRAG.exec(instruction))) {
      const from = await need(elementBox(page, JSON.parse(`"${m[1]}"`)), `element "${m[1]}"`);
      const to = await need(elementBox(page, JSON.parse(`"${m[2]}"`)), `element "${m[2]}"`);
      return [{ action: 'drag', from, to }];
    }
    throw new Error(`the script has no answer for ${JSON.stringify(instruction)}`);
  }

  /** Scrolls the page (or the list holding the text) far enough to bring it to the upper half of the view. */
  private async scrollTo(page: Page, text: string, th: (b: CssBox) => number[]): Promise<unknown[]> {
    for (const f of page.frames()) {
      let loc = f.getByText(text, { exact: true }).first();
      if (!(await loc.count())) loc = f.getByText(startsWith(text)).first();
      if (!(await loc.count())) continue;
      const b = (await loc.boundingBox())!;
      const vp = page.viewportSize()!;
      const container = (await loc.evaluate((el) => {
        for (let n = el.parentElement; n && n !== document.body && n !== document.documentElement; n = n.parentElement) {
          const st = getComputedStyle(n);
          if (/(auto|scroll)/.test(st.overflowY) && n.scrollHeight > n.clientHeight) {
            const r = n.getBoundingClientRect();
            return [r.left, r.top, r.right, r.bottom];
          }
        }
        return null;
      })) as CssBox | null;
      const [top, bottom] = container ? [container[1], container[3]] : [0, vp.height];
      if (b.y >= top && b.y + b.height <= bottom) return [{ action: 'wait', ms: 0 }];
      const delta = b.y - (top + (bottom - top) * 0.4);
      const amount = Math.max(1, Math.ceil(Math.abs(delta) / 100));
      return [{ action: 'scroll', direction: delta > 0 ? 'down' : 'up', amount, ...(container ? { target: { box: th(container) } } : {}) }];
    }
    throw new Error(`no text "${text}" on the page`);
  }

  /** A native select: click it, arrow keys to the option, Enter (its popup is never painted); else click the option's text. */
  private async select(page: Page, option: string, th: (b: CssBox) => number[]): Promise<unknown[]> {
    const found = (await page.evaluate((want) => {
      for (const s of document.querySelectorAll('select')) {
        const idx = [...s.options].findIndex((o) => o.text.trim() === want);
        if (idx < 0) continue;
        const r = s.getBoundingClientRect();
        return { box: [r.left, r.top, r.right, r.bottom], from: s.selectedIndex, to: idx };
      }
      return null;
    }, option)) as { box: CssBox; from: number; to: number } | null;
    if (!found) {
      const b = await elementBox(page, option);
      if (!b) throw new Error(`no option "${option}" on the page`);
      return [{ action: 'click', target: { box: th(b) } }];
    }
    const steps = found.to - found.from;
    const arrows = Array.from({ length: Math.abs(steps) }, () => ({ action: 'key', keys: [steps > 0 ? 'ArrowDown' : 'ArrowUp'] }));
    return [{ action: 'click', target: { box: th(found.box) } }, ...arrows, { action: 'key', keys: ['Enter'] }];
  }
}
