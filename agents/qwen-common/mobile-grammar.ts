import type { ActionInput } from '../../src/core/actions.ts';
import type { ToolCall } from '../../src/core/model-client.ts';
import { labelled, splitThinking } from '../profile/parsing/reply-text.ts';
import { showJson } from '../profile/parsing/show-json.ts';
import { LooseJsonError, parseLooseJson } from '../profile/parsing/tolerant-json.ts';
import { ReplyParseError, type ParseContext, type ParsedReply } from '../profile/profile.ts';

/**
 * Replies to the mobile_use tool (cookbooks/utils/agent_function_call.py `MobileUse`; the
 * cookbooks read `<tool_call>\n{"name": "mobile_use", "arguments": {…}}\n</tool_call>`).
 * Home, Menu, app launches and adb key events need a phone: refused, with what to use instead.
 */
export const MOBILE_V1_ACTIONS = ['key', 'click', 'long_press', 'swipe', 'type', 'system_button', 'open', 'wait', 'terminate'] as const;
export const MOBILE_QWEN3_ACTIONS = ['click', 'long_press', 'swipe', 'type', 'answer', 'system_button', 'wait', 'terminate'] as const;

const ARGUMENTS = new Set(['action', 'coordinate', 'coordinate2', 'text', 'time', 'button', 'status']);

function point(v: unknown, ctx: ParseContext, what: string): [number, number] {
  const flat = Array.isArray(v) && v.length === 1 && Array.isArray(v[0]) ? v[0] : v;
  if (!Array.isArray(flat) || flat.length !== 2 || !flat.every((n) => typeof n === 'number')) throw new ReplyParseError(`${what} must be [x, y], got ${showJson(v)}`);
  return ctx.map.point(flat, what);
}

const seconds = (v: unknown, what: string, fallback: number) => {
  if (v === undefined) return fallback;
  const s = Number(v);
  if (!Number.isFinite(s) || s < 0 || s > 60) throw new ReplyParseError(`${what} "time" must be seconds, got ${showJson(v)}`);
  return s;
};

export function mobileUseToAction(a: Record<string, unknown>, ctx: ParseContext, actions: readonly string[]): ActionInput {
  for (const k of Object.keys(a)) if (!ARGUMENTS.has(k)) throw new ReplyParseError(`mobile_use has no argument ${showJson(k)}; its arguments are ${[...ARGUMENTS].join(', ')}`);
  const kind = String(a.action ?? '');
  if (!actions.includes(kind)) throw new ReplyParseError(`mobile_use action ${showJson(a.action)} is not one of ${actions.join(', ')}`);
  switch (kind) {
    case 'click':
      return { action: 'click', target: { point: point(a.coordinate, ctx, 'click coordinate') } };
    case 'long_press':
      return { action: 'long_press', target: { point: point(a.coordinate, ctx, 'long_press coordinate') }, ms: Math.max(1, Math.min(10_000, Math.round(seconds(a.time, 'long_press', 0.8) * 1000))) };
    case 'swipe':
      return { action: 'swipe', from: { point: point(a.coordinate, ctx, 'swipe coordinate') }, to: { point: point(a.coordinate2, ctx, 'swipe coordinate2') } };
    case 'type':
      if (typeof a.text !== 'string') throw new ReplyParseError('type needs "text"');
      return { action: 'type', text: a.text };
    case 'answer':
      return { action: 'finish', answer: String(a.text ?? '') };
    case 'system_button':
      if (a.button === 'Back') return { action: 'back' };
      if (a.button === 'Enter') return { action: 'key', keys: ['Enter'] };
      if (a.button === 'Home' || a.button === 'Menu') throw new ReplyParseError(`system_button ${a.button} needs a phone; this runs in a browser with a phone-sized page: use Back or the page's own controls`);
      throw new ReplyParseError(`system_button "button" must be Back, Home, Menu or Enter, got ${showJson(a.button)}`);
    case 'key':
      if (typeof a.text === 'string' && /^(enter|keycode_enter|66)$/i.test(a.text)) return { action: 'key', keys: ['Enter'] };
      if (typeof a.text === 'string' && /^(back|keycode_back|4)$/i.test(a.text)) return { action: 'back' };
      throw new ReplyParseError(`key ${showJson(a.text)} is an adb key event a browser page cannot receive; use type, or system_button Back or Enter`);
    case 'open':
      throw new ReplyParseError('open needs a phone; this runs in a browser with a phone-sized page: use the page\'s own controls');
    case 'wait':
      return { action: 'wait', ms: Math.round(Math.min(60, seconds(a.time, 'wait', 1)) * 1000) };
    case 'terminate':
      return a.status === 'failure' ? { action: 'fail', reason: 'the model terminated the task with status failure' } : { action: 'finish' };
  }
  throw new ReplyParseError(`mobile_use action ${showJson(kind)} is not supported`);
}

function callsOf(answer: string, toolCalls: ToolCall[] | undefined): Array<{ name: string; arguments: Record<string, unknown> }> {
  const raw = toolCalls?.length ? toolCalls.map((c) => ({ name: c.name, arguments: c.arguments })) : [...answer.matchAll(/<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g)].map((m) => m[1]);
  if (!raw.length) throw new ReplyParseError('no <tool_call> found; answer with <tool_call>\n{"name": "mobile_use", "arguments": {"action": …}}\n</tool_call>');
  return raw.map((r, i) => {
    let o: unknown;
    try {
      o = typeof r === 'string' ? parseLooseJson(r) : { name: r.name, arguments: parseLooseJson(r.arguments) };
    } catch (e) {
      if (e instanceof LooseJsonError) throw new ReplyParseError(`<tool_call> ${i + 1}: ${e.message}`);
      throw e;
    }
    const c = o as { name?: unknown; arguments?: unknown };
    if (!c || typeof c !== 'object' || typeof c.name !== 'string' || !c.arguments || typeof c.arguments !== 'object') {
      throw new ReplyParseError(`<tool_call> ${i + 1} must be {"name": "mobile_use", "arguments": {…}}, got ${showJson(o)}`);
    }
    return { name: c.name, arguments: c.arguments as Record<string, unknown> };
  });
}

export function parseMobileUseReply(text: string, reasoning: string | undefined, ctx: ParseContext, actions: readonly string[]): ParsedReply {
  const split = splitThinking(text, reasoning);
  const out: ActionInput[] = [];
  for (const c of callsOf(split.answer, ctx.toolCalls)) {
    if (c.name !== 'mobile_use') throw new ReplyParseError(`unknown function ${showJson(c.name)}; the only tool is mobile_use`);
    out.push(mobileUseToAction(c.arguments, ctx, actions));
  }
  const prose = split.answer.replace(/<tool_call>[\s\S]*?(<\/tool_call>|$)/g, '').trim();
  const summary = labelled(prose, 'Action');
  return { reasoning: [split.reasoning, prose].filter(Boolean).join('\n') || undefined, actions: out, notes: summary ? { actionSummary: summary.split('\n')[0] } : {} };
}
