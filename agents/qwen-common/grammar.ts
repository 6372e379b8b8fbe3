import type { ActionInput, Target } from '../../src/core/actions.ts';
import { parseChord } from '../../src/core/keys.ts';
import type { ToolCall } from '../../src/core/model-client.ts';
import { labelled, splitThinking } from '../profile/parsing/reply-text.ts';
import { showJson } from '../profile/parsing/show-json.ts';
import { LooseJsonError, parseLooseJson } from '../profile/parsing/tolerant-json.ts';
import { ReplyParseError, type ParseContext, type ParsedReply } from '../profile/profile.ts';

type Obj = Record<string, unknown>;

/**
 * Replies to the computer_use tool: `<tool_call>\n{"name": "computer_use", "arguments": {…}}\n</tool_call>`
 * (Qwen-Agent's nous template, qwen_agent/llm/fncall_prompts/nous_fncall_prompt.py; the cookbooks
 * read `output_text.split('<tool_call>\n')[1].split('\n</tool_call>')[0]`). Also read: the bare
 * grounding answer `{"bbox_2d": [...], "label": …}` of the Qwen grounding prompts, as a click.
 */
export interface ComputerUseDialect {
  family: string;
  /** The actions the family's tool declares. */
  actions: readonly string[];
}

export const V1_ACTIONS = ['key', 'type', 'mouse_move', 'left_click', 'left_click_drag', 'right_click', 'middle_click', 'double_click', 'scroll', 'wait', 'terminate'] as const;
export const V2_ACTIONS = [...V1_ACTIONS.slice(0, 8), 'triple_click', 'scroll', 'hscroll', 'wait', 'terminate', 'answer'] as const;

const ARGUMENTS = new Set(['action', 'keys', 'text', 'coordinate', 'pixels', 'time', 'status']);

function numbers(v: unknown, what: string, n: number): number[] {
  // [[x, y]] is written as often as [x, y].
  const flat = Array.isArray(v) && v.length === 1 && Array.isArray(v[0]) ? v[0] : v;
  if (!Array.isArray(flat) || flat.length !== n || !flat.every((x) => typeof x === 'number' || (typeof x === 'string' && /^-?\d+(\.\d+)?$/.test(x)))) {
    throw new ReplyParseError(`${what} must be ${n} numbers, got ${showJson(v)}`);
  }
  return flat.map(Number);
}

function at(a: Obj, ctx: ParseContext, kind: string, required: boolean): Target | undefined {
  if (a.coordinate === undefined) {
    if (required) throw new ReplyParseError(`${kind} needs "coordinate": [x, y]`);
    return undefined;
  }
  return { point: ctx.map.point(numbers(a.coordinate, 'coordinate', 2), `${kind} coordinate`) };
}

/**
 * Scroll "pixels": positive up, negative down. Qwen writes small counts (-5) as often as pixel
 * distances (-500); counts pass through, distances become wheel notches of 100 px.
 */
function notches(pixels: number): number {
  const n = Math.abs(pixels);
  return Math.max(1, Math.min(100, Math.round(n > 25 ? n / 100 : n)));
}

/** One computer_use call to canonical actions (left_click_drag starts where the pointer is). */
export function computerUseToActions(args: Obj, ctx: ParseContext, dialect: ComputerUseDialect, pointer: { at?: [number, number] }): ActionInput[] {
  for (const k of Object.keys(args)) if (!ARGUMENTS.has(k)) throw new ReplyParseError(`computer_use has no argument ${showJson(k)}; its arguments are ${[...ARGUMENTS].join(', ')}`);
  const kind = String(args.action ?? '');
  if (!dialect.actions.includes(kind)) throw new ReplyParseError(`computer_use action ${showJson(args.action)} is not one of ${dialect.actions.join(', ')}`);
  const target = (required: boolean) => {
    const t = at(args, ctx, kind, required);
    if (t) pointer.at = t.point;
    return t;
  };
  switch (kind) {
    case 'left_click':
    case 'right_click':
    case 'middle_click':
    case 'double_click':
    case 'triple_click': {
      // The clicks act where the pointer is when no coordinate is given (v1's descriptions).
      const t = target(false) ?? (pointer.at ? { point: pointer.at } : undefined);
      if (!t) throw new ReplyParseError(`${kind} needs "coordinate": [x, y]`);
      const button = kind === 'right_click' ? 'right' : kind === 'middle_click' ? 'middle' : 'left';
      // triple_click: "simulated as double-click since it's the closest action" (the v2 description).
      return [{ action: 'click', target: t, ...(button !== 'left' ? { button } : {}), ...(kind === 'double_click' || kind === 'triple_click' ? { count: 2 } : {}) }];
    }
    case 'mouse_move':
      return [{ action: 'hover', target: target(true)! }];
    case 'left_click_drag': {
      const from = pointer.at;
      if (!from) throw new ReplyParseError('left_click_drag drags from where the pointer is, and no earlier action placed it: move the mouse first with mouse_move');
      return [{ action: 'drag', from: { point: from }, to: target(true)! }];
    }
    case 'type':
      if (typeof args.text !== 'string') throw new ReplyParseError('type needs "text"');
      return [{ action: 'type', text: args.text }];
    case 'key': {
      const keys = Array.isArray(args.keys) ? args.keys.map(String).flatMap(parseChord) : typeof args.keys === 'string' ? parseChord(args.keys) : [];
      if (!keys.length) throw new ReplyParseError('key needs "keys", e.g. ["ctrl", "c"]');
      return [{ action: 'key', keys }];
    }
    case 'scroll':
    case 'hscroll': {
      const px = Number(args.pixels);
      if (!Number.isFinite(px) || px === 0) throw new ReplyParseError(`${kind} needs "pixels", a non-zero number (positive up, negative down), got ${showJson(args.pixels)}`);
      const t = target(false);
      const direction = kind === 'hscroll' ? (px > 0 ? 'right' : 'left') : px > 0 ? 'up' : 'down';
      return [{ action: 'scroll', direction, amount: notches(px), ...(t ? { target: t } : {}) }];
    }
    case 'wait': {
      const s = args.time === undefined ? 1 : Number(args.time);
      if (!Number.isFinite(s) || s < 0) throw new ReplyParseError(`wait needs "time" in seconds, got ${showJson(args.time)}`);
      return [{ action: 'wait', ms: Math.min(60_000, Math.round(s * 1000)) }];
    }
    case 'terminate':
      return [args.status === 'failure' ? { action: 'fail', reason: 'the model terminated the task with status failure' } : { action: 'finish' }];
    case 'answer':
      return [{ action: 'finish', answer: String(args.text ?? '') }];
  }
  throw new ReplyParseError(`computer_use action ${showJson(kind)} is not supported`);
}

function callOf(o: unknown, where: string): { name: string; arguments: Obj } {
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new ReplyParseError(`${where} must hold a JSON object {"name": …, "arguments": …}, got ${showJson(o)}`);
  const c = o as Obj;
  if (typeof c.name !== 'string') throw new ReplyParseError(`${where} has no "name"; expected {"name": "computer_use", "arguments": {…}}`);
  const args = typeof c.arguments === 'string' ? parseLooseJson(c.arguments) : c.arguments;
  if (!args || typeof args !== 'object' || Array.isArray(args)) throw new ReplyParseError(`${where} needs "arguments" as a JSON object`);
  return { name: c.name, arguments: args as Obj };
}

function loose(text: string, where: string): unknown {
  try {
    return parseLooseJson(text);
  } catch (e) {
    if (e instanceof LooseJsonError) throw new ReplyParseError(`${where}: ${e.message}`);
    throw e;
  }
}

/** The calls of a reply: tool calls the server parsed, `<tool_call>` blocks, or a bare call or grounding object. */
function callsOf(answer: string, toolCalls: ToolCall[] | undefined): Array<{ name: string; arguments: Obj } | { grounding: Obj }> {
  if (toolCalls?.length) return toolCalls.map((c, i) => callOf({ name: c.name, arguments: c.arguments }, `tool call ${i + 1}`));
  const blocks = [...answer.matchAll(/<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g)].map((m) => m[1]);
  if (blocks.length) return blocks.map((b, i) => callOf(loose(b, `<tool_call> ${i + 1}`), `<tool_call> ${i + 1}`));
  const bare = /[[{]/.test(answer) ? (() => { try { return parseLooseJson(answer); } catch { return undefined; } })() : undefined;
  const list = Array.isArray(bare) ? bare : bare ? [bare] : [];
  const out: Array<{ name: string; arguments: Obj } | { grounding: Obj }> = [];
  for (const o of list) {
    if (o && typeof o === 'object' && ('bbox_2d' in o || 'point_2d' in o)) out.push({ grounding: o as Obj });
    else if (o && typeof o === 'object' && 'name' in o) out.push(callOf(o, 'the JSON'));
  }
  if (!out.length) throw new ReplyParseError('no <tool_call> found; answer with <tool_call>\n{"name": "computer_use", "arguments": {"action": …}}\n</tool_call>');
  return out;
}

function grounding(o: Obj, ctx: ParseContext): ActionInput {
  const label = typeof o.label === 'string' && o.label.trim() ? { label: o.label.trim() } : {};
  if (o.bbox_2d !== undefined) return { action: 'click', target: { box: ctx.map.box(numbers(o.bbox_2d, 'bbox_2d', 4), 'bbox_2d'), ...label } };
  return { action: 'click', target: { point: ctx.map.point(numbers(o.point_2d, 'point_2d', 2), 'point_2d'), ...label } };
}

export function parseComputerUseReply(text: string, reasoning: string | undefined, ctx: ParseContext, dialect: ComputerUseDialect): ParsedReply {
  const split = splitThinking(text, reasoning);
  const pointer: { at?: [number, number] } = { at: ctx.pointer };
  const actions: ActionInput[] = [];
  for (const c of callsOf(split.answer, ctx.toolCalls)) {
    if ('grounding' in c) {
      actions.push(grounding(c.grounding, ctx));
      continue;
    }
    if (c.name !== 'computer_use') throw new ReplyParseError(`unknown function ${showJson(c.name)}; the only tool is computer_use`);
    actions.push(...computerUseToActions(c.arguments, ctx, dialect, pointer));
  }
  const prose = split.answer.replace(/<tool_call>[\s\S]*?(<\/tool_call>|$)/g, '').trim();
  const notes: Record<string, unknown> = {};
  const summary = labelled(prose, 'Action');
  if (summary) notes.actionSummary = summary.split('\n')[0];
  return { reasoning: [split.reasoning, prose].filter(Boolean).join('\n') || undefined, actions, notes };
}
