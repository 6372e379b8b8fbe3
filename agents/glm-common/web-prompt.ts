import { labelled, stripBoxTokens } from '../profile/parsing/reply-text.ts';
import type { PromptContext, PromptHistoryStep } from '../profile/profile.ts';
import { taskText } from '../profile/prompt-parts.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';
import { between, expect, imagesIn, messages, partsOf, textIn, type ChatBody, type RequestView } from '../profile/simulate.ts';
import { readSomElementList, SOM_ACTION_FORMATS, SOM_OUTPUT_FORMAT, somElementList } from './som-grammar.ts';

/**
 * The web (WebVoyager, set-of-marks) prompts of GLM-4.1V and GLM-4.5V, laid out as
 * zai-org/GLM-V examples/gui-agent/glm-41v/gui_agent_41v.py and glm-45v/gui_agent_45v.py
 * `get_web_prompt` do: one user message, the labelled screenshot then the text; the last 15
 * steps as "{i}.Thought:…Action:…Observation:…" numbered from 0; the memory as a JSON object.
 * The action formats, history header and reply format are verbatim; the guidance is ours.
 */

const HISTORY_HEADER = 'You have **already performed the following actions** (format: Thought,Action,The Observation after the Action):\n';

/** One earlier step as the official history item: thought, action and what came of it. */
function historyItem(h: PromptHistoryStep, i: number): string {
  const answer = h.reply ? stripBoxTokens(h.reply.answer) : '';
  const thought = labelled(answer, 'Thought', ['Action']) ?? '';
  const action = labelled(answer, 'Action', ['Memory_Updated', 'Memory'])?.split('\n')[0] ?? h.summary;
  const observation = h.outcome === 'done' ? 'Success' : h.outcome;
  return `${i}.Thought:${thought}  Action:${action}  Observation:${observation}\n`;
}

function history(ctx: PromptContext): string {
  return ctx.history.slice(-15).map(historyItem).join('');
}

const GUIDELINES = `- To type, do not click the textbox first: type directly, and Enter is pressed for you afterwards. Click the search button when filters must be applied. Keep search words simple.
- Tell textboxes from buttons: never type into a button. When no textbox is shown, the search button may have to be clicked first.
- One action per step.
- Do not repeat an action when the page did not change: the label may be the wrong one. Do not wait again and again.
- When the task asks several things, ANSWER only at the very end, once all of them are done, in the format the task asks for.
- Act only on elements that carry a numerical label on the screenshot, and wait for labelled elements that are still loading.
- Ignore elements that do not serve the task (sign-in, donations); mind the numbers that belong to the page (a calendar) versus the labels.
- ${SCREEN_TEXT_RULE}`;

/** GLM-4.1V's web prompt. */
export function glmWebPrompt41(ctx: PromptContext): string {
  const task = taskText(ctx);
  return `Imagine you are an agent operating a computer the way people do: moving the mouse, clicking its buttons and typing with the keyboard. You can also give the special action 'ANSWER' once the task's answer has been found.
Your task is "${task}": work on ${ctx.url ?? 'the page shown'} to complete it. The image is a screenshot of the web page at this step, with a Numerical Label in the TOP LEFT corner of each Web Element.
Find on the screenshot the Numerical Label of the Web Element to act on, then choose one of these actions:
1. Click a Web Element.
2. Clear a textbox and type content into it.
3. Scroll up or down, the whole window or, for a scrollable area, over a Web Element inside it.
4. Wait 5 seconds for the page to finish loading.
5. Go back to the previous page.
6. Bing: open the Bing search page to start over when a site has nothing.
7. Key: press a key (Return).
8. Answer, only when every part of the task is solved.

Here's some additional information:
A. Your final task is ${task}.
B. Correspondingly, Action should STRICTLY follow the format:
${SOM_ACTION_FORMATS}
C. ${HISTORY_HEADER}${history(ctx)}
D. The "Memory" keeps only the information from the web pages that the task needs, strictly in JSON format, for example {"user_email_address": "test@163.com"}; never plans or descriptions of actions. The "Memory" in the current step as follow:
Memory:${ctx.memory ?? '{}'}
E. Each element's tag name and its text (if any). <textarea> or <input> may be a textbox, but not always: trust the screenshot first, then this list.
${somElementList(ctx.elements ?? [])}

Key Guidelines You MUST follow:
${GUIDELINES}

${SOM_OUTPUT_FORMAT}`;
}

/** GLM-4.5V's web prompt: the GUI-agent header, then the same formats in "#" sections. */
export function glmWebPrompt45(ctx: PromptContext): string {
  return `You are a GUI Agent: act on the user's request by operating the web page until the request is fulfilled or the question answered. Read the screenshot and the request carefully, and think when it helps. The coordinates involved are all represented in thousandths (0-999).

# Task:
${taskText(ctx)}, Please interact with ${ctx.url ?? 'the page shown'} and get the answer.

# Task Platform
Web

# Action Space
Action should STRICTLY follow the format:
${SOM_ACTION_FORMATS}

# Historical Actions and Current Memory
${HISTORY_HEADER}${history(ctx)}

The "Memory" in the current step as follow:
Memory:${ctx.memory ?? '{}'}

# Output Format
${SOM_OUTPUT_FORMAT}

# Some Additional Notes
A. The image is a screenshot of the web page at this step, with a Numerical Label in the TOP LEFT corner of each Web Element. Type clears the textbox first and presses Enter after the text; Scroll over an element scrolls the area it sits in; Wait waits 5 seconds; Key presses one key (Return).
B. Each element's tag name and its text (if any). <textarea> or <input> may be a textbox, but not always: trust the screenshot first, then this list.
${somElementList(ctx.elements ?? [])}
C. The "Memory" keeps only the information from the web pages that the task needs, strictly in JSON format, for example {"user_email_address": "test@163.com"}; never plans or descriptions of actions.
D. Key Guidelines You MUST follow:
${GUIDELINES}`;
}

function readWeb(body: ChatBody, which: string, task: (text: string) => string): RequestView {
  const ms = messages(body);
  expect(ms.length === 1 && ms[0].role === 'user', `${which} web takes one user message`);
  const parts = partsOf(ms[0]);
  expect(parts.length === 2 && parts[0].type === 'image' && parts[1].type === 'text', `${which} web sends the labelled screenshot, then the prompt (no history images)`);
  const text = textIn(parts);
  const items = [...between(text, HISTORY_HEADER, 'The "Memory" in the current step as follow:').matchAll(/^(\d+)\.Thought:/gm)];
  items.forEach((m, i) => expect(Number(m[1]) === i, `history items are numbered from 0: item ${i} is numbered ${m[1]}`));
  expect(!/<\|begin_of_box\|>/.test(between(text, HISTORY_HEADER, 'The "Memory" in the current step as follow:')), 'history items carry no box tokens');
  return { task: task(text), current: imagesIn(parts)[0], historySteps: items.length, elements: readSomElementList(text) };
}

export const readGlmWebRequest41 = (body: ChatBody) => readWeb(body, 'GLM-4.1V', (t) => between(t, '\nA. Your final task is ', '.\nB. Correspondingly'));
export const readGlmWebRequest45 = (body: ChatBody) => readWeb(body, 'GLM-4.5V', (t) => between(t, '# Task:\n', ', Please interact with '));
