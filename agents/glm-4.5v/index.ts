import { GLM_RESIZE } from '../../kernels/smart-resize.ts';
import type { ChatPart } from '../../src/core/model-client.ts';
import { GLM_DESKTOP_ACTION_SPACE, parseGlmDesktopReply } from '../glm-4.1v-thinking/desktop-grammar.ts';
import { GLM_REQUEST, glmRepair } from '../glm-4.1v-thinking/index.ts';
import { defineProfile, type ModelProfile, type PromptContext } from '../profile/profile.ts';
import { historyLine, imagePart, taskLines, textPart } from '../profile/prompt-parts.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';

/**
 * GLM-4.5V: same grammar and coordinates as 4.1V, but history screenshots are interleaved with
 * their step text and the current screenshot comes last; no <answer> tags; thinking can be
 * switched off through the chat template.
 */
function glm45Messages(ctx: PromptContext) {
  const parts: ChatPart[] = [
    textPart(`You are a GUI agent operating a computer. Decide the next action toward the task.

${taskLines(ctx)}

${SCREEN_TEXT_RULE}

Coordinates are thousandths of the screenshot's width and height: integers from 0 to 1000, [0,0] is the top-left corner.

Action space:
${GLM_DESKTOP_ACTION_SPACE}`),
  ];
  if (ctx.history.length === 0) parts.push(textPart('Previous steps: none.'));
  else parts.push(textPart('Previous steps:'));
  for (const h of ctx.history) {
    parts.push(textPart(historyLine(h)));
    if (h.image) parts.push(imagePart(h.image));
  }
  parts.push(textPart('Current screenshot:'), imagePart(ctx.image));
  parts.push(
    textPart('Reply with a short explanation, then exactly one action wrapped in <|begin_of_box|> and <|end_of_box|>, then "Memory:" followed by a JSON list of notes worth keeping.'),
  );
  return [{ role: 'user' as const, content: parts }];
}

export function glm45vProfile(options: { thinking: boolean }): ModelProfile {
  return defineProfile({
    family: options.thinking ? 'glm-4.5v' : 'glm-4.5v:nothink',
    description: `GLM-4.5V, desktop function grammar, coordinates in thousandths, thinking ${options.thinking ? 'on' : 'off'}`,
    resize: GLM_RESIZE,
    coordinates: 'thousandths',
    imageOrder: 'current-last',
    history: { maxImages: 2, imageScale: 0.5 },
    request: {
      ...GLM_REQUEST,
      extra: { ...GLM_REQUEST.extra, chat_template_kwargs: { enable_thinking: options.thinking } },
    },
    thinking: options.thinking ? { budgetTokens: 4096, answerTokens: 1024, forceAnswer: 'glm-answer-tag' } : undefined,
    buildMessages: glm45Messages,
    parse: (text, reasoning, ctx) => parseGlmDesktopReply(text, reasoning, ctx),
    repair: glmRepair('inside <|begin_of_box|>…<|end_of_box|>'),
  });
}

export const glm45v = glm45vProfile({ thinking: true });
export const glm45vNoThink = glm45vProfile({ thinking: false });
