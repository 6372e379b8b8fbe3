import { QWEN25VL_RESIZE } from '../../kernels/smart-resize.ts';
import { defineProfile, type ModelProfile } from '../profile/profile.ts';
import { taskText } from '../profile/prompt-parts.ts';
import { between, expect } from '../profile/simulate.ts';
import { computerUseV1 } from '../qwen-common/computer-use.ts';
import { qwenMessages, readQwenRequest, toolCallStep, toolSystemMessage, type QwenUserLayout } from '../qwen-common/conversation.ts';
import { parseComputerUseReply, V1_ACTIONS } from '../qwen-common/grammar.ts';
import { computerUseCalls, mobileUseCalls } from '../qwen-common/simulate.ts';
import { mobileUseV1 } from '../qwen-common/mobile-use.ts';
import { MOBILE_V1_ACTIONS, parseMobileUseReply } from '../qwen-common/mobile-grammar.ts';

/**
 * Qwen2.5-VL: the computer_use tool (version 1, with "The screen's resolution is WxH." of the
 * smart-resized screenshot) in the Qwen-Agent system message, as the Qwen2.5-VL computer_use
 * cookbook renders it; replies as `<tool_call>` JSON with coordinates in pixels of that image.
 * The cookbook is single-step; earlier steps are written as the mobile_agent cookbook does:
 * "The user query:  …\nTask progress (You have done the following operation on the current
 * device): Step 1: {tool call}; " in the user text, before the screenshot.
 */
const LAYOUT: QwenUserLayout = {
  text: (query, steps) => `The user query:  ${query}\nTask progress (You have done the following operation on the current device): ${steps}`,
  imageFirst: false,
  step: toolCallStep,
};

const DIALECT = { family: 'qwen2.5-vl', actions: V1_ACTIONS };

export const qwen25vl: ModelProfile = defineProfile({
  family: 'qwen2.5-vl',
  description: 'Qwen2.5-VL, computer_use tool calls (Qwen-Agent nous template), absolute pixels of the smart-resized image',
  resize: QWEN25VL_RESIZE,
  coordinates: 'sent-pixels',
  imageOrder: 'current-first',
  history: { maxSteps: 50 },
  // The cookbooks set no sampling; greedy decoding keeps coordinates stable.
  request: { maxTokens: 2048, temperature: 0 },
  recognize: /qwen2\.5-?vl/i,
  serving: 'vllm serve Qwen/Qwen2.5-VL-7B-Instruct --served-model-name qwen2.5-vl (no tool parser: the agent reads <tool_call> from the text)',
  buildMessages: (ctx) => qwenMessages(toolSystemMessage(computerUseV1(ctx.image.width, ctx.image.height)), ctx, taskText(ctx), LAYOUT),
  parse: (text, reasoning, ctx) => parseComputerUseReply(text, reasoning, ctx, DIALECT),
  repair: 'Answer again with one <tool_call> for computer_use whose coordinate lies inside the screenshot.',
  simulator: {
    read: (body) =>
      readQwenRequest(
        body,
        (sys) => expect(/The screen's resolution is \d+x\d+\./.test(sys) && sys.includes('"name_for_human": "computer_use"'), 'the version 1 tool, with name_for_human and the screenshot resolution'),
        (text) => between(text, 'The user query:  ', '\nTask progress'),
      ),
    answer: (answers, o) => ({ content: computerUseCalls(answers, o, 'sent-pixels', V1_ACTIONS).join('\n') }),
    faults: { malformed: '<tool_call>\n{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [1, 2\n</tool_call>', unknownAction: '<tool_call>\n{"name": "computer_use", "arguments": {"action": "teleport"}}\n</tool_call>' },
    thinks: false,
    oneActionPerReply: false,
  },
});

/**
 * Qwen2.5-VL on a phone-sized page: the mobile_use tool of the mobile_agent cookbook (version 1,
 * the resized resolution), its user text before the screenshot, pixels of the resized image.
 */
export const qwen25vlMobile: ModelProfile = defineProfile({
  ...qwen25vl,
  family: 'qwen2.5-vl:mobile',
  description: 'Qwen2.5-VL on a phone-sized page: mobile_use tool calls (mobile_agent cookbook), pixels of the resized screenshot',
  buildMessages: (ctx) => qwenMessages(toolSystemMessage(mobileUseV1(ctx.image.width, ctx.image.height)), ctx, taskText(ctx), LAYOUT),
  parse: (text, reasoning, ctx) => parseMobileUseReply(text, reasoning, ctx, MOBILE_V1_ACTIONS),
  repair: 'Answer again with one <tool_call> for mobile_use whose coordinate lies inside the screenshot.',
  simulator: {
    read: (body) =>
      readQwenRequest(
        body,
        (sys) => expect(/"name_for_human": "mobile_use"/.test(sys) && /The screen's resolution is \d+x\d+\./.test(sys), 'the version 1 mobile_use tool with the screenshot resolution'),
        (text) => between(text, 'The user query:  ', '\nTask progress'),
      ),
    answer: (answers, o) => ({ content: mobileUseCalls(answers, o, 0).join('\n') }),
    faults: { malformed: '<tool_call>\n{"name": "mobile_use", "arguments": {"action": "click", "coordinate": [1, 2\n</tool_call>', unknownAction: '<tool_call>\n{"name": "mobile_use", "arguments": {"action": "teleport"}}\n</tool_call>' },
    thinks: false,
    oneActionPerReply: false,
  },
});
