import type { ChatMessage } from '../../src/core/model-client.ts';
import { parseLooseJson } from '../profile/parsing/tolerant-json.ts';
import { boxedSpans, stripBoxTokens } from '../profile/parsing/reply-text.ts';
import type { PromptContext, PromptHistoryStep } from '../profile/profile.ts';
import { imagePart, pythonRepr, taskText, textPart } from '../profile/prompt-parts.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';
import { between, expect, imagesIn, messages, partsOf, textIn, thousandths, type ChatBody, type EncodeOptions, type RequestView, type SimAnswer } from '../profile/simulate.ts';
import { mobileSections } from './mobile-grammar.ts';

/**
 * The AndroidWorld conversation of GLM-4.1V and GLM-4.5V (zai-org/GLM-V
 * examples/gui-agent/glm-41v/gui_agent_41v.py and glm-45v/gui_agent_45v.py `get_mobile_prompt`,
 * `main`): one user message, the current screenshot then the prompt; earlier steps as
 * "Step {i}:\n{Memory, Reason and Action of that step}\n\n" numbered from 0, the action written
 * as Python prints a dict and without box tokens (glm-41v/agent.md's example); no history
 * screenshots. The phone is a page in a browser: there are no apps to open and no home screen.
 */

export const NO_APPS = '(none: the phone is a web page in a browser, no app can be opened)';

/** One earlier step as the official history holds it. */
function historyItem(h: PromptHistoryStep): string {
  if (!h.reply) return `Memory: None\nReason: (${h.summary}: ${h.outcome})\nAction: None`;
  const s = mobileSections(stripBoxTokens(h.reply.answer));
  const raw = boxedSpans(h.reply.answer)[0] ?? s.action ?? '';
  let action = raw.trim();
  try {
    action = pythonRepr(parseLooseJson(raw));
  } catch {
    /* keep the text as the model wrote it */
  }
  return `Memory: ${s.memory || 'None'}\nReason: ${s.reason ?? ''}\nAction: ${action}`;
}

export function mobileHistory(ctx: PromptContext): string {
  if (!ctx.history.length) return 'You just started, no action has been performed yet.';
  return ctx.history.map((h, i) => `Step ${i}:\n${historyItem(h)}\n\n`).join('');
}

/** The output format both prompts end with, verbatim. */
const OUTPUT_FORMAT = `1. Memory: important information you want to remember for the future actions. The memory should be only contents on the screen that will be used in the future actions. It should satisfy that: you cannot determine one or more future actions without this memory. 
2. Reason: the reason for the action and the memory. Your reason should include, but not limited to:- the content of the GUI, especially elements that are tightly related to the user goal- the step-by-step thinking process of how you come up with the new action. 
3. Action: the action you want to take, in the correct JSON format. The action should be one of the above list.

Your answer should look like:
Memory: ...
Reason: ...
Action: {"action_type":...}`;

const GUIDELINES = `- Pick the easiest way; when something does not work, retry once, then switch to another way (the history shows what failed).
- For a question, reply with the \`answer\` action before finishing with \`status\`: showing the answer on the screen is not enough.
- If the goal is already reached, finish with \`status\` complete.
- Use \`input_text\` to type (it taps the field, types and presses Enter); clear the field first with override when it holds text.
- Swipe to reveal more content; the direction is the finger's: to see what is below, swipe up.
- Use \`navigate_back\` to close the soft keyboard or go back a page.
- ${SCREEN_TEXT_RULE}`;

/** GLM-4.1V's prompt: its action list line by line, verbatim, with our guidelines. */
export function glmMobilePrompt41(ctx: PromptContext): string {
  return `You are an agent who operates an Android phone for a user. Based on the user's goal or request, you may answer back when it is a question, or complete it by acting on the phone step by step.

At each step you get the current screenshot and a history of what you have done (in text). From these and the goal, choose one action of the following list (each description is followed by its JSON format) and output it in that JSON format.
- If you think the task has been completed, finish the task by using the status action with complete as goal_status: \`{"action_type": "status", "goal_status": "complete"}\`
- If you think the task is not feasible (including cases like you don't have enough information or can not perform some necessary actions), finish by using the \`status\` action with infeasible as goal_status: \`{"action_type": "status", "goal_status": "infeasible"}\`
- Answer user's question: \`{"action_type": "answer", "text": "<answer_text>"}\`
-- You should only answer once in one command. If you needs multiple pieces of information to answer the question, you should gather the information in "Memory" and answer the question when you have enough information.
- Click/tap on an element on the screen. Use the box_2d to indicate which element you want to click: \`{"action_type": "click", "box_2d": [[,,,]]}\`. The box_2d should be [[xmin,ymin,xmax,ymax]] normalized to 0-999, indicating the position of the element.
- Long press on an element on the screen, similar with the click action above, use the box_2d to indicate which element you want to long press: \`{"action_type": "long_press", "box_2d": [[,,,]]}\`.
- Type text into a text field (this action contains clicking the text field, typing in the text and pressing the enter, so no need to click on the target field to start), use the box_2d to indicate the target text field. The text to be input can be from the command, the memory, or the current screen: \`{"action_type": "input_text", "text": <text_input>, "box_2d": [[,,,]], 'override': True/False}\`. If override is True, the text field will be cleared before typing.
- Press the Enter key: \`{"action_type": "keyboard_enter"}\`
- Navigate to the home screen: \`{"action_type": "navigate_home"}\`
- Navigate back: \`{"action_type": "navigate_back"}\`
- Swipe the screen or a scrollable UI element in one of the four directions, use the box_2d as above if you want to swipe a specific UI element, leave it empty when swipe the whole screen: \`{"action_type": "swipe", "direction": <up, down, left, right>, "box_2d": [[,,,]](optional)}\`.
- Open an app (nothing will happen if the app is not installed): \`{"action_type": "open_app", "app_name": <name>}\`
-- supported app_names: ${NO_APPS}
- Wait for the screen to update: \`{"action_type": "wait"}\`

The current user goal/request is: ${taskText(ctx)}

Here is a history of what you have done so far:
${mobileHistory(ctx)}
The current screenshot is given to you.
Here are some useful guidelines you need to follow:
${GUIDELINES}

Now output:
${OUTPUT_FORMAT}`;
}

/** GLM-4.5V's prompt: the GUI-agent header, the Calling-rule action space, history, the output format. */
export function glmMobilePrompt45(ctx: PromptContext, actionSpace: string): string {
  return `You are a GUI Agent: you carry out the user's request, or answer the user's question, by operating the phone until the request is fulfilled. Read the screenshot and the request carefully, and think when it helps. The coordinates involved are all represented in thousandths (0-999).

# Task:
${taskText(ctx)}

# Task Platform
Mobile

# Action Space
${actionSpace}

# Historical Actions and Current Memory
${mobileHistory(ctx)}
# Output Format
${OUTPUT_FORMAT}

# Some Additional Notes
${GUIDELINES}
`;
}

export function glmMobileMessages(prompt: string, ctx: PromptContext): ChatMessage[] {
  return [{ role: 'user', content: [imagePart(ctx.image), textPart(prompt)] }];
}

export function readGlmMobileRequest(body: ChatBody, task: (text: string) => string): RequestView {
  const ms = messages(body);
  expect(ms.length === 1 && ms[0].role === 'user', 'the GLM mobile agent sends one user message');
  const parts = partsOf(ms[0]);
  expect(parts.length === 2 && parts[0].type === 'image' && parts[1].type === 'text', 'the current screenshot, then the prompt: no history screenshots');
  const text = textIn(parts);
  const steps = [...text.matchAll(/^Step (\d+):\nMemory: /gm)];
  steps.forEach((m, i) => expect(Number(m[1]) === i, `history steps are numbered from 0: step ${i} is numbered ${m[1]}`));
  expect(!/<\|begin_of_box\|>/.test(text), 'history actions carry no box tokens');
  return { task: task(text), current: imagesIn(parts)[0], historySteps: steps.length };
}

export const readGlm41Mobile = (body: ChatBody) => readGlmMobileRequest(body, (t) => between(t, 'The current user goal/request is: ', '\n\nHere is a history'));
export const readGlm45Mobile = (body: ChatBody) => readGlmMobileRequest(body, (t) => between(t, '# Task:\n', '\n\n# Task Platform'));

/** Test encoder: one AndroidWorld action, boxed, after Memory and Reason. */
export function glmMobileAnswer(a: SimAnswer, o: EncodeOptions): string {
  const b = (box: [number, number, number, number]) =>
    o.outOfRange ? [[1200, 100, 1300, 200]] : [[thousandths(box[0], o.width), thousandths(box[1], o.height), thousandths(box[2], o.width), thousandths(box[3], o.height)]];
  let action: Record<string, unknown>;
  switch (a.kind) {
    case 'click':
      action = { action_type: 'click', box_2d: b(a.box) };
      break;
    case 'long_press':
      action = { action_type: 'long_press', box_2d: b(a.box) };
      break;
    case 'type':
      if (!a.box) throw new Error('input_text needs the field');
      action = { action_type: 'input_text', text: a.text, box_2d: b(a.box), override: false };
      break;
    case 'key':
      if (a.keys.join('+') !== 'Enter') throw new Error(`AndroidWorld has no key ${a.keys.join('+')}`);
      action = { action_type: 'keyboard_enter' };
      break;
    case 'swipe':
      action = { action_type: 'swipe', direction: a.direction, ...(a.region ? { box_2d: b(a.region) } : {}) };
      break;
    case 'wait':
      action = { action_type: 'wait' };
      break;
    case 'finish':
      action = a.answer ? { action_type: 'answer', text: a.answer } : { action_type: 'status', goal_status: 'complete' };
      break;
    case 'fail':
      action = { action_type: 'status', goal_status: 'infeasible' };
      break;
    default:
      throw new Error(`AndroidWorld has no ${a.kind}`);
  }
  const json = JSON.stringify(action).replace(/,"/g, ', "').replace(/":/g, '": ');
  return `Memory: None\nReason: ${o.explanation}\nAction: ${o.specialTokens ? `<|begin_of_box|>${json}<|end_of_box|>` : json}`;
}
