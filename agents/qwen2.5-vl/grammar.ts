import type { ActionInput, Target } from '../../src/core/actions.ts';
import type { ParseContext, ParsedReply } from '../profile/profile.ts';
import { ReplyParseError } from '../profile/profile.ts';
import { parseChord } from '../../src/core/keys.ts';
import { splitThinking } from '../profile/parsing/reply-text.ts';
import { LooseJsonError, parseLooseJson } from '../profile/parsing/tolerant-json.ts';
import { showJson } from '../profile/parsing/show-json.ts';

type Obj = Record<string, unknown>;

const KINDS = ['click', 'double_click', 'right_click', 'hover', 'type', 'key', 'scroll', 'wait', 'back', 'navigate', 'finish', 'fail'];

function nums(v: unknown, what: string): number[] {
  // [[x1,y1,x2,y2]] is written as often as [x1,y1,x2,y2].
  const flat = Array.isArray(v) && v.length === 1 && Array.isArray(v[0]) ? v[0] : v;
  if (!Array.isArray(flat) || !flat.every((n) => typeof n === 'number' || (typeof n === 'string' && /^-?\d+(\.\d+)?$/.test(n)))) {
    throw new ReplyParseError(`${what} must be a list of numbers, got ${showJson(v)}`);
  }
  return flat.map(Number);
}

function target(o: Obj, ctx: ParseContext, required: boolean, kind: string): Target | undefined {
  const label = typeof o.label === 'string' && o.label.trim() ? o.label.trim() : undefined;
  let t: Target | undefined;
  if (o.bbox_2d !== undefined) t = { box: ctx.map.box(checkLen(nums(o.bbox_2d, 'bbox_2d'), 4, 'bbox_2d'), `${kind} bbox_2d`) };
  else if (o.point_2d !== undefined) t = { point: ctx.map.point(checkLen(nums(o.point_2d, 'point_2d'), 2, 'point_2d'), `${kind} point_2d`) };
  else if (o.coordinate !== undefined) t = { point: ctx.map.point(checkLen(nums(o.coordinate, 'coordinate'), 2, 'coordinate'), `${kind} coordinate`) };
  if (!t) {
    if (required) throw new ReplyParseError(`${kind} needs "bbox_2d": [x1, y1, x2, y2] in pixels of the screenshot`);
    return undefined;
  }
  if (label) t.label = label;
  return t;
}

function checkLen(a: number[], n: number, what: string): number[] {
  if (a.length !== n) throw new ReplyParseError(`${what} needs ${n} numbers, got ${a.length}`);
  return a;
}

/** Our JSON action form, the bare grounding form {bbox_2d, label}, and the computer_use tool-call form. */
export function qwenObjectToAction(o: Obj, ctx: ParseContext): ActionInput {
  if (o.name === 'computer_use' && o.arguments && typeof o.arguments === 'object') return computerUse(o.arguments as Obj, ctx);
  const kind = typeof o.action === 'string' ? o.action.toLowerCase() : o.bbox_2d !== undefined || o.point_2d !== undefined ? 'click' : undefined;
  if (!kind) throw new ReplyParseError(`the JSON has no "action" field: ${showJson(o).slice(0, 80)}`);
  switch (kind) {
    case 'click':
      return { action: 'click', target: target(o, ctx, true, kind)! };
    case 'double_click':
      return { action: 'click', count: 2, target: target(o, ctx, true, kind)! };
    case 'right_click':
      return { action: 'click', button: 'right', target: target(o, ctx, true, kind)! };
    case 'hover':
      return { action: 'hover', target: target(o, ctx, true, kind)! };
    case 'type': {
      if (typeof o.text !== 'string') throw new ReplyParseError('type needs "text"');
      const t = target(o, ctx, false, kind);
      return { action: 'type', text: o.text, submit: o.submit === true, ...(t ? { target: t } : {}) };
    }
    case 'key': {
      const keys = Array.isArray(o.keys) ? o.keys.map(String).flatMap(parseChord) : typeof o.keys === 'string' ? parseChord(o.keys) : typeof o.key === 'string' ? parseChord(o.key) : [];
      if (!keys.length) throw new ReplyParseError('key needs "keys", e.g. "ctrl+a"');
      return { action: 'key', keys };
    }
    case 'scroll': {
      const direction = String(o.direction ?? '').toLowerCase();
      if (!['up', 'down', 'left', 'right'].includes(direction)) throw new ReplyParseError(`scroll needs "direction" up, down, left or right, got ${showJson(o.direction)}`);
      const t = target(o, ctx, false, kind);
      return { action: 'scroll', direction: direction as 'up', amount: typeof o.amount === 'number' ? o.amount : 5, ...(t ? { target: t } : {}) };
    }
    case 'wait':
      return { action: 'wait', ms: typeof o.ms === 'number' ? o.ms : 1000 };
    case 'back':
      return { action: 'back' };
    case 'navigate':
      return { action: 'navigate', url: String(o.url ?? '') };
    case 'finish':
      return typeof o.answer === 'string' ? { action: 'finish', answer: o.answer } : { action: 'finish' };
    case 'fail':
      return { action: 'fail', reason: typeof o.reason === 'string' && o.reason ? o.reason : 'the model gave up' };
    default:
      throw new ReplyParseError(`unknown action ${showJson(o.action)}; expected one of ${KINDS.join(', ')}`);
  }
}

function computerUse(a: Obj, ctx: ParseContext): ActionInput {
  const kind = String(a.action ?? '');
  const map: Record<string, string> = { left_click: 'click', right_click: 'right_click', double_click: 'double_click', mouse_move: 'hover', type: 'type', key: 'key', wait: 'wait' };
  if (kind === 'terminate') return a.status === 'failure' ? { action: 'fail', reason: 'the model terminated with failure' } : { action: 'finish' };
  if (kind === 'answer') return { action: 'finish', answer: String(a.text ?? '') };
  if (kind === 'scroll') {
    const px = Number(a.pixels ?? 0);
    const t = target(a, ctx, false, kind);
    return { action: 'scroll', direction: px > 0 ? 'up' : 'down', amount: 5, ...(t ? { target: t } : {}) };
  }
  if (!map[kind]) throw new ReplyParseError(`unknown computer_use action ${showJson(kind)}`);
  return qwenObjectToAction({ ...a, action: map[kind], ms: typeof a.time === 'number' ? a.time * 1000 : undefined }, ctx);
}

/** Parses one JSON action, a list of them, or <tool_call> blocks, fenced or not, JSON or Python-dict. */
export function parseQwenReply(text: string, reasoning: string | undefined, ctx: ParseContext): ParsedReply {
  const split = splitThinking(text, reasoning);
  const toolCalls = [...split.answer.matchAll(/<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g)].map((m) => m[1]);
  const chunks = toolCalls.length ? toolCalls : [split.answer];
  const actions: ActionInput[] = [];
  for (const chunk of chunks) {
    let value: unknown;
    try {
      value = parseLooseJson(chunk);
    } catch (e) {
      if (e instanceof LooseJsonError) throw new ReplyParseError(`${e.message}; reply with one JSON action in a \`\`\`json block`);
      throw e;
    }
    const list = Array.isArray(value) ? value : [value];
    for (const o of list) {
      if (!o || typeof o !== 'object' || Array.isArray(o)) throw new ReplyParseError(`expected a JSON object per action, got ${showJson(o)}`);
      actions.push(qwenObjectToAction(o as Obj, ctx));
    }
  }
  if (!actions.length) throw new ReplyParseError('the reply holds no action');
  const prose = split.answer.replace(/```[\s\S]*?```|<tool_call>[\s\S]*?(<\/tool_call>|$)/g, '').trim();
  return { reasoning: [split.reasoning, prose].filter(Boolean).join('\n') || undefined, actions };
}
