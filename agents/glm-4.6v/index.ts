import { GLM_RESIZE } from '../../kernels/smart-resize.ts';
import type { ChatMessage, ChatPart } from '../../src/core/model-client.ts';
import { GLM_SERVING, glmThinkingSwitch } from '../glm-common/request.ts';
import { defineProfile, type ModelProfile, type PromptContext } from '../profile/profile.ts';
import { imagePart, taskText, textPart } from '../profile/prompt-parts.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';
import { between, centre, expect, imagesIn, messages, partsOf, textIn, thousandths, type FamilySimulator, type SimAnswer } from '../profile/simulate.ts';
import { GLM_TOOLS, parseGlmToolReply } from './tools.ts';

/**
 * GLM-4.6V and GLM-4.6V-Flash with native function calling. The GLM-V README announces native
 * multimodal function calling and serves it with vLLM's glm45 tool and reasoning parsers
 * (zai-org/GLM-V README.md, "vllm serve zai-org/GLM-4.6V … --tool-call-parser glm45
 * --reasoning-parser glm45 --enable-auto-tool-choice"); it publishes no GUI-agent prompt for
 * 4.6V. So the tools are GLM-4.5V's desktop action space (glm-45v/gui_agent_45v.py
 * `PC_ACTION_SPACE`: same names, parameters and 0-999 coordinates) declared through the OpenAI
 * `tools` field, and the conversation is the OpenAI tool-calling one: each earlier step is an
 * assistant turn with its tool calls, answered by tool results; the last four steps' screenshots
 * come before their turns, the current screenshot last.
 */

function intro(ctx: PromptContext): string {
  return `You are a GUI Agent: you carry out the user's request by operating the ${ctx.platform === 'browser' ? 'web browser' : 'computer'} with the tools you are given, one tool call per step, until the request is fulfilled or its question answered. Coordinates are all in thousandths (0-999) of the screenshot's width and height.

# Task:
${taskText(ctx)}

# Task Platform
${ctx.platform === 'browser' ? 'Web' : 'Ubuntu'}

# Notes
- Say briefly what you see and why you act, then call exactly one tool. Call DONE when the task is complete and FAIL when it cannot be done.
- ${SCREEN_TEXT_RULE}`;
}

function buildMessages(ctx: PromptContext): ChatMessage[] {
  const out: ChatMessage[] = [{ role: 'user', content: [textPart(intro(ctx))] }];
  for (const h of ctx.history) {
    if (h.image) out.push({ role: 'user', content: [textPart(`Screenshot before step ${h.index + 1}:`), imagePart(h.image)] });
    const calls = h.reply?.toolCalls ?? [];
    out.push({ role: 'assistant', content: h.reply?.answer ?? `(${h.summary})`, ...(calls.length ? { toolCalls: calls } : {}) });
    for (const c of calls) out.push({ role: 'tool', toolCallId: c.id, content: h.outcome === 'done' ? 'done' : h.outcome });
  }
  const current: ChatPart[] = [textPart('Current screenshot:'), imagePart(ctx.image)];
  out.push({ role: 'user', content: current });
  return out;
}

function toolCallOf(a: SimAnswer, o: { width: number; height: number; outOfRange?: boolean }): { name: string; arguments: Record<string, unknown> } {
  const point = (b: [number, number, number, number]) => {
    if (o.outOfRange) return [1500, 1200];
    const [cx, cy] = centre(b);
    return [thousandths(cx, o.width), thousandths(cy, o.height)];
  };
  switch (a.kind) {
    case 'click':
      return { name: a.count === 2 ? 'left_double_click' : a.button === 'right' ? 'right_click' : 'left_click', arguments: { start_box: point(a.box), ...(a.label ? { element_info: a.label } : {}) } };
    case 'type':
      return { name: 'type', arguments: { content: a.text + (a.submit ? '\n' : '') } };
    case 'key':
      return { name: 'key', arguments: { keys: a.keys.join('+') } };
    case 'scroll':
      return { name: 'scroll', arguments: { start_box: a.box ? point(a.box) : [500, 500], direction: a.direction, step: 5 } };
    case 'wait':
      return { name: 'WAIT', arguments: {} };
    case 'finish':
      return { name: 'DONE', arguments: {} };
    case 'fail':
      return { name: 'FAIL', arguments: {} };
    default:
      throw new Error(`the glm-4.6v desktop tools have no ${a.kind}`);
  }
}

function simulator(thinks: boolean): FamilySimulator {
  return {
    read(body) {
      const ms = messages(body);
      const tools = Array.isArray(body.tools) ? (body.tools as Array<{ function?: { name?: string } }>).map((t) => t.function?.name) : [];
      expect(GLM_TOOLS.every((t) => tools.includes(t.name)), `GLM-4.6V declares its actions as tools: expected ${GLM_TOOLS.map((t) => t.name).join(', ')}, got ${tools.join(', ') || 'none'}`);
      expect(ms[0].role === 'user' && ms[ms.length - 1].role === 'user', 'the conversation opens with the task and ends with the current screenshot');
      let steps = 0;
      for (let i = 0; i < ms.length; i++) {
        const m = ms[i];
        if (m.role !== 'assistant') continue;
        steps++;
        const ids = Array.isArray(m.tool_calls) ? (m.tool_calls as Array<{ id: string }>).map((c) => c.id) : [];
        for (const [k, id] of ids.entries()) expect(ms[i + 1 + k]?.role === 'tool' && ms[i + 1 + k].tool_call_id === id, `tool call ${id} is answered by a tool message right after it`);
      }
      const current = imagesIn(partsOf(ms[ms.length - 1]));
      expect(current.length === 1, 'the last user message holds the current screenshot');
      const historyImages = ms.slice(1, -1).filter((m) => m.role === 'user').length;
      expect(historyImages <= 4, `at most 4 history screenshots, got ${historyImages}`);
      return { task: between(textIn(partsOf(ms[0])), '# Task:\n', '\n\n# Task Platform'), current: current[0], historySteps: steps };
    },
    answer: (answers, o) => ({ content: o.explanation, toolCalls: [toolCallOf(answers[0], o)] }),
    faults: {
      malformed: 'I would click the button, but I will not call a tool.',
      unknownAction: '<tool_call>triple_click\n<arg_key>start_box</arg_key>\n<arg_value>[500, 500]</arg_value>\n</tool_call>',
    },
    thinks,
    oneActionPerReply: true,
  };
}

function glm46vProfile(model: 'glm-4.6v' | 'glm-4.6v-flash', thinking: boolean): ModelProfile {
  return defineProfile({
    family: `${model}${thinking ? '' : ':nothink'}`,
    description: `${model === 'glm-4.6v' ? 'GLM-4.6V (106B)' : 'GLM-4.6V-Flash (9B)'}, native function calling (OpenAI tools, vLLM glm45 parsers), coordinates in thousandths, thinking ${thinking ? 'on' : 'off'}`,
    resize: GLM_RESIZE,
    coordinates: 'thousandths',
    imageOrder: 'current-last',
    history: { maxSteps: 50, maxImages: 4, imageScale: 0.5 },
    request: { maxTokens: 8192, temperature: 0.001, tools: GLM_TOOLS, extra: glmThinkingSwitch(thinking) },
    recognize: model === 'glm-4.6v' ? /glm-?4\.6v(?!-?flash)/i : /glm-?4\.6v-?flash/i,
    serving: GLM_SERVING['4.6v'],
    buildMessages,
    parse: (text, reasoning, ctx) => parseGlmToolReply(text, reasoning, ctx),
    repair: `Look at the screenshot again and call exactly one of the tools (${GLM_TOOLS.map((t) => t.name).join(', ')}) with valid arguments.`,
    simulator: simulator(thinking),
  });
}

export const glm46v = glm46vProfile('glm-4.6v', true);
export const glm46vNoThink = glm46vProfile('glm-4.6v', false);
export const glm46vFlash = glm46vProfile('glm-4.6v-flash', true);
export const glm46vFlashNoThink = glm46vProfile('glm-4.6v-flash', false);
