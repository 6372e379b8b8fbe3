import { QWEN25VL_RESIZE } from '../../kernels/smart-resize.ts';
import { defineProfile, type ModelProfile, type PromptContext } from '../profile/profile.ts';
import { historyBlock, imageThenText, taskLines } from '../profile/prompt-parts.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';
import { parseQwenReply } from './grammar.ts';

function prompt(ctx: PromptContext): string {
  return `You operate a computer through its screenshot (${ctx.image.width}x${ctx.image.height} pixels). Decide the next action toward the task.

${taskLines(ctx)}

${SCREEN_TEXT_RULE}

${historyBlock(ctx.history)}

Answer with one JSON object in a \`\`\`json block. Coordinates are absolute pixels of this screenshot; locate targets with "bbox_2d": [x1, y1, x2, y2].
{"action": "click" | "double_click" | "right_click" | "hover", "bbox_2d": [x1, y1, x2, y2], "label": "what it is"}
{"action": "type", "text": "…", "bbox_2d": [x1, y1, x2, y2] (optional: the field to type into), "submit": false}
{"action": "key", "keys": "ctrl+a"}
{"action": "scroll", "direction": "up" | "down", "bbox_2d": [x1, y1, x2, y2] (optional)}
{"action": "wait"} {"action": "back"} {"action": "finish", "answer": "…"} {"action": "fail", "reason": "…"}`;
}

export const qwen25vl: ModelProfile = defineProfile({
  family: 'qwen2.5-vl',
  description: 'Qwen2.5-VL, JSON actions grounded with bbox_2d in absolute pixels of the smart-resized image',
  resize: QWEN25VL_RESIZE,
  coordinates: 'sent-pixels',
  imageOrder: 'current-first',
  request: { maxTokens: 1024, temperature: 0 },
  buildMessages: imageThenText(prompt),
  parse: (text, reasoning, ctx) => parseQwenReply(text, reasoning, ctx),
  repair: 'Answer again with one JSON action whose bbox_2d lies inside the screenshot.',
});
