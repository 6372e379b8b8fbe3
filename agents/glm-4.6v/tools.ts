import type { ActionInput } from '../../src/core/actions.ts';
import type { ToolCall, ToolSpec } from '../../src/core/model-client.ts';
import { glmDesktopCallToAction } from '../glm-common/desktop-grammar.ts';
import type { FunctionCall } from '../profile/parsing/function-call.ts';
import { splitThinking } from '../profile/parsing/reply-text.ts';
import { clip } from '../profile/parsing/show-json.ts';
import { ReplyParseError, type ParseContext, type ParsedReply } from '../profile/profile.ts';

const point = (what: string) => ({ type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2, description: `Coordinates [x,y] ${what}, normalized to 0-999 range.` });
const elementInfo = (what: string) => ({ type: 'string', description: `Optional text description of the UI element being ${what}.` });
const fn = (name: string, description: string, properties: Record<string, unknown> = {}, required: string[] = []): ToolSpec => ({
  name,
  description,
  parameters: { type: 'object', properties, required },
});

/**
 * GLM-4.5V's desktop action space (zai-org/GLM-V examples/gui-agent/glm-45v/gui_agent_45v.py
 * `PC_ACTION_SPACE`) as valid OpenAI tool schemas: the names, parameters and descriptions are
 * that block's; the grouped left/right/middle click is split into three functions.
 */
export const GLM_TOOLS: ToolSpec[] = [
  ...(['left', 'right', 'middle'] as const).map((b) =>
    fn(`${b}_click`, `Perform a ${b} mouse click at the specified coordinates on the screen.`, { start_box: point('where to perform the click'), element_info: elementInfo('clicked') }, ['start_box']),
  ),
  fn('hover', 'Move the mouse pointer to the specified coordinates without performing any click action.', { start_box: point('where to move the mouse pointer'), element_info: elementInfo('hovered over') }, ['start_box']),
  fn('left_double_click', 'Perform a left mouse double-click at the specified coordinates on the screen.', { start_box: point('where to perform the double-click'), element_info: elementInfo('double-clicked') }, ['start_box']),
  fn(
    'left_drag',
    'Drag the mouse from starting coordinates to ending coordinates while holding the left mouse button.',
    { start_box: point('where the drag starts'), end_box: point('where the drag ends'), element_info: elementInfo('dragged') },
    ['start_box', 'end_box'],
  ),
  fn('key', 'Simulate pressing a single key or combination of keys on the keyboard.', { keys: { type: 'string', description: "The key or key combination to press. Use '+' to separate keys in combinations (e.g., 'ctrl+c', 'alt+tab')." } }, ['keys']),
  fn(
    'type',
    'Type text content into the currently focused text input field. This action only performs typing and does not handle field activation or clearing.',
    { content: { type: 'string', description: 'The text content to be typed into the active text field.' } },
    ['content'],
  ),
  fn(
    'scroll',
    'Scroll an element at the specified coordinates in the specified direction by a given number of wheel steps.',
    {
      start_box: point('of the element or area to scroll'),
      direction: { type: 'string', enum: ['down', 'up'], description: "The direction to scroll: 'down' or 'up'." },
      step: { type: 'integer', default: 5, description: 'Number of wheel steps to scroll, default is 5.' },
      element_info: elementInfo('scrolled'),
    },
    ['start_box', 'direction'],
  ),
  fn('WAIT', 'Wait for 5 seconds before proceeding to the next action.'),
  fn('DONE', 'Indicate that the current task has been completed successfully and no further actions are needed.'),
  fn('FAIL', 'Indicate that the current task cannot be completed or is impossible to accomplish.'),
];

const BY_NAME = new Map(GLM_TOOLS.map((t) => [t.name, t]));

/** Tool calls written in the text, as GLM writes them when the server has no glm45 tool parser. */
export function toolCallsInText(text: string): ToolCall[] {
  return [...text.matchAll(/<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g)].map((m, i) => {
    const body = m[1];
    const name = body.split(/<arg_key>|\n/)[0].trim();
    const args: Record<string, unknown> = {};
    for (const a of body.matchAll(/<arg_key>([\s\S]*?)<\/arg_key>\s*<arg_value>([\s\S]*?)<\/arg_value>/g)) {
      const raw = a[2].trim();
      let value: unknown = raw;
      try {
        value = JSON.parse(raw);
      } catch {
        /* a plain string value */
      }
      args[a[1].trim()] = value;
    }
    return { id: `text_call_${i}`, name, arguments: JSON.stringify(args) };
  });
}

/** One tool call to a canonical action, its arguments checked against the tool's schema. */
export function glmToolCallToAction(call: ToolCall, ctx: ParseContext): ActionInput {
  const tool = BY_NAME.get(call.name);
  if (!tool) throw new ReplyParseError(`unknown tool ${clip(call.name)}; expected one of ${GLM_TOOLS.map((t) => t.name).join(', ')}`);
  let args: unknown;
  try {
    args = call.arguments.trim() ? JSON.parse(call.arguments) : {};
  } catch {
    throw new ReplyParseError(`the arguments of ${call.name} are not JSON: ${clip(call.arguments)}`);
  }
  if (!args || typeof args !== 'object' || Array.isArray(args)) throw new ReplyParseError(`the arguments of ${call.name} must be a JSON object`);
  const known = Object.keys((tool.parameters as { properties: Record<string, unknown> }).properties);
  const asText: Record<string, string> = {};
  for (const [k, v] of Object.entries(args)) {
    if (!known.includes(k)) throw new ReplyParseError(`${call.name} has no argument ${clip(k)}; its arguments are ${known.join(', ') || 'none'}`);
    asText[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  for (const r of (tool.parameters as { required: string[] }).required) {
    if (asText[r] === undefined) throw new ReplyParseError(`${call.name} needs ${r}`);
  }
  const fc: FunctionCall = { name: call.name, args: asText, positional: [], start: 0, end: 0 };
  return glmDesktopCallToAction(fc, ctx);
}

/** A reply of a tool-calling GLM: the calls the server parsed, or the ones left in the text by a server without the parser. */
export function parseGlmToolReply(text: string, reasoning: string | undefined, ctx: ParseContext): ParsedReply {
  const split = splitThinking(text, reasoning);
  const calls = ctx.toolCalls?.length ? ctx.toolCalls : toolCallsInText(split.answer);
  if (!calls.length) {
    throw new ReplyParseError(`expected one tool call (${GLM_TOOLS.map((t) => t.name).join(', ')}) and the reply has none`);
  }
  const notes: Record<string, unknown> = {};
  if (!ctx.toolCalls?.length) notes.toolCalls = 'read from the text (the server did not parse them)';
  const prose = split.answer.replace(/<tool_call>[\s\S]*?(<\/tool_call>|$)/g, '').trim();
  return { reasoning: [split.reasoning, prose].filter(Boolean).join('\n') || undefined, actions: calls.map((c) => glmToolCallToAction(c, ctx)), notes };
}
