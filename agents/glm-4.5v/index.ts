import { GLM_RESIZE } from '../../kernels/smart-resize.ts';
import type { ChatPart } from '../../src/core/model-client.ts';
import { parseGlmDesktopReply } from '../glm-common/desktop-grammar.ts';
import { glmAnswerParts, glmFallbackText } from '../glm-common/history.ts';
import { GLM_FORCE_ANSWER, GLM_REQUEST, GLM_SERVING, glmRepair, glmThinkingSwitch } from '../glm-common/request.ts';
import { glmDesktopAnswer, glmSomAnswer } from '../glm-common/simulate.ts';
import { parseSomReply } from '../glm-common/som-grammar.ts';
import { glmWebPrompt45, readGlmWebRequest45 } from '../glm-common/web-prompt.ts';
import { defineProfile, type ModelProfile, type PromptContext } from '../profile/profile.ts';
import { imagePart, taskText, textPart } from '../profile/prompt-parts.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';
import { between, expect, imagesIn, messages, partsOf, textIn, type FamilySimulator } from '../profile/simulate.ts';
import { PC_ACTION_SPACE } from './pc-action-space.ts';
import { mobileActionSpace45 } from './mobile-action-space.ts';
import { parseGlmMobileReply } from '../glm-common/mobile-grammar.ts';
import { glmMobileAnswer, glmMobileMessages, glmMobilePrompt45, NO_APPS, readGlm45Mobile } from '../glm-common/mobile-prompt.ts';

/**
 * GLM-4.5V on a desktop, as zai-org/GLM-V examples/gui-agent/glm-45v/gui_agent_45v.py
 * (`get_pc_prompt`, `main`) and glm-45v/agent.md build it: one user message whose text is split
 * at each of the last four steps to insert that step's screenshot at 50%; older steps say
 * "Screenshot:(Omitted in context.)"; each step gives back the model's own "Thought:" (its
 * visible explanation) and "Action:"; the latest memory follows, and the current screenshot
 * comes last at full size. Section headers, the action space, the history and memory lines and
 * the output format are the official text; the introduction and notes are ours.
 */

function head(ctx: PromptContext): string {
  return `You are a GUI Agent: you carry out the user's request by operating the ${ctx.platform === 'browser' ? 'web browser' : 'computer'} until the request is fulfilled or its question answered. Read the screenshots and the request carefully, and think when it helps. The coordinates involved are all represented in thousandths (0-999).

# Task:
${taskText(ctx)}

# Task Platform
${ctx.platform === 'browser' ? 'Web' : 'Ubuntu'}

# Action Space
${PC_ACTION_SPACE}

# Historical Actions and Current Memory
History:`;
}

function tail(ctx: PromptContext): string {
  return `
Memory:
${ctx.memory ?? '[]'}
# Output Format
Plain text explanation with action(param='...')
Memory:
[{"key": "value"}, ...]

# Some Additional Notes
- The screenshots of your last 4 steps (shrunk to 50%*50%) come with those steps above; the current screen comes last at full size.
- Put what you *have to remember* in a separate memory part; it is given back to you next round. Write it as a list of dicts, remove what you no longer need, and write an empty list when there is nothing to keep.
- ${SCREEN_TEXT_RULE}

Current Screenshot:
`;
}

function stepText(h: PromptContext['history'][number]): { thought: string; action: string } {
  if (!h.reply) return { thought: glmFallbackText(h), action: 'None' };
  const parts = glmAnswerParts(h.reply.answer);
  return { thought: parts.thought, action: parts.action ?? 'None' };
}

/** gui_agent_45v.py `get_pc_prompt`, step for step. */
function desktopMessages(ctx: PromptContext) {
  const parts: ChatPart[] = [];
  let text = head(ctx);
  for (const h of ctx.history) {
    const { thought, action } = stepText(h);
    if (!h.image) {
      text += `\nstep ${h.index + 1}: Screenshot:(Omitted in context.) Thought: ${thought}\nAction: ${action}`;
    } else {
      text += `\nstep ${h.index + 1}: Screenshot:`;
      parts.push(textPart(text), imagePart(h.image));
      text = ` Thought: ${thought}\nAction: ${action}`;
    }
  }
  parts.push(textPart(text + tail(ctx)), imagePart(ctx.image));
  return [{ role: 'user' as const, content: parts }];
}

const desktopSimulator: FamilySimulator = {
  read(body) {
    const ms = messages(body);
    expect(ms.length === 1 && ms[0].role === 'user', 'GLM-4.5V takes one user message');
    const parts = partsOf(ms[0]);
    expect(parts[parts.length - 1].type === 'image', 'GLM-4.5V sends the current screenshot last');
    const text = textIn(parts);
    const steps = [...text.matchAll(/\nstep (\d+): Screenshot:/g)];
    const omitted = [...text.matchAll(/\nstep \d+: Screenshot:\(Omitted in context\.\) Thought: /g)].length;
    const images = imagesIn(parts);
    expect(images.length === 1 + steps.length - omitted, `each step not marked "(Omitted in context.)" carries its screenshot: ${images.length - 1} history images for ${steps.length - omitted} steps`);
    expect(images.length <= 5, `at most 4 history screenshots, got ${images.length - 1}`);
    // Each history screenshot sits right after its "step k: Screenshot:".
    for (let i = 0; i < parts.length - 1; i++) {
      const before = parts[i - 1];
      if (parts[i].type === 'image') expect(before?.type === 'text' && before.text.endsWith('Screenshot:'), 'a history screenshot follows its "step k: Screenshot:"');
    }
    expect(text.includes('\nMemory:\n') && text.endsWith('Current Screenshot:\n'), 'the memory and "Current Screenshot:" close the text');
    expect(!/<\|begin_of_box\|>|<think>/.test(between(text, '\nHistory:', '\nMemory:\n')), 'history steps carry no box tokens or thinking');
    return { task: between(text, '# Task:\n', '\n\n# Task Platform'), current: images[images.length - 1], historySteps: steps.length };
  },
  answer: (answers, o) => ({ content: glmDesktopAnswer(answers[0], o) }),
  faults: { malformed: 'I would like to click the button but I will not say where.', unknownAction: "<|begin_of_box|>triple_click(start_box='[500,500]')<|end_of_box|>" },
  thinks: true,
  oneActionPerReply: true,
};

export function glm45vProfile(options: { thinking: boolean; som?: boolean }): ModelProfile {
  const { thinking, som } = options;
  const simulator: FamilySimulator = som
    ? {
        read: readGlmWebRequest45,
        answer: (answers, o) => ({ content: glmSomAnswer(answers[0], o) }),
        faults: { malformed: 'I would like to click the button but I will not say where.', unknownAction: 'Thought: x\nAction: Teleport [1]\nMemory_Updated: {}' },
        thinks: thinking,
        oneActionPerReply: true,
      }
    : { ...desktopSimulator, thinks: thinking };
  return defineProfile({
    family: `glm-4.5v${som ? ':som' : ''}${thinking ? '' : ':nothink'}`,
    description: som
      ? `GLM-4.5V, web set-of-marks (official WebVoyager layout), thinking ${thinking ? 'on' : 'off'}`
      : `GLM-4.5V, desktop function grammar (official OSWorld layout, interleaved history screenshots), thinking ${thinking ? 'on' : 'off'}`,
    resize: GLM_RESIZE,
    coordinates: 'thousandths',
    imageOrder: som ? 'current-first' : 'current-last',
    history: som ? { maxSteps: 15, maxImages: 0 } : { maxSteps: 50, maxImages: 4, imageScale: 0.5 },
    setOfMarks: som,
    request: { ...GLM_REQUEST, extra: { ...GLM_REQUEST.extra, ...glmThinkingSwitch(thinking) } },
    thinking: thinking ? GLM_FORCE_ANSWER : undefined,
    recognize: /glm-?4\.5v/i,
    serving: GLM_SERVING['4.5v'],
    buildMessages: som ? (ctx) => [{ role: 'user', content: [imagePart(ctx.image), textPart(glmWebPrompt45(ctx))] }] : desktopMessages,
    parse: som ? (text, reasoning, ctx) => parseSomReply(text, reasoning, ctx) : (text, reasoning, ctx) => parseGlmDesktopReply(text, reasoning, ctx),
    repair: som ? glmRepair('on the "Action:" line, naming an element by its number') : glmRepair('inside <|begin_of_box|>…<|end_of_box|>'),
    simulator,
  });
}

export const glm45v = glm45vProfile({ thinking: true });
export const glm45vNoThink = glm45vProfile({ thinking: false });
export const glm45vSom = glm45vProfile({ thinking: true, som: true });

export const glm45vMobile: ModelProfile = defineProfile({
  family: 'glm-4.5v:mobile',
  description: 'GLM-4.5V on a phone-sized page (official AndroidWorld layout and Calling-rule JSON actions, boxes in thousandths)',
  resize: GLM_RESIZE,
  coordinates: 'thousandths',
  imageOrder: 'current-first',
  history: { maxSteps: 50, maxImages: 0 },
  request: { ...GLM_REQUEST, extra: { ...GLM_REQUEST.extra, ...glmThinkingSwitch(true) } },
  thinking: GLM_FORCE_ANSWER,
  recognize: /glm-?4\.5v/i,
  serving: GLM_SERVING['4.5v'],
  buildMessages: (ctx) => glmMobileMessages(glmMobilePrompt45(ctx, mobileActionSpace45(NO_APPS)), ctx),
  parse: (text, reasoning, ctx) => parseGlmMobileReply(text, reasoning, ctx),
  repair: glmRepair('after "Action:", as one JSON object {"action_type": …} inside <|begin_of_box|>…<|end_of_box|>'),
  simulator: {
    read: readGlm45Mobile,
    answer: (answers, o) => ({ content: glmMobileAnswer(answers[0], o) }),
    faults: { malformed: 'Memory: None\nReason: I will tap it.\nAction: <|begin_of_box|>{"action_type": "click", "box_2d": [[1,2<|end_of_box|>', unknownAction: 'Memory: None\nReason: x\nAction: <|begin_of_box|>{"action_type": "teleport"}<|end_of_box|>' },
    thinks: true,
    oneActionPerReply: false,
  },
});
