import { UI_TARS_RESIZE } from '../../kernels/smart-resize.ts';
import type { ChatPart } from '../../src/core/model-client.ts';
import { defineProfile, type ModelProfile, type PromptContext } from '../profile/profile.ts';
import { historyLine, imagePart, taskLines, textPart } from '../profile/prompt-parts.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';
import { parseUiTarsReply } from './grammar.ts';

/** UI-TARS-1.5's computer-use prompt, with coordinates in pixels of the image it sees. */
function prompt(ctx: PromptContext): string {
  return `You are a GUI agent. You are given a task and your action history, with screenshots. You need to perform the next action to complete the task.

## Output Format
\`\`\`
Thought: ...
Action: ...
\`\`\`

## Action Space
click(start_box='<|box_start|>(x1,y1)<|box_end|>')
left_double(start_box='<|box_start|>(x1,y1)<|box_end|>')
right_single(start_box='<|box_start|>(x1,y1)<|box_end|>')
drag(start_box='<|box_start|>(x1,y1)<|box_end|>', end_box='<|box_start|>(x3,y3)<|box_end|>')
hotkey(key='ctrl c') # Split keys with a space and use lowercase.
type(content='xxx') # Use escape characters \\', \\", and \\n in content part to ensure we can parse the content in normal python string format. If you want to submit your input, use "\\n" at the end of content.
scroll(start_box='<|box_start|>(x1,y1)<|box_end|>', direction='down or up or right or left')
wait() # Sleep and take a screenshot to check for any changes.
finished(content='xxx') # Use escape characters \\', \\", and \\n in content part.
call_user() # Submit the task and call the user when the task is unsolvable, or when you need the user's help.

## Note
- Coordinates are pixels of the screenshot as you see it (${ctx.image.width}x${ctx.image.height}).
- Write a small plan and finally summarize your next action (with its target element) in one sentence in \`Thought\` part.
- ${SCREEN_TEXT_RULE}

## User Instruction
${taskLines(ctx)}`;
}

function messages(ctx: PromptContext) {
  const parts: ChatPart[] = [textPart(prompt(ctx))];
  if (ctx.history.length) parts.push(textPart('Previous steps:'));
  for (const h of ctx.history) {
    parts.push(textPart(historyLine(h)));
    if (h.image) parts.push(imagePart(h.image));
  }
  parts.push(imagePart(ctx.image));
  return [{ role: 'user' as const, content: parts }];
}

export const uiTars15: ModelProfile = defineProfile({
  family: 'ui-tars-1.5',
  description: 'UI-TARS-1.5, Thought/Action function grammar, absolute pixels of the smart-resized image',
  resize: UI_TARS_RESIZE,
  coordinates: 'sent-pixels',
  imageOrder: 'current-last',
  history: { maxImages: 2 },
  request: { maxTokens: 1024, temperature: 0 },
  buildMessages: messages,
  parse: (text, reasoning, ctx) => parseUiTarsReply(text, reasoning, ctx),
  repair: 'Answer again as Thought: … then Action: … with a valid action and coordinates inside the screenshot.',
});
