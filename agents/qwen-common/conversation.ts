import type { ChatMessage } from '../../src/core/model-client.ts';
import { labelled } from '../profile/parsing/reply-text.ts';
import { parseLooseJson } from '../profile/parsing/tolerant-json.ts';
import type { PromptContext, PromptHistoryStep } from '../profile/profile.ts';
import { imagePart, pythonJson, textPart } from '../profile/prompt-parts.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';
import { expect, imagesIn, messages, partsOf, textIn, type ChatBody, type RequestView } from '../profile/simulate.ts';

/**
 * The system message Qwen-Agent builds for a function (qwen_agent/llm/fncall_prompts/
 * nous_fncall_prompt.py FN_CALL_TEMPLATE, `preprocess_fncall_messages`): "You are a helpful
 * assistant." and, as a second text item, the tool block with the function serialised by
 * json.dumps. Our safety note follows as a third item.
 */
export function toolSystemMessage(fn: Record<string, unknown>, after = ''): ChatMessage {
  const tools = `\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n${pythonJson({ type: 'function', function: fn })}\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>`;
  return { role: 'system', content: [textPart('You are a helpful assistant.'), textPart(tools + after), textPart(`\n\n${SCREEN_TEXT_RULE}`)] };
}

/** An earlier step as Qwen2.5-VL's cookbook writes it: the tool call itself, as json.dumps wrote it. */
export function toolCallStep(h: PromptHistoryStep): string {
  const calls = [...(h.reply?.answer ?? '').matchAll(/<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g)].map((m) => {
    try {
      return pythonJson(parseLooseJson(m[1]));
    } catch {
      return m[1].trim();
    }
  });
  return calls.length ? calls.join(', ') : h.summary;
}

/** An earlier step as Qwen3-VL's cookbook writes it: the reply's "Action:" sentence, quotes and line breaks removed. */
export function actionSentenceStep(h: PromptHistoryStep): string {
  const line = h.reply ? labelled(h.reply.answer.replace(/<tool_call>[\s\S]*$/, ''), 'Action')?.split('\n')[0] : undefined;
  return (line ?? h.summary).replace(/\n/g, '').replace(/"/g, '');
}

export interface QwenUserLayout {
  /** Renders the user text from the query and the "Step k: …; " history. */
  text(query: string, steps: string): string;
  /** The image before the text (computer_use API cookbook) or after it (mobile cookbook). */
  imageFirst: boolean;
  step(h: PromptHistoryStep): string;
}

export function qwenMessages(system: ChatMessage, ctx: PromptContext, query: string, layout: QwenUserLayout): ChatMessage[] {
  const steps = ctx.history.map((h) => `Step ${h.index + 1}: ${layout.step(h)}; `).join('');
  const text = textPart(layout.text(query, steps));
  return [system, { role: 'user', content: layout.imageFirst ? [imagePart(ctx.image), text] : [text, imagePart(ctx.image)] }];
}

export function readQwenRequest(body: ChatBody, resolution: (text: string) => void, queryOf: (text: string) => string): RequestView {
  const ms = messages(body);
  expect(ms.length === 2 && ms[0].role === 'system' && ms[1].role === 'user', 'Qwen takes the tool system message and one user message (earlier steps are text in it)');
  const system = partsOf(ms[0]);
  expect(system[0]?.type === 'text' && system[0].text === 'You are a helpful assistant.', 'the system message starts with "You are a helpful assistant." as its own text item');
  const sys = textIn(system);
  expect(sys.includes('\n\n# Tools\n\n') && sys.includes('<tools>\n{"type": "function", "function": {'), 'the tool block follows, with the function as json.dumps writes it');
  resolution(sys);
  const user = partsOf(ms[1]);
  const images = imagesIn(user);
  expect(images.length === 1, 'one screenshot, the current one');
  const text = textIn(user);
  const steps = [...text.matchAll(/Step (\d+): /g)].length;
  return { task: queryOf(text), current: images[0], historySteps: steps };
}
