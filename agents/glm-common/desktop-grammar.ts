import type { ActionInput, Target } from '../../src/core/actions.ts';
import type { ParseContext, ParsedReply } from '../profile/profile.ts';
import { ReplyParseError } from '../profile/profile.ts';
import { numbersIn } from '../profile/parsing/coordinates.ts';
import { findCalls, type FunctionCall } from '../profile/parsing/function-call.ts';
import { parseChord } from '../../src/core/keys.ts';
import { boxedSpans, labelled, splitThinking } from '../profile/parsing/reply-text.ts';
import { clip } from '../profile/parsing/show-json.ts';

/**
 * The GLM desktop (OSWorld) function grammar of GLM-4.1V and GLM-4.5V
 * (zai-org/GLM-V examples/gui-agent/glm-41v/gui_agent_41v.py `get_pc_prompt`, glm-45v/gui_agent_45v.py
 * `PC_ACTION_SPACE`). Upper-case WAIT/DONE/FAIL are exact names.
 */
export const GLM_DESKTOP_FUNCTIONS = [
  'left_click',
  'right_click',
  'middle_click',
  'hover',
  'left_double_click',
  'left_drag',
  'key',
  'type',
  'scroll',
  'WAIT',
  'DONE',
  'FAIL',
] as const;

/** WAIT() is "sleep for 5 seconds" in both official action spaces. */
const WAIT_MS = 5000;

function targetOf(call: FunctionCall, argName: string, ctx: ParseContext, required: boolean): Target | undefined {
  const raw = call.args[argName] ?? (argName === 'start_box' ? call.positional[0] : undefined);
  if (raw === undefined || raw.trim() === '') {
    if (required) throw new ReplyParseError(`${call.name} needs ${argName}='[x,y]'`);
    return undefined;
  }
  const t: Target = ctx.map.target(numbersIn(raw), `${call.name} ${argName}`);
  const label = call.args.element_info?.trim();
  if (label) t.label = label;
  return t;
}

/** One call of the desktop grammar to a canonical action (targets in frame pixels). */
export function glmDesktopCallToAction(call: FunctionCall, ctx: ParseContext): ActionInput {
  switch (call.name) {
    case 'left_click':
      return { action: 'click', target: targetOf(call, 'start_box', ctx, true)! };
    case 'right_click':
      return { action: 'click', button: 'right', target: targetOf(call, 'start_box', ctx, true)! };
    case 'middle_click':
      return { action: 'click', button: 'middle', target: targetOf(call, 'start_box', ctx, true)! };
    case 'left_double_click':
      return { action: 'click', count: 2, target: targetOf(call, 'start_box', ctx, true)! };
    case 'hover':
      return { action: 'hover', target: targetOf(call, 'start_box', ctx, true)! };
    case 'left_drag':
      return { action: 'drag', from: targetOf(call, 'start_box', ctx, true)!, to: targetOf(call, 'end_box', ctx, true)! };
    case 'key': {
      const chord = call.args.keys ?? call.args.key ?? call.positional[0];
      if (!chord) throw new ReplyParseError("key needs keys='…', e.g. key(keys='ctrl+c')");
      return { action: 'key', keys: parseChord(chord) };
    }
    case 'type': {
      const content = call.args.content ?? call.args.text ?? call.positional[0];
      if (content === undefined) throw new ReplyParseError("type needs content='…'");
      const submit = content.endsWith('\n');
      return { action: 'type', text: submit ? content.slice(0, -1) : content, submit };
    }
    case 'scroll': {
      const direction = (call.args.direction ?? 'down').trim().toLowerCase();
      if (!['up', 'down', 'left', 'right'].includes(direction)) {
        throw new ReplyParseError(`scroll direction must be up, down, left or right, got '${clip(direction)}'`);
      }
      const step = call.args.step === undefined ? 5 : Number(call.args.step);
      if (!Number.isInteger(step) || step <= 0) throw new ReplyParseError(`scroll step must be a positive integer, got '${clip(String(call.args.step))}'`);
      const target = targetOf(call, 'start_box', ctx, false);
      return { action: 'scroll', direction: direction as 'up', amount: step, ...(target ? { target } : {}) };
    }
    case 'WAIT':
      return { action: 'wait', ms: WAIT_MS };
    case 'DONE':
      return { action: 'finish' };
    case 'FAIL':
      return { action: 'fail', reason: call.args.reason ?? call.positional[0] ?? 'the model declared the task infeasible' };
    default:
      throw new ReplyParseError(`unknown action ${clip(call.name)}(); expected one of ${GLM_DESKTOP_FUNCTIONS.join(', ')}`);
  }
}

const UNKNOWN_CALL = /(?<![\w.])([A-Za-z_]\w*)\s*\(/;

/**
 * Parses a GLM desktop reply: thinking, an explanation, exactly one boxed action, "Memory:" notes.
 * Box tokens may have been stripped by the server; then the first known call in the answer is used.
 */
export function parseGlmDesktopReply(text: string, reasoning: string | undefined, ctx: ParseContext): ParsedReply {
  const split = splitThinking(text, reasoning);
  if (split.thinkingUnfinished && !split.answer) {
    throw new ReplyParseError('the reply ended inside <think> without an answer');
  }
  const spans = boxedSpans(split.answer);
  if (spans.length > 1) {
    throw new ReplyParseError(`expected exactly one boxed action, found ${spans.length}`);
  }
  const memory = labelled(split.answer, 'Memory');
  const answerBody = split.answer.replace(/(?:^|\n)\s*Memory\s*[:：][\s\S]*$/i, '');
  const region = spans.length === 1 ? spans[0] : answerBody;
  const calls = findCalls(region, GLM_DESKTOP_FUNCTIONS);
  if (calls.length === 0) {
    const unknown = spans.length === 1 ? UNKNOWN_CALL.exec(region) : null;
    if (unknown) throw new ReplyParseError(`unknown action ${clip(unknown[1])}(); expected one of ${GLM_DESKTOP_FUNCTIONS.join(', ')}`);
    throw new ReplyParseError(`no action found; reply with one of ${GLM_DESKTOP_FUNCTIONS.join(', ')} inside <|begin_of_box|>…<|end_of_box|>`);
  }
  const notes: Record<string, unknown> = {};
  if (memory) notes.memory = memory;
  if (spans.length === 0) notes.boxTokens = 'absent';
  return { reasoning: split.reasoning, actions: [glmDesktopCallToAction(calls[0], ctx)], notes, ...(memory !== undefined ? { memory } : {}) };
}
