import { GLM_RESIZE } from '../../kernels/smart-resize.ts';
import type { ChatPart } from '../../src/core/model-client.ts';
import { defineProfile, type ModelProfile, type PromptContext } from '../profile/profile.ts';
import { elementList, historyBlock, imagePart, taskLines, textPart } from '../profile/prompt-parts.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';
import { GLM_DESKTOP_ACTION_SPACE, parseGlmDesktopReply } from './desktop-grammar.ts';
import { SOM_ACTION_SPACE, parseSomReply } from './som-grammar.ts';

/** Official sampling: temperature ≈ 0, up to 8192 new tokens; special tokens kept so the box survives. */
export const GLM_REQUEST = { maxTokens: 8192, temperature: 0.001, extra: { skip_special_tokens: false } };

function desktopPrompt(ctx: PromptContext): string {
  const earlier = ctx.history.filter((h) => h.image).length;
  return `You are a GUI agent operating a computer. Decide the next action toward the task.

${taskLines(ctx)}

${SCREEN_TEXT_RULE}

The first image is the current screenshot.${earlier ? ` The next ${earlier} image(s) are earlier screenshots at half size, most recent first.` : ''}
Coordinates are thousandths of the screenshot's width and height: integers from 0 to 1000, [0,0] is the top-left corner.

Action space:
${GLM_DESKTOP_ACTION_SPACE}

${historyBlock(ctx.history)}

Reply with a short explanation, then exactly one action wrapped in <|begin_of_box|> and <|end_of_box|>, then "Memory:" followed by a JSON list of notes worth keeping.`;
}

function somPrompt(ctx: PromptContext): string {
  return `You are a web browsing agent. The screenshot carries numbered labels over the interactive elements; the list gives each label's element.

${taskLines(ctx)}

${SCREEN_TEXT_RULE}

Elements:
${elementList(ctx) || '(none found)'}

Actions:
${SOM_ACTION_SPACE}

${historyBlock(ctx.history)}

Reply in this form:
Thought: {a brief reasoning}
Action: {one action, e.g. Click [3]}
Memory_Updated: {a JSON object of notes}`;
}

/** Current screenshot first, then up to four earlier ones at half size, then the text. */
function glm41Messages(text: string) {
  return (ctx: PromptContext) => {
    const parts: ChatPart[] = [imagePart(ctx.image)];
    for (const h of [...ctx.history].reverse()) if (h.image) parts.push(imagePart(h.image));
    parts.push(textPart(text));
    return [{ role: 'user' as const, content: parts }];
  };
}

/** What GLM is asked after a rejected answer: to answer again with one valid action, written `where`. */
export const glmRepair = (where: string) => `Look at the screenshot again and answer with exactly one valid action ${where}.`;

const GLM41_SPEC = {
  resize: GLM_RESIZE,
  coordinates: 'thousandths',
  imageOrder: 'current-first',
  history: { maxImages: 4, imageScale: 0.5 },
  request: GLM_REQUEST,
  thinking: { budgetTokens: 4096, answerTokens: 1024, forceAnswer: 'glm-answer-tag' },
} as const;

export const glm41vThinking: ModelProfile = defineProfile({
  ...GLM41_SPEC,
  family: 'glm-4.1v-thinking',
  description: 'GLM-4.1V-9B-Thinking, desktop function grammar, coordinates in thousandths',
  buildMessages: (ctx) => glm41Messages(desktopPrompt(ctx))(ctx),
  parse: (text, reasoning, ctx) => parseGlmDesktopReply(text, reasoning, ctx),
  repair: glmRepair('inside <|begin_of_box|>…<|end_of_box|>'),
});

export const glm41vThinkingSom: ModelProfile = defineProfile({
  ...GLM41_SPEC,
  family: 'glm-4.1v-thinking:som',
  description: 'GLM-4.1V-9B-Thinking, web set-of-marks (numbered elements, Click [N] grammar)',
  setOfMarks: true,
  buildMessages: (ctx) => glm41Messages(somPrompt(ctx))(ctx),
  parse: (text, reasoning, ctx) => parseSomReply(text, reasoning, ctx),
  repair: glmRepair('on the "Action:" line, naming an element by its number'),
});
