import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { FAMILIES, getProfile } from '../../../agents/families.ts';
import { ProfileAgent } from '../../../agents/profile/profile-agent.ts';
import type { MarkedElement } from '../../../agents/profile/profile.ts';
import { sentSize } from '../../../agents/profile/sent-image.ts';
import { MARK_PALETTE } from '../../../kernels/set-of-marks.ts';
import { parseAction, targetPoint, type Action } from '../../../src/core/actions.ts';
import { AgentError, type HistoryEntry } from '../../../src/core/agent.ts';
import { OpenAiClient } from '../../../src/model-clients/openai.ts';
import type { Frame, RgbImage } from '../../../src/core/frame.ts';
import type { SimBox } from '../../../agents/profile/simulate.ts';
import { startSimServer, type AnswerKey, type SimServer } from '../../support/sim-server.ts';

/** A grey screen with one red target box (frame pixels). */
async function redBoxFrame(width: number, height: number, box: SimBox, scale = 1): Promise<Frame> {
  const [x1, y1, x2, y2] = box;
  const image = await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 200, b: 200 } } })
    .composite([{ input: { create: { width: x2 - x1, height: y2 - y1, channels: 3, background: { r: 230, g: 0, b: 0 } } }, left: x1, top: y1 }])
    .png()
    .toBuffer();
  return { image, format: 'png', width, height, scale, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
}

/** The answer key reads the screenshot it was sent: the bounding box of the red pixels. */
function findRed(img: RgbImage): SimBox | undefined {
  let x1 = Infinity, y1 = Infinity, x2 = -1, y2 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 3;
      if (img.data[i] > 180 && img.data[i + 1] < 60 && img.data[i + 2] < 60) {
        if (x < x1) x1 = x;
        if (y < y1) y1 = y;
        if (x > x2) x2 = x;
        if (y > y2) y2 = y;
      }
    }
  }
  return x2 < 0 ? undefined : [x1, y1, x2 + 1, y2 + 1];
}

const redKey: AnswerKey = async (_instruction, _size, ctx) => {
  const box = findRed(await ctx.rgb());
  return box ? { kind: 'click', box, label: 'OK' } : undefined;
};

let servers: SimServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function setup(family: string, answerKey: AnswerKey = redKey, extra: { elements?: () => Promise<MarkedElement[]>; budget?: number } = {}) {
  const sim = await startSimServer({ family, answerKey, chunkChars: 32 });
  servers.push(sim);
  const engine = new OpenAiClient({ baseUrl: sim.baseUrl, model: family, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
  const agent = new ProfileAgent({ profile: getProfile(family), client: engine, elements: extra.elements, thinkingBudgetTokens: extra.budget });
  return { sim, agent };
}

const inBox = ([x, y]: [number, number], [x1, y1, x2, y2]: SimBox) => x >= x1 && x <= x2 && y >= y1 && y <= y2;

describe('ProfileAgent through the OpenAI engine and the simulated server', () => {
  const target: SimBox = [2990, 1710, 3090, 1760]; // a 50x25 CSS-px button at DPR 2
  const coordinateFamilies = FAMILIES.filter((f) => !getProfile(f).setOfMarks);
  for (const family of coordinateFamilies) {
    it(`${family}: sends the exact server size and lands inside the target on a 3840x2160 frame`, async () => {
      const { sim, agent } = await setup(family);
      const frame = await redBoxFrame(3840, 2160, target, 2);
      const d = await agent.decide({ goal: 'Click "OK"', frame, history: [] });
      expect(d.parseError).toBeUndefined();
      const action = parseAction(d.actions[0]);
      expect(action.action).toBe('click');
      const p = targetPoint((action as Extract<Action, { action: 'click' }>).target);
      expect(inBox(p, target), `click at ${p} should be inside ${target}`).toBe(true);
      const want = sentSize(3840, 2160, getProfile(family).resize);
      expect([d.sentImage!.width, d.sentImage!.height]).toEqual([want.width, want.height]);
      expect(sim.requests.at(-1)!.imageSize).toEqual(want);
      expect(d.raw).toBeTruthy();
      expect(d.usage!.outputTokens).toBeGreaterThan(0);
      expect(d.timings!.modelMs).toBeGreaterThan(0);
      if (family === 'glm-4.5v:nothink') expect(sim.requests.at(-1)!.body.chat_template_kwargs).toEqual({ enable_thinking: false });
      if (family.startsWith('glm-4.1v')) expect(d.reasoning).toContain('I need to find the element');
    });
  }

  it('set-of-marks: draws numbered marks, the model names one, the target is that element', async () => {
    const elements: MarkedElement[] = [
      { id: 1, box: [100, 100, 300, 160], tag: '<input>', text: 'Username' },
      { id: 2, box: [100, 200, 300, 260], tag: '<button>', text: 'Sign in' },
    ];
    const key: AnswerKey = () => ({ kind: 'click', box: [0, 0, 1, 1], label: 'Sign in' });
    const { sim, agent } = await setup('glm-4.1v-thinking:som', key, { elements: async () => elements });
    const frame = await redBoxFrame(1280, 720, [900, 600, 950, 650]);
    const d = await agent.decide({ goal: 'Sign in', frame, history: [] });
    const action = parseAction(d.actions[0]) as Extract<Action, { action: 'click' }>;
    expect(action.target.box).toEqual([100, 200, 300, 260]);
    expect(action.target.label).toBe('Sign in');
    expect(sim.requests.at(-1)!.reply).toMatch(/Action: Click \[2\]/);
    expect(sim.requests.at(-1)!.body.messages[0].content.at(-1).text).toContain('[2]: <button> "Sign in";');
    // The second mark's outline colour is on the sent image at the element's top edge.
    const raw = await sharp(d.sentImage!.data).raw().toBuffer({ resolveWithObject: true });
    const sx = d.sentImage!.width / 1280;
    const sy = d.sentImage!.height / 720;
    const [r, g, b] = MARK_PALETTE[1];
    const i = (Math.round(200 * sy) * raw.info.width + Math.round(250 * sx)) * 3;
    expect(Math.abs(raw.data[i] - r) + Math.abs(raw.data[i + 1] - g) + Math.abs(raw.data[i + 2] - b)).toBeLessThan(90);
    expect((d.notes?.marks as Array<{ id: number; box: number[] }>).map((m) => m.id)).toEqual([1, 2]);
  });

  it('thinking budget: endless thinking is cut and the answer forced the GLM way, recorded in notes', async () => {
    const { sim, agent } = await setup('glm-4.1v-thinking', redKey, { budget: 60 });
    sim.inject('endless-thinking');
    const frame = await redBoxFrame(1280, 720, [600, 300, 700, 340]);
    const d = await agent.decide({ goal: 'Click "OK"', frame, history: [] });
    expect(d.notes?.forcedAnswer).toMatchObject({ budgetTokens: 60, reason: 'reasoning_budget' });
    const p = targetPoint((parseAction(d.actions[0]) as Extract<Action, { action: 'click' }>).target);
    expect(inBox(p, [600, 300, 700, 340])).toBe(true);
    const cont = sim.requests.at(-1)!.body;
    expect(cont.continue_final_message).toBe(true);
    expect(cont.add_generation_prompt).toBe(false);
    expect(cont.messages.at(-1).role).toBe('assistant');
    expect(cont.messages.at(-1).content).toMatch(/^<think>Let me think[\s\S]*<\/think><answer>$/);
  });

  it('repetition loops are cut by the same budget', async () => {
    const { sim, agent } = await setup('glm-4.5v', redKey, { budget: 60 });
    sim.inject('repetition');
    const d = await agent.decide({ goal: 'Click "OK"', frame: await redBoxFrame(1280, 720, [600, 300, 700, 340]), history: [] });
    expect(d.notes?.forcedAnswer).toBeDefined();
    expect(parseAction(d.actions[0]).action).toBe('click');
  });

  for (const family of coordinateFamilies) {
    it(`${family}: out-of-range, malformed and unknown replies give no action and an error, then a repair prompt fixes it`, async () => {
      const { sim, agent } = await setup(family);
      const frame = await redBoxFrame(1280, 720, [600, 300, 700, 340]);
      for (const [fault, message] of [['out-of-range', /outside 0\.\./], ['malformed', /no action|no "Action:"|JSON|no <tool_call>|has none|<tool_call> 1/], ['unknown-action', /unknown action|unknown tool|is not one of/]] as const) {
        sim.inject(fault);
        const bad = await agent.decide({ goal: 'Click "OK"', frame, history: [] });
        expect(bad.actions).toEqual([]);
        expect(bad.parseError?.message).toMatch(message);
        const fixed = await agent.decide({ goal: 'Click "OK"', frame, history: [], feedback: bad.parseError!.message });
        expect(fixed.notes?.repair).toBe(bad.parseError!.message);
        const msgs = sim.requests.at(-1)!.body.messages;
        expect(msgs.at(-2).role).toBe('assistant');
        expect(msgs.at(-2).content).not.toContain('<think>');
        expect(msgs.at(-1).content).toContain('could not be used');
        expect(inBox(targetPoint((parseAction(fixed.actions[0]) as Extract<Action, { action: 'click' }>).target), [600, 300, 700, 340])).toBe(true);
      }
    });
  }

  it('engine failures become AgentErrors: 400 is final, exhausted 5xx retries are retryable', async () => {
    const { sim, agent } = await setup('qwen2.5-vl');
    const frame = await redBoxFrame(640, 360, [10, 10, 50, 50]);
    sim.inject('http-400');
    const e1 = await agent.decide({ goal: 'x', frame, history: [] }).catch((e) => e);
    expect(e1).toBeInstanceOf(AgentError);
    expect(e1.retryable).toBe(false);
    expect(e1.message).toMatch(/400.*1 image per prompt/);
    sim.inject('http-500', 'http-500', 'http-500', 'http-500');
    const e2 = await agent.decide({ goal: 'x', frame, history: [] }).catch((e) => e);
    expect(e2).toBeInstanceOf(AgentError);
    expect(e2.retryable).toBe(true);
  });

  it('GLM-4.1V history: current screenshot first, then up to four earlier ones at half size; no thinking carried over', async () => {
    const { sim, agent } = await setup('glm-4.1v-thinking');
    const frame = await redBoxFrame(1920, 1080, [100, 100, 200, 150]);
    const history: HistoryEntry[] = [];
    for (let i = 0; i < 6; i++) {
      history.push({ index: i, instruction: 'Click "OK"', actions: [parseAction({ action: 'click', target: { point: [5, 5], label: `b${i}` } })], outcome: 'done', frame: await redBoxFrame(1920, 1080, [10 * i, 0, 10 * i + 20, 20]) });
    }
    await agent.decide({ goal: 'Click "OK"', frame, history });
    const parts = sim.requests.at(-1)!.body.messages[0].content;
    const images = parts.filter((p: any) => p.type === 'image_url');
    expect(images).toHaveLength(5);
    const sizes = await Promise.all(images.map(async (p: any) => sharp(Buffer.from(p.image_url.url.split(',')[1], 'base64')).metadata()));
    expect([sizes[0].width, sizes[0].height]).toEqual([1932, 1092]);
    for (const s of sizes.slice(1)) expect([s.width, s.height]).toEqual([952, 560]);
    // Oldest first, as gui_agent_41v.py orders them: the red marks of steps 3..6 move right.
    const reds = await Promise.all(
      images.slice(1).map(async (p: any) => {
        const raw = await sharp(Buffer.from(p.image_url.url.split(',')[1], 'base64')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        return findRed({ data: new Uint8Array(raw.data), width: raw.info.width, height: raw.info.height })![0];
      }),
    );
    expect(reds).toEqual([...reds].sort((a, b) => a - b));
    expect(reds[0]).toBeGreaterThan(0);
    const text = parts.at(-1).text as string;
    // Steps no model reply explains are told by what was done; with a reply, the reply itself.
    expect(text).toContain('History actions:\nstep 1: (click on "b0": done)');
    expect(text).toContain('\nstep 6: (click on "b5": done)\nMemory:\n[]');
    expect(text).not.toContain('I need to find');
  });

  it('a "type into" step takes two replies from a one-action family: click (step not complete), then type', async () => {
    const key: AnswerKey = async (_i, _s, ctx) => [
      { kind: 'click', box: findRed(await ctx.rgb())!, label: 'Username' },
      { kind: 'type', text: 'alice' },
    ];
    const { agent } = await setup('glm-4.1v-thinking', key);
    const frame = await redBoxFrame(1280, 720, [400, 200, 600, 240]);
    const step = { type: { text: 'alice', into: 'Username' } };
    const first = await agent.decide({ step, stepIndex: 0, frame, history: [] });
    expect(parseAction(first.actions[0]).action).toBe('click');
    expect(first.stepComplete).toBe(false);
    const history: HistoryEntry[] = [{ index: 0, instruction: 'Type "alice" into "Username"', actions: [parseAction(first.actions[0])], outcome: 'done' }];
    const second = await agent.decide({ step, stepIndex: 0, frame, history });
    expect(parseAction(second.actions[0])).toMatchObject({ action: 'type', text: 'alice' });
    expect(second.stepComplete).toBe(true);
  });
});

describe('native tool calls (GLM-4.6V)', () => {
  it('a server without a tool parser: the calls in the text are read, and the trace says so', async () => {
    const sim = await startSimServer({ family: 'glm-4.6v', answerKey: redKey, tools: 'text' });
    servers.push(sim);
    const agent = new ProfileAgent({ profile: getProfile('glm-4.6v'), client: new OpenAiClient({ baseUrl: sim.baseUrl, model: 'glm-4.6v' }) });
    const d = await agent.decide({ goal: 'Click "OK"', frame: await redBoxFrame(1280, 720, [600, 300, 700, 340]), history: [] });
    expect(d.toolCalls).toBeUndefined();
    expect(d.notes?.toolCalls).toMatch(/read from the text/);
    expect(inBox(targetPoint((parseAction(d.actions[0]) as Extract<Action, { action: 'click' }>).target), [600, 300, 700, 340])).toBe(true);
  });

  it('a server that refuses tools: an unreachable-model error that says how to serve the family', async () => {
    const sim = await startSimServer({ family: 'glm-4.6v', answerKey: redKey, tools: 'refused' });
    servers.push(sim);
    const agent = new ProfileAgent({ profile: getProfile('glm-4.6v'), client: new OpenAiClient({ baseUrl: sim.baseUrl, model: 'glm-4.6v' }) });
    const e = await agent.decide({ goal: 'Click "OK"', frame: await redBoxFrame(640, 360, [10, 10, 50, 50]), history: [] }).catch((x) => x);
    expect(e).toBeInstanceOf(AgentError);
    expect(e.details.unreachable).toBe('model');
    expect(e.message).toMatch(/400.*--enable-auto-tool-choice/);
    expect(e.message).toContain('the glm-4.6v family calls tools natively');
    expect(e.message).toContain('--tool-call-parser glm45');
  });

  it('history goes back as assistant tool calls answered by tool results, the last screenshots before their turns', async () => {
    const { sim, agent } = await setup('glm-4.6v');
    const first = await agent.decide({ goal: 'Click "OK"', frame: await redBoxFrame(1280, 720, [600, 300, 700, 340]), history: [] });
    const history: HistoryEntry[] = [
      { index: 0, instruction: 'Click "OK"', actions: [parseAction(first.actions[0])], outcome: 'done', frame: await redBoxFrame(1280, 720, [600, 300, 700, 340]), reply: { text: first.raw!, toolCalls: first.toolCalls } },
    ];
    await agent.decide({ goal: 'Click "OK"', frame: await redBoxFrame(1280, 720, [100, 100, 200, 150]), history });
    const msgs = sim.requests.at(-1)!.body.messages;
    expect(msgs.map((m: any) => m.role)).toEqual(['user', 'user', 'assistant', 'tool', 'user']);
    expect(msgs[2].tool_calls[0]).toMatchObject({ id: first.toolCalls![0].id, type: 'function', function: { name: 'left_click' } });
    expect(msgs[3]).toMatchObject({ role: 'tool', tool_call_id: first.toolCalls![0].id, content: 'done' });
    expect(sim.requests.at(-1)!.historySteps).toBe(1);
  });
});
