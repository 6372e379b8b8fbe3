import { defineProfile, type ModelProfile } from '../profile/profile.ts';
import { taskText } from '../profile/prompt-parts.ts';
import { between, expect } from '../profile/simulate.ts';
import { computerUseV2 } from '../qwen-common/computer-use.ts';
import { actionSentenceStep, qwenMessages, readQwenRequest, toolSystemMessage, type QwenUserLayout } from '../qwen-common/conversation.ts';
import { parseComputerUseReply, V2_ACTIONS } from '../qwen-common/grammar.ts';
import { computerUseCalls, mobileUseCalls } from '../qwen-common/simulate.ts';
import { mobileUseQwen3 } from '../qwen-common/mobile-use.ts';
import { MOBILE_QWEN3_ACTIONS, parseMobileUseReply } from '../qwen-common/mobile-grammar.ts';

/**
 * Qwen3-VL: the computer_use tool (version 2, 14 actions) with the fixed "The screen's resolution
 * is 1000x1000." of the Qwen3-VL computer_use cookbook, which reads coordinates as thousandths of
 * the smart-resized image (`coordinate / 1000 * resized_width`; patch 16, so factor 32). The
 * reply format (Thought, Action sentence, <tool_call>) and the history as "Step k: <Action
 * sentence>; " in the user text before the screenshot are those of the Qwen3-VL mobile_agent
 * cookbook. (That cookbook divides by 999 on phones; the desktop cookbook divides by 1000,
 * which we follow: the two differ by under 0.1% of the screen.)
 */
const RESPONSE_FORMAT = `

# Response format

Response format for every step:
1) Thought: one concise sentence explaining the next move.
2) Action: one short sentence saying what you do in the UI.
3) A single <tool_call>...</tool_call> block containing only the JSON: {"name": <function-name>, "arguments": <args-json-object>}.

Rules:
- Output exactly in the order: Thought, Action, <tool_call>.
- Do not output anything else.
- When the task is done, use action=terminate (or action=answer when the task asks a question).`;

const LAYOUT: QwenUserLayout = {
  text: (query, steps) => `The user query: ${query}.\nTask progress (You have done the following operation on the current device): ${steps}.\n`,
  imageFirst: false,
  step: actionSentenceStep,
};

const DIALECT = { family: 'qwen3-vl', actions: V2_ACTIONS };

export const qwen3vl: ModelProfile = defineProfile({
  family: 'qwen3-vl',
  description: 'Qwen3-VL, computer_use tool calls (version 2), coordinates in thousandths of the smart-resized image (factor 32)',
  // qwen-vl-utils for Qwen3-VL: image_patch_size 16 → factor 32, 4..16384 tokens of 32x32.
  resize: { factor: 32, minPixels: 4 * 32 * 32, maxPixels: 16384 * 32 * 32, maxAspectRatio: 200, temporalFrames: 1 },
  coordinates: 'thousandths',
  imageOrder: 'current-first',
  history: { maxSteps: 50 },
  request: { maxTokens: 2048, temperature: 0 },
  recognize: /qwen3-?vl/i,
  serving: 'vllm serve Qwen/Qwen3-VL-8B-Instruct --served-model-name qwen3-vl (no tool parser: the agent reads <tool_call> from the text)',
  buildMessages: (ctx) => qwenMessages(toolSystemMessage(computerUseV2(1000, 1000), RESPONSE_FORMAT), ctx, taskText(ctx), LAYOUT),
  parse: (text, reasoning, ctx) => parseComputerUseReply(text, reasoning, ctx, DIALECT),
  repair: 'Answer again with Thought, Action and one <tool_call> for computer_use; coordinates are thousandths (0-1000) of the screenshot.',
  simulator: {
    read: (body) =>
      readQwenRequest(
        body,
        (sys) => expect(sys.includes("The screen's resolution is 1000x1000.") && !sys.includes('name_for_human') && sys.includes('# Response format'), 'the version 2 tool at 1000x1000 and the response format'),
        (text) => between(text, 'The user query: ', '.\nTask progress'),
      ),
    answer: (answers, o) => ({ content: `Thought: ${o.explanation}\nAction: "${o.explanation}"\n${computerUseCalls(answers, o, 'thousandths', V2_ACTIONS).join('\n')}` }),
    faults: { malformed: 'Thought: x\nAction: "click"\n<tool_call>\n{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [1, 2\n</tool_call>', unknownAction: '<tool_call>\n{"name": "computer_use", "arguments": {"action": "teleport"}}\n</tool_call>' },
    thinks: false,
    oneActionPerReply: false,
  },
});

/**
 * Qwen3-VL on a phone-sized page: the mobile_agent cookbook's mobile_use tool at 999x999 with the
 * Thought / Action / <tool_call> response format; the cookbook maps `x / 999 * width`.
 */
export const qwen3vlMobile: ModelProfile = defineProfile({
  ...qwen3vl,
  family: 'qwen3-vl:mobile',
  description: 'Qwen3-VL on a phone-sized page: mobile_use tool calls on a 0-999 grid (mobile_agent cookbook)',
  coordinates: 'relative-999',
  buildMessages: (ctx) => qwenMessages(toolSystemMessage(mobileUseQwen3(999, 999), RESPONSE_FORMAT), ctx, taskText(ctx), LAYOUT),
  parse: (text, reasoning, ctx) => parseMobileUseReply(text, reasoning, ctx, MOBILE_QWEN3_ACTIONS),
  repair: 'Answer again with Thought, Action and one <tool_call> for mobile_use; coordinates are on a 0-999 grid over the screenshot.',
  simulator: {
    read: (body) =>
      readQwenRequest(
        body,
        (sys) => expect(sys.includes("The screen's resolution is 999x999.") && sys.includes('"name": "mobile_use"') && sys.includes('# Response format'), 'the Qwen3-VL mobile_use tool at 999x999 and the response format'),
        (text) => between(text, 'The user query: ', '.\nTask progress'),
      ),
    answer: (answers, o) => ({ content: `Thought: ${o.explanation}\nAction: "${o.explanation}"\n${mobileUseCalls(answers, o, 999).join('\n')}` }),
    faults: { malformed: 'Thought: x\nAction: "tap"\n<tool_call>\n{"name": "mobile_use", "arguments": {"action": "click", "coordinate": [1, 2\n</tool_call>', unknownAction: '<tool_call>\n{"name": "mobile_use", "arguments": {"action": "teleport"}}\n</tool_call>' },
    thinks: false,
    oneActionPerReply: false,
  },
});
