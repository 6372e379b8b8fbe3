import { GLM_RESIZE } from '../../kernels/smart-resize.ts';
import type { ChatPart } from '../../src/core/model-client.ts';
import { parseGlmDesktopReply } from '../glm-common/desktop-grammar.ts';
import { glmAnswerParts, glmFallbackText } from '../glm-common/history.ts';
import { GLM_FORCE_ANSWER, GLM_REQUEST, GLM_SERVING, glmRepair } from '../glm-common/request.ts';
import { glmWebPrompt41, readGlmWebRequest41 } from '../glm-common/web-prompt.ts';
import { glmDesktopAnswer, glmSomAnswer } from '../glm-common/simulate.ts';
import { parseSomReply } from '../glm-common/som-grammar.ts';
import { parseGlmMobileReply } from '../glm-common/mobile-grammar.ts';
import { glmMobileAnswer, glmMobileMessages, glmMobilePrompt41, readGlm41Mobile } from '../glm-common/mobile-prompt.ts';
import { defineProfile, type ModelProfile, type PromptContext } from '../profile/profile.ts';
import { imagePart, taskText, textPart } from '../profile/prompt-parts.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';
import { between, expect, imagesIn, messages, partsOf, textIn, type FamilySimulator } from '../profile/simulate.ts';

/**
 * GLM-4.1V-9B-Thinking on a desktop, as zai-org/GLM-V examples/gui-agent/glm-41v/gui_agent_41v.py
 * (`get_pc_prompt`, `main`) and glm-41v/agent.md build the request: one user message holding the
 * current screenshot at full size, then up to four earlier screenshots at 50% oldest first, then
 * the prompt. The action space lines, the output format, "History actions:" with "step k: " and the
 * single latest "Memory:" are the official layout; the explanations are ours.
 */

/** The action space lines of gui_agent_41v.py `get_pc_prompt`, each with our one-line gloss. */
const ACTION_SPACE = `left_click(start_box='[x,y]', element_info='')
# click the left button once at [x,y]
right_click(start_box='[x,y]', element_info='')
# click the right button once at [x,y]
middle_click(start_box='[x,y]', element_info='')
# click the middle button once at [x,y]
hover(start_box='[x,y]', element_info='')
# move the mouse to [x,y] without clicking
left_double_click(start_box='[x,y]', element_info='')
# double-click the left button at [x,y]
left_drag(start_box='[x1,y1]', end_box='[x2,y2]', element_info='')
# hold the left button at [x1,y1], move to [x2,y2] and release
key(keys='')
# press one key or a shortcut; join the keys of a shortcut with '+', e.g. key(keys='ctrl+c')
type(content='')
# type text into the element that has the focus; *click the element first to focus it*, and clear it first if its content must be replaced; end the text with \\n to press Enter
scroll(start_box='[x,y]', direction='down/up', step=k, element_info='')
# turn the mouse wheel k notches in the given direction over [x,y]
WAIT()
# wait 5 seconds for the screen to change
DONE()
# the task is completely done
FAIL()
# the task cannot be done at all`;

function desktopPrompt(ctx: PromptContext): string {
  const shown = ctx.history.filter((h) => h.image).length;
  const history = ctx.history.map((h) => `\nstep ${h.index + 1}: ${h.reply ? glmAnswerParts(h.reply.answer).text : glmFallbackText(h)}`).join('');
  const note = shown
    ? `\nNote: you also see ${shown} recent screenshots at 50% scale, showing the screen before each of your last ${shown} actions, in the order of the steps.`
    : '';
  return `You are a GUI operation agent. You get a task, the actions you already took and recent screenshots, and you operate the ${ctx.platform === 'browser' ? 'web browser' : 'computer'} one action at a time, choosing the best next action toward the task.
The actions you output must be in the following action space:
${ACTION_SPACE}

The output rules are as follows:
1. start_box and end_box are a point [x, y] normalized to 0-1000 over the screenshot's width and height, placed on the element to act on.
2. element_info is optional: a short description of the element, given when you are sure what it is.
3. One action per answer. *NEVER output several actions at once*.
4. Once you have acted, you also get your earlier actions and at most 4 screenshots shrunk to 50%*50%, taken before your last 4 actions. The first image is always the current screen at full size; the others follow in the order of the steps.
5. Put what you *must remember* in a separate memory part; it is given back to you next round. Write it as a JSON list, remove what you no longer need, and write an empty list when there is nothing to keep.
6. You may give a brief explanation before the action.

Output Format:
Plain text explanation with action(param='...')
Memory:
[{"user_email": "x@gmail.com", ...}]

Notes:
- ${SCREEN_TEXT_RULE}
- You may act without asking for permission; nobody will confirm.
Now Please help me to solve the following task:
${taskText(ctx)}
History actions:${history}
Memory:
${ctx.memory ?? '[]'}${note}`;
}

/** Current screenshot first, then the earlier ones at half size oldest first, then the text. */
function desktopMessages(ctx: PromptContext) {
  const parts: ChatPart[] = [imagePart(ctx.image)];
  for (const h of ctx.history) if (h.image) parts.push(imagePart(h.image));
  parts.push(textPart(desktopPrompt(ctx)));
  return [{ role: 'user' as const, content: parts }];
}

/** Reads a request back as gui_agent_41v.py lays it out. */
const desktopSimulator: FamilySimulator = {
  read(body) {
    const ms = messages(body);
    expect(ms.length === 1 && ms[0].role === 'user', 'GLM-4.1V takes one user message (no system message, no earlier turns)');
    const parts = partsOf(ms[0]);
    const images = imagesIn(parts);
    expect(parts[parts.length - 1].type === 'text' && parts.slice(0, -1).every((p) => p.type === 'image'), 'GLM-4.1V sends the images first and the prompt text last');
    const text = textIn(parts);
    const history = between(text, '\nHistory actions:', '\nMemory:\n');
    const steps = [...history.matchAll(/\nstep (\d+): /g)];
    expect(images.length >= 1 && images.length <= 1 + Math.min(4, steps.length), `GLM-4.1V sends the current screenshot and at most one per earlier step, up to 4: ${images.length} images for ${steps.length} steps`);
    expect(!/<\|begin_of_box\|>|<\|end_of_box\|>|<think>/.test(history), 'history steps carry the answer without box tokens or thinking');
    return { task: between(text, 'Now Please help me to solve the following task:\n', '\nHistory actions:'), current: images[0], historySteps: steps.length };
  },
  answer: (answers, o) => ({ content: `<answer>${glmDesktopAnswer(answers[0], o)}</answer>` }),
  faults: { malformed: 'I would like to click the button but I will not say where.', unknownAction: "<|begin_of_box|>triple_click(start_box='[500,500]')<|end_of_box|>" },
  thinks: true,
  oneActionPerReply: true,
};

const GLM41 = {
  resize: GLM_RESIZE,
  coordinates: 'thousandths',
  request: GLM_REQUEST,
  thinking: GLM_FORCE_ANSWER,
  recognize: /glm-?4\.1v/i,
  serving: GLM_SERVING['4.1v'],
} as const;

export const glm41vThinking: ModelProfile = defineProfile({
  ...GLM41,
  family: 'glm-4.1v-thinking',
  description: 'GLM-4.1V-9B-Thinking, desktop function grammar (official OSWorld layout), coordinates in thousandths',
  imageOrder: 'current-first',
  history: { maxSteps: 50, maxImages: 4, imageScale: 0.5 },
  buildMessages: desktopMessages,
  parse: (text, reasoning, ctx) => parseGlmDesktopReply(text, reasoning, ctx),
  repair: glmRepair('inside <|begin_of_box|>…<|end_of_box|>'),
  simulator: desktopSimulator,
});

export const glm41vThinkingSom: ModelProfile = defineProfile({
  ...GLM41,
  family: 'glm-4.1v-thinking:som',
  description: 'GLM-4.1V-9B-Thinking, web set-of-marks (official WebVoyager layout: numbered elements, Click [N] grammar)',
  imageOrder: 'current-first',
  history: { maxSteps: 15, maxImages: 0 },
  setOfMarks: true,
  buildMessages: (ctx) => [{ role: 'user', content: [imagePart(ctx.image), textPart(glmWebPrompt41(ctx))] }],
  parse: (text, reasoning, ctx) => parseSomReply(text, reasoning, ctx),
  repair: glmRepair('on the "Action:" line, naming an element by its number'),
  simulator: {
    read: readGlmWebRequest41,
    answer: (answers, o) => ({ content: `<answer>${glmSomAnswer(answers[0], o)}</answer>` }),
    faults: { malformed: 'I would like to click the button but I will not say where.', unknownAction: 'Thought: x\nAction: Teleport [1]\nMemory_Updated: {}' },
    thinks: true,
    oneActionPerReply: true,
  },
});

export const glm41vThinkingMobile: ModelProfile = defineProfile({
  ...GLM41,
  family: 'glm-4.1v-thinking:mobile',
  description: 'GLM-4.1V-9B-Thinking on a phone-sized page (official AndroidWorld JSON actions, boxes in thousandths)',
  imageOrder: 'current-first',
  history: { maxSteps: 50, maxImages: 0 },
  buildMessages: (ctx) => glmMobileMessages(glmMobilePrompt41(ctx), ctx),
  parse: (text, reasoning, ctx) => parseGlmMobileReply(text, reasoning, ctx),
  repair: glmRepair('after "Action:", as one JSON object {"action_type": …} inside <|begin_of_box|>…<|end_of_box|>'),
  simulator: {
    read: readGlm41Mobile,
    answer: (answers, o) => ({ content: `<answer>${glmMobileAnswer(answers[0], o)}</answer>` }),
    faults: { malformed: 'Memory: None\nReason: I will tap it.\nAction: <|begin_of_box|>{"action_type": "click", "box_2d": [[1,2<|end_of_box|>', unknownAction: 'Memory: None\nReason: x\nAction: <|begin_of_box|>{"action_type": "teleport"}<|end_of_box|>' },
    thinks: true,
    oneActionPerReply: false,
  },
});
