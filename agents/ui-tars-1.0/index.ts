import { defineProfile, type ModelProfile } from '../profile/profile.ts';
import { centre, thousandths, type EncodeOptions, type SimBox } from '../profile/simulate.ts';
import { type UiTarsLayout, uiTarsMessages, uiTarsSimulator } from '../ui-tars-common/conversation.ts';
import { uiTarsPrompt } from '../ui-tars-common/prompt.ts';
import { ANY_NOTATION, parseUiTarsReply } from '../ui-tars-common/grammar.ts';

/**
 * UI-TARS 1.0 (Qwen2-VL based): OSWorld's qwen2vl_user setup (mm_agents/uitars_agent.py with
 * UITARS_USR_PROMPT_THOUGHT and UITARS_CALL_USR_ACTION_SPACE; run_multienv_uitars15_v1.py:
 * max_pixels 2700*28*28, min_pixels 4*28*28) in the history-5 conversation. Its coordinates
 * are relative, thousandths of the image (bytedance/UI-TARS README "Coordinate Mapping"; the
 * maintainers in issue #195: 1.0 writes 0-1000 relative values, 1.5 absolute ones).
 */
const ACTION_SPACE = `
click(start_box='<|box_start|>(x1,y1)<|box_end|>')
left_double(start_box='<|box_start|>(x1,y1)<|box_end|>')
right_single(start_box='<|box_start|>(x1,y1)<|box_end|>')
drag(start_box='<|box_start|>(x1,y1)<|box_end|>', end_box='<|box_start|>(x3,y3)<|box_end|>')
hotkey(key='')
type(content='') #If you want to submit your input, use "\\n" at the end of \`content\`.
scroll(start_box='<|box_start|>(x1,y1)<|box_end|>', direction='down or up or right or left')
wait() #Sleep for 5s and take a screenshot to check for any changes.
finished()
call_user() # Submit the task and call the user when the task is unsolvable, or when you need the user's help.
`;


const LAYOUT: UiTarsLayout = { system: true, boxTokensInHistory: true };

const relativePoint = (b: SimBox, o: EncodeOptions) => {
  if (o.outOfRange) return '(1200,1300)';
  const [cx, cy] = centre(b);
  return `(${thousandths(cx, o.width)},${thousandths(cy, o.height)})`;
};

export const uiTars10: ModelProfile = defineProfile({
  family: 'ui-tars-1.0',
  description: 'UI-TARS 1.0 (2B/7B/72B), the OSWorld qwen2vl_user prompt in the history-5 conversation, coordinates relative (thousandths)',
  resize: { factor: 28, minPixels: 4 * 28 * 28, maxPixels: 2700 * 28 * 28, maxAspectRatio: 200, temporalFrames: 1 },
  coordinates: 'thousandths',
  imageOrder: 'current-last',
  history: { maxSteps: 50, maxImages: 4 },
  request: { maxTokens: 1000, temperature: 0, extra: { top_p: 0.9, frequency_penalty: 1 } },
  recognize: /ui-?tars(?!-?1\.5|-?2)/i,
  serving: "vllm serve ByteDance-Seed/UI-TARS-7B-DPO --served-model-name ui-tars --limit-mm-per-prompt '{\"image\": 5}' (the README's command, vLLM >= 0.6.1)",
  buildMessages: (ctx) => uiTarsMessages(uiTarsPrompt('call-user', ACTION_SPACE, ctx), ctx, LAYOUT),
  parse: (text, reasoning, ctx) => parseUiTarsReply(text, reasoning, ctx, ANY_NOTATION('ui-tars-1.0', "start_box='(x,y)' in thousandths (0-1000) of the screenshot")),
  repair: 'Answer again as Thought: … then Action: … with a valid action; coordinates are thousandths (0-1000) of the screenshot.',
  simulator: uiTarsSimulator(LAYOUT, relativePoint),
});
