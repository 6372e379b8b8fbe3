import { defineProfile, type ModelProfile } from '../profile/profile.ts';
import { centre, thousandths, type EncodeOptions, type SimBox } from '../profile/simulate.ts';
import { type UiTarsLayout, uiTarsMessages, uiTarsSimulator } from '../ui-tars-common/conversation.ts';
import { uiTarsPrompt } from '../ui-tars-common/prompt.ts';
import { parseUiTarsReply, type UiTarsDialect } from '../ui-tars-common/grammar.ts';

/**
 * The `<point>` generation: doubao-1.5-ui-tars and the Seed models after it (the "UI-TARS-2"
 * era; no UI-TARS-2 prompt is published, these are the formats its tooling parses). Prompt:
 * COMPUTER_USE_DOUBAO of bytedance/UI-TARS codes/ui_tars/prompt.py, which Volcengine requires as a
 * fixed prompt, sent as the first user message (Volcengine "GUI 任务处理" quick start) in the
 * history-5 conversation without add_box_token (OSWorld mm_agents/uitars15_v2.py). Coordinates:
 * `<point>x y</point>` in thousandths (codes/README.md parses them with factor 1000). Also read:
 * Seed's `<seed:tool_call>` XML and `<think…>` tags (UI-TARS-desktop multimodal/gui-agent).
 */
const ACTION_SPACE = `click(point='<point>x1 y1</point>')
left_double(point='<point>x1 y1</point>')
right_single(point='<point>x1 y1</point>')
drag(start_point='<point>x1 y1</point>', end_point='<point>x2 y2</point>')
hotkey(key='ctrl c') # Split keys with a space and use lowercase. Also, do not use more than 3 keys in one hotkey action.
type(content='xxx') # Use escape characters \\', \\", and \\n in content part to ensure we can parse the content in normal python string format. If you want to submit your input, use \\n at the end of content. 
scroll(point='<point>x1 y1</point>', direction='down or up or right or left') # Show more information on the \`direction\` side.
wait() #Sleep for 5s and take a screenshot to check for any changes.
finished(content='xxx') # Use escape characters \\', \\", and \\n in content part to ensure we can parse the content in normal python string format.`;


const LAYOUT: UiTarsLayout = { system: false, boxTokensInHistory: false };

const DIALECT: UiTarsDialect = {
  family: 'ui-tars-2',
  shows: "point='<point>x y</point>' in thousandths (0-1000) of the screenshot",
  refuse: (raw) => (/<\|box_start\|>|^\s*\(/.test(raw) && !/<point>|<bbox>/.test(raw) ? "is in UI-TARS-1.5's (x,y) pixel notation" : undefined),
};

const point = (b: SimBox, o: EncodeOptions) => {
  if (o.outOfRange) return '<point>1200 1300</point>';
  const [cx, cy] = centre(b);
  return `<point>${thousandths(cx, o.width)} ${thousandths(cy, o.height)}</point>`;
};

export const uiTars2: ModelProfile = defineProfile({
  family: 'ui-tars-2',
  description: 'Doubao / Seed UI-TARS (<point> grammar, COMPUTER_USE_DOUBAO, history-5), coordinates in thousandths',
  // UI-TARS-desktop's budget for the Doubao models (packages/ui-tars/shared/src/constants/vlm.ts MAX_PIXELS_DOUBAO).
  resize: { factor: 28, minPixels: 100 * 28 * 28, maxPixels: 5120 * 28 * 28, maxAspectRatio: 200, temporalFrames: 1 },
  coordinates: 'thousandths',
  imageOrder: 'current-last',
  history: { maxSteps: 50, maxImages: 4 },
  request: { maxTokens: 3000, temperature: 0 },
  recognize: /ui-?tars-?2|doubao.*ui-?tars|seed.*(?:ui|gui)/i,
  serving: 'an OpenAI-compatible endpoint serving a Doubao / Seed UI-TARS model (e.g. Volcengine doubao-1.5-ui-tars); images go in as data URLs',
  buildMessages: (ctx) => uiTarsMessages(uiTarsPrompt('computer', ACTION_SPACE, ctx), ctx, LAYOUT),
  parse: (text, reasoning, ctx) => parseUiTarsReply(text, reasoning, ctx, DIALECT),
  repair: "Answer again as Thought: … then Action: … with a valid action and point='<point>x y</point>' in thousandths (0-1000).",
  simulator: uiTarsSimulator(LAYOUT, point, 'point'),
});

/** MOBILE_USE_DOUBAO of codes/ui_tars/prompt.py. */
const MOBILE_ACTION_SPACE = `click(point='<point>x1 y1</point>')
long_press(point='<point>x1 y1</point>')
type(content='') #If you want to submit your input, use "\\n" at the end of \`content\`.
scroll(point='<point>x1 y1</point>', direction='down or up or right or left')
open_app(app_name=\'\')
drag(start_point='<point>x1 y1</point>', end_point='<point>x2 y2</point>')
press_home()
press_back()
finished(content='xxx') # Use escape characters \\', \\", and \\n in content part to ensure we can parse the content in normal python string format.`;


export const uiTars2Mobile: ModelProfile = defineProfile({
  ...uiTars2,
  family: 'ui-tars-2:mobile',
  description: 'Doubao / Seed UI-TARS on a phone-sized page: MOBILE_USE_DOUBAO grammar, <point> in thousandths, history-5',
  buildMessages: (ctx) => uiTarsMessages(uiTarsPrompt('mobile', MOBILE_ACTION_SPACE, ctx, ['The phone is a web page in a browser: open_app and press_home do nothing here.']), ctx, LAYOUT),
  parse: (text, reasoning, ctx) => parseUiTarsReply(text, reasoning, ctx, { ...DIALECT, family: 'ui-tars-2:mobile', mobile: true }),
  repair: "Answer again as Thought: … then Action: … with a valid action of the phone action space and point='<point>x y</point>' in thousandths (0-1000).",
  simulator: uiTars2.simulator,
});
