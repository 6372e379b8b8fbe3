import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FAMILIES, getProfile } from '../../../agents/families.ts';
import { ProfileAgent } from '../../../agents/profile/profile-agent.ts';
import type { MarkedElement } from '../../../agents/profile/profile.ts';
import { parseAction } from '../../../src/core/actions.ts';
import type { ExecutorView, HistoryEntry } from '../../../src/core/agent.ts';
import type { Frame } from '../../../src/core/frame.ts';
import type { CompletionRequest, CompletionResult, ModelClient, ToolCall } from '../../../src/core/model-client.ts';
import { chatCompletionBody } from '../../../src/model-clients/openai.ts';

/**
 * The request of the third step of a three-step episode, for every family, compared with a
 * golden file written from the family's official source (the layout each family folder cites:
 * where images go and at what size, the history text, memory, tools). Images are replaced by
 * their size. The agent runs as the loop drives it: each step's reply and memory go back into
 * the history of the next. `UPDATE_GOLDEN=1` rewrites the files (review the diff against the
 * sources before committing one).
 */

const DIR = path.join(import.meta.dirname, '../../fixtures/golden-requests');
const TASK = 'Open the Settings page and turn on dark mode';

/** Three replies per grammar, as the model writes them (the first two go back as history). */
const REPLIES: Record<string, Array<{ text: string; toolCalls?: ToolCall[] }>> = {
  'glm-4.1v-thinking': [
    { text: "<think>The home screen is shown.</think><answer>I can see the home page with a Settings link in the top bar. I'll click it.\n<|begin_of_box|>left_click(start_box='[912,45]', element_info='Settings link')<|end_of_box|>\nMemory:\n[]</answer>" },
    { text: "<think>Settings is open.</think><answer>The Settings page is open and shows an Appearance section. I'll click the dark mode switch.\n<|begin_of_box|>left_click(start_box='[640,380]', element_info='Dark mode switch')<|end_of_box|>\nMemory:\n[{\"page\": \"settings\"}]</answer>" },
    { text: '<think>Dark mode is on.</think><answer>Dark mode is now on.\n<|begin_of_box|>DONE()<|end_of_box|>\nMemory:\n[]</answer>' },
  ],
  'glm-4.5v': [
    { text: "I can see the home page with a Settings link in the top bar. I'll click it.\n<|begin_of_box|>left_click(start_box='[912, 45]', element_info='Settings link')<|end_of_box|>\nMemory:\n[]" },
    { text: "The Settings page is open and shows an Appearance section. I'll click the dark mode switch.\n<|begin_of_box|>left_click(start_box='[640, 380]', element_info='Dark mode switch')<|end_of_box|>\nMemory:\n[{\"page\": \"settings\"}]" },
    { text: 'Dark mode is now on.\n<|begin_of_box|>DONE()<|end_of_box|>\nMemory:\n[]' },
  ],
  som: [
    { text: 'Thought: The Settings link is labelled 1.\nAction: Click [1]\nMemory_Updated: {}' },
    { text: 'Thought: The dark mode switch is labelled 2.\nAction: Click [2]\nMemory_Updated: {"page": "settings"}' },
    { text: 'Thought: Dark mode is on.\nAction: ANSWER; <content>done</content>\nMemory_Updated: {}' },
  ],
  'glm-4.6v': [
    { text: "I can see the Settings link in the top bar. I'll click it.", toolCalls: [{ id: 'call_1', name: 'left_click', arguments: '{"start_box": [912, 45], "element_info": "Settings link"}' }] },
    { text: "The Settings page is open. I'll click the dark mode switch.", toolCalls: [{ id: 'call_2', name: 'left_click', arguments: '{"start_box": [640, 380], "element_info": "Dark mode switch"}' }] },
    { text: 'Dark mode is on.', toolCalls: [{ id: 'call_3', name: 'DONE', arguments: '{}' }] },
  ],
  'ui-tars-1.0': [
    { text: "Thought: The Settings link is in the top bar; I click it.\nAction: click(start_box='(912,45)')" },
    { text: "Thought: The dark mode switch is in the Appearance section; I click it.\nAction: click(start_box='(640,380)')" },
    { text: 'Thought: Dark mode is on.\nAction: finished()' },
  ],
  'ui-tars-1.5': [
    { text: "Thought: The Settings link is in the top bar; I click it.\nAction: click(start_box='(1762,49)')" },
    { text: "Thought: The dark mode switch is in the Appearance section; I click it.\nAction: click(start_box='(1236,415)')" },
    { text: "Thought: Dark mode is on.\nAction: finished(content='done')" },
  ],
  'ui-tars-2': [
    { text: "Thought: The Settings link is in the top bar; I click it.\nAction: click(point='<point>912 45</point>')" },
    { text: "Thought: The dark mode switch is in the Appearance section; I click it.\nAction: click(point='<point>640 380</point>')" },
    { text: "Thought: Dark mode is on.\nAction: finished(content='done')" },
  ],
  'qwen2.5-vl': [
    { text: '<tool_call>\n{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [1762, 49]}}\n</tool_call>' },
    { text: '<tool_call>\n{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [1236, 415]}}\n</tool_call>' },
    { text: '<tool_call>\n{"name": "computer_use", "arguments": {"action": "terminate", "status": "success"}}\n</tool_call>' },
  ],
  'qwen3-vl': [
    { text: 'Thought: The Settings link is in the top bar.\nAction: "Click the Settings link."\n<tool_call>\n{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [912, 45]}}\n</tool_call>' },
    { text: 'Thought: The dark mode switch is in Appearance.\nAction: "Turn on the dark mode switch."\n<tool_call>\n{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [640, 380]}}\n</tool_call>' },
    { text: 'Thought: Dark mode is on.\nAction: "Finish the task."\n<tool_call>\n{"name": "computer_use", "arguments": {"action": "terminate", "status": "success"}}\n</tool_call>' },
  ],
  'glm-4.1v-thinking:mobile': [
    { text: '<think>The home screen is shown.</think><answer>Memory: None\nReason: The Settings entry is in the top bar; I tap it.\nAction: <|begin_of_box|>{"action_type": "click", "box_2d": [[906,28,931,56]]}<|end_of_box|></answer>' },
    { text: '<think>Settings is open.</think><answer>Memory: Settings page open\nReason: The dark mode switch is below; I swipe up to reach it.\nAction: <|begin_of_box|>{"action_type": "swipe", "direction": "up"}<|end_of_box|></answer>' },
    { text: '<think>Done.</think><answer>Memory: None\nReason: Dark mode is on.\nAction: <|begin_of_box|>{"action_type": "status", "goal_status": "complete"}<|end_of_box|></answer>' },
  ],
  'glm-4.5v:mobile': [
    { text: 'Memory: None\nReason: The Settings entry is in the top bar; I tap it.\nAction: <|begin_of_box|>{"action_type": "click", "box_2d": [[906,28,931,56]]}<|end_of_box|>' },
    { text: 'Memory: Settings page open\nReason: The dark mode switch is below; I swipe up to reach it.\nAction: <|begin_of_box|>{"action_type": "swipe", "direction": "up"}<|end_of_box|>' },
    { text: 'Memory: None\nReason: Dark mode is on.\nAction: <|begin_of_box|>{"action_type": "status", "goal_status": "complete"}<|end_of_box|>' },
  ],
  'ui-tars-1.5:mobile': [
    { text: "Thought: The Settings entry is at the top; I tap it.\nAction: click(start_box='(1762,49)')" },
    { text: "Thought: I long-press the dark mode row to see its options.\nAction: long_press(start_box='(1236,415)')" },
    { text: "Thought: Dark mode is on.\nAction: finished(content='done')" },
  ],
  'ui-tars-2:mobile': [
    { text: "Thought: The Settings entry is at the top; I tap it.\nAction: click(point='<point>912 45</point>')" },
    { text: "Thought: I swipe up to reach the dark mode switch.\nAction: drag(start_point='<point>500 700</point>', end_point='<point>500 300</point>')" },
    { text: "Thought: Dark mode is on.\nAction: finished(content='done')" },
  ],
  'qwen2.5-vl:mobile': [
    { text: '<tool_call>\n{"name": "mobile_use", "arguments": {"action": "click", "coordinate": [1762, 49]}}\n</tool_call>' },
    { text: '<tool_call>\n{"name": "mobile_use", "arguments": {"action": "swipe", "coordinate": [966, 800], "coordinate2": [966, 300]}}\n</tool_call>' },
    { text: '<tool_call>\n{"name": "mobile_use", "arguments": {"action": "terminate", "status": "success"}}\n</tool_call>' },
  ],
  'qwen3-vl:mobile': [
    { text: 'Thought: The Settings entry is at the top.\nAction: "I tapped Settings."\n<tool_call>\n{"name": "mobile_use", "arguments": {"action": "click", "coordinate": [911, 45]}}\n</tool_call>' },
    { text: 'Thought: The switch is lower down.\nAction: "I swiped up to reveal the dark mode switch."\n<tool_call>\n{"name": "mobile_use", "arguments": {"action": "swipe", "coordinate": [500, 700], "coordinate2": [500, 300]}}\n</tool_call>' },
    { text: 'Thought: Dark mode is on.\nAction: "Finish."\n<tool_call>\n{"name": "mobile_use", "arguments": {"action": "terminate", "status": "success"}}\n</tool_call>' },
  ],
  generic: [
    { text: '{"reasoning": "Settings link", "actions": [{"action": "click", "target": {"box": [900, 30, 925, 60], "label": "Settings"}}]}' },
    { text: '{"reasoning": "dark mode switch", "actions": [{"action": "click", "target": {"box": [620, 360, 660, 400], "label": "Dark mode"}}]}' },
    { text: '{"reasoning": "done", "actions": [{"action": "finish"}]}' },
  ],
};

function repliesOf(family: string) {
  if (REPLIES[family]) return REPLIES[family];
  const base = family.replace(/:nothink$/, '').replace(/-flash$/, '');
  return REPLIES[getProfile(family).setOfMarks ? 'som' : base];
}

/** A client that answers from a script and keeps each request. */
class ScriptedClient implements ModelClient {
  readonly name = 'scripted';
  readonly requests: CompletionRequest[] = [];
  constructor(private readonly replies: Array<{ text: string; toolCalls?: ToolCall[] }>) {}
  async complete(r: CompletionRequest): Promise<CompletionResult> {
    const reply = this.replies[this.requests.length];
    this.requests.push(r);
    return { text: reply.text, ...(reply.toolCalls ? { toolCalls: reply.toolCalls } : {}), timings: { totalMs: 1 } };
  }
}

async function screen(shade: number): Promise<Frame> {
  const image = await sharp({ create: { width: 1920, height: 1080, channels: 3, background: { r: shade, g: shade, b: shade } } }).png().toBuffer();
  return { image, format: 'png', width: 1920, height: 1080, scale: 1, origin: { x: 0, y: 0 }, capturedAt: 0 };
}

const ELEMENTS: MarkedElement[] = [
  { id: 1, box: [1740, 30, 1790, 60], tag: '<a>', text: 'Settings' },
  { id: 2, box: [1220, 400, 1260, 430], tag: '<button>', text: 'Dark mode' },
];

const VIEW: ExecutorView = { kind: 'browser', currentUrl: () => 'http://127.0.0.1:8080/app/index.html', evaluate: async () => [], visibleText: async () => '' };

/** The third request of the episode as its JSON body, each image replaced by its size and type. */
async function thirdRequest(family: string): Promise<unknown> {
  const client = new ScriptedClient(repliesOf(family));
  const agent = new ProfileAgent({ profile: getProfile(family), client, elements: async () => ELEMENTS, thinkingBudgetTokens: 0 });
  const history: HistoryEntry[] = [];
  for (let i = 0; i < 3; i++) {
    const frame = await screen(40 + 60 * i);
    const d = await agent.decide({ goal: TASK, frame, history: [...history], executor: VIEW });
    expect(d.parseError, `${family} step ${i + 1}: ${d.parseError?.message}`).toBeUndefined();
    history.push({
      index: i,
      instruction: TASK,
      actions: d.actions.map((a) => parseAction(a)),
      outcome: 'done',
      frame,
      reply: { text: d.raw ?? '', ...(d.toolCalls ? { toolCalls: d.toolCalls } : {}) },
      ...(d.memory !== undefined ? { memory: d.memory } : {}),
    });
  }
  const request = client.requests[2];
  const body = chatCompletionBody(request, family, false) as { messages: Array<{ content: unknown }> };
  for (const m of body.messages) {
    if (!Array.isArray(m.content)) continue;
    m.content = m.content.map((p: { type: string; image_url?: { url: string } }, k: number) => {
      if (p.type !== 'image_url') return p;
      const image = (request.messages[body.messages.indexOf(m)].content as Array<{ type: string; image?: { width: number; height: number; mime: string } }>)[k].image!;
      return { type: 'image_url', image_url: { url: `<${image.mime} ${image.width}x${image.height}>` } };
    });
  }
  return body;
}

describe('golden requests: the third step of a three-step episode, as each family\'s official agent lays it out', () => {
  for (const family of FAMILIES) {
    it(family, async () => {
      const body = await thirdRequest(family);
      const file = path.join(DIR, `${family.replace(/:/g, '_')}.json`);
      if (process.env.UPDATE_GOLDEN) {
        mkdirSync(DIR, { recursive: true });
        writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
      }
      expect(body).toEqual(JSON.parse(readFileSync(file, 'utf8')));
      // What the simulated server reads back agrees: two earlier steps, the task.
      const view = getProfile(family).simulator.read(body as never);
      expect(view.historySteps).toBe(2);
      expect(view.task).toBe(TASK);
    });
  }
});
