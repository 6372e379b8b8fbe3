import { UI_TARS_RESIZE } from '../../kernels/smart-resize.ts';
import { defineProfile, type ModelProfile } from '../profile/profile.ts';
import { pixelPoint, type UiTarsLayout, uiTarsMessages, uiTarsSimulator } from '../ui-tars-common/conversation.ts';
import { uiTarsPrompt } from '../ui-tars-common/prompt.ts';
import { parseUiTarsReply, type UiTarsDialect } from '../ui-tars-common/grammar.ts';

/**
 * UI-TARS-1.5: the COMPUTER_USE template of bytedance/UI-TARS codes/prompts.py (the one the 1.5
 * README points to), in OSWorld's history-5 conversation (mm_agents/uitars15_v1.py), with
 * coordinates in pixels of the smart-resized image (README_coordinates.md; codes/ui_tars/
 * action_parser.py with model_type "qwen25vl"). The output format, action space lines and their
 * escaping notes are the template's; the other sentences are ours.
 */
const ACTION_SPACE = `click(start_box='<|box_start|>(x1,y1)<|box_end|>')
left_double(start_box='<|box_start|>(x1,y1)<|box_end|>')
right_single(start_box='<|box_start|>(x1,y1)<|box_end|>')
drag(start_box='<|box_start|>(x1,y1)<|box_end|>', end_box='<|box_start|>(x3,y3)<|box_end|>')
hotkey(key='')
type(content='xxx') # Use escape characters \\', \\", and \\n in content part to ensure we can parse the content in normal python string format. If you want to submit your input, use \\n at the end of content. 
scroll(start_box='<|box_start|>(x1,y1)<|box_end|>', direction='down or up or right or left')
wait() #Sleep for 5s and take a screenshot to check for any changes.
finished(content='xxx') # Use escape characters \\', \\", and \\n in content part to ensure we can parse the content in normal python string format.`;


const LAYOUT: UiTarsLayout = { system: true, boxTokensInHistory: true };

const DIALECT: UiTarsDialect = {
  family: 'ui-tars-1.5',
  shows: "start_box='(x,y)' in pixels of the screenshot",
  refuse: (raw) => (/<point>|<bbox>/.test(raw) ? 'is in the <point>/<bbox> notation of Doubao / UI-TARS-2 (thousandths), not pixels' : undefined),
};

export const uiTars15: ModelProfile = defineProfile({
  family: 'ui-tars-1.5',
  description: 'UI-TARS-1.5, COMPUTER_USE grammar in the OSWorld history-5 conversation, absolute pixels of the smart-resized image',
  resize: UI_TARS_RESIZE,
  coordinates: 'sent-pixels',
  imageOrder: 'current-last',
  history: { maxSteps: 50, maxImages: 4 },
  // OSWorld run settings (run_multienv_uitars15_v1.py): temperature 0, top_p 0.9, max_tokens 1000; frequency_penalty 1 as both official clients send.
  request: { maxTokens: 1000, temperature: 0, extra: { top_p: 0.9, frequency_penalty: 1 } },
  recognize: /ui-?tars-?1\.5/i,
  serving: 'vllm serve ByteDance-Seed/UI-TARS-1.5-7B --served-model-name ui-tars-1.5 --limit-mm-per-prompt \'{"image": 5}\'',
  buildMessages: (ctx) => uiTarsMessages(uiTarsPrompt('computer', ACTION_SPACE, ctx), ctx, LAYOUT),
  parse: (text, reasoning, ctx) => parseUiTarsReply(text, reasoning, ctx, DIALECT),
  repair: 'Answer again as Thought: … then Action: … with a valid action and coordinates inside the screenshot.',
  simulator: uiTarsSimulator(LAYOUT, pixelPoint),
});

/** MOBILE_USE of codes/prompts.py: the phone action space, the same conversation and coordinates. */
const MOBILE_ACTION_SPACE = `click(start_box='<|box_start|>(x1,y1)<|box_end|>')
long_press(start_box='<|box_start|>(x1,y1)<|box_end|>')
type(content='') #If you want to submit your input, use "\\n" at the end of \`content\`.
scroll(start_box='<|box_start|>(x1,y1)<|box_end|>', direction='down or up or right or left')
open_app(app_name=\'\')
drag(start_box='<|box_start|>(x1,y1)<|box_end|>', end_box='<|box_start|>(x3,y3)<|box_end|>')
press_home()
press_back()
finished(content='xxx') # Use escape characters \\', \\", and \\n in content part to ensure we can parse the content in normal python string format.`;


export const uiTars15Mobile: ModelProfile = defineProfile({
  ...uiTars15,
  family: 'ui-tars-1.5:mobile',
  description: 'UI-TARS-1.5 on a phone-sized page: MOBILE_USE grammar (tap, long press, drag as a swipe), history-5, pixels of the resized screenshot',
  buildMessages: (ctx) => uiTarsMessages(uiTarsPrompt('mobile', MOBILE_ACTION_SPACE, ctx, ['The phone is a web page in a browser: open_app and press_home do nothing here.']), ctx, LAYOUT),
  parse: (text, reasoning, ctx) => parseUiTarsReply(text, reasoning, ctx, { ...DIALECT, family: 'ui-tars-1.5:mobile', mobile: true }),
  repair: 'Answer again as Thought: … then Action: … with a valid action of the phone action space and coordinates inside the screenshot.',
  simulator: uiTars15.simulator,
});
