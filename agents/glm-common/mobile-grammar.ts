import type { ActionInput, Target } from '../../src/core/actions.ts';
import { directionSwipe, isDirection } from '../profile/gestures.ts';
import { boxedSpans, splitThinking } from '../profile/parsing/reply-text.ts';
import { showJson } from '../profile/parsing/show-json.ts';
import { LooseJsonError, parseLooseJson } from '../profile/parsing/tolerant-json.ts';
import { ReplyParseError, type ParseContext, type ParsedReply } from '../profile/profile.ts';

/**
 * The AndroidWorld JSON actions of GLM-4.1V and GLM-4.5V on a phone (zai-org/GLM-V
 * examples/gui-agent/glm-41v/gui_agent_41v.py and glm-45v/gui_agent_45v.py `get_mobile_prompt`,
 * `parse_mobile_response`; glm-41v/agent.md "Action Space"): `Memory: …\nReason: …\nAction:
 * {"action_type": …}`, the action usually inside `<|begin_of_box|>…<|end_of_box|>`, boxes
 * `[[xmin,ymin,xmax,ymax]]` in thousandths (0-999). Each action's keys are exactly the
 * documented ones: a key it does not take is an error, as the official reward judge scores it.
 */
const KEYS: Record<string, { required: string[]; optional?: string[] }> = {
  status: { required: ['goal_status'] },
  answer: { required: ['text'] },
  click: { required: ['box_2d'] },
  long_press: { required: ['box_2d'] },
  input_text: { required: ['text', 'box_2d'], optional: ['override'] },
  keyboard_enter: { required: [] },
  navigate_home: { required: [] },
  navigate_back: { required: [] },
  swipe: { required: ['direction'], optional: ['box_2d'] },
  open_app: { required: ['app_name'] },
  wait: { required: [] },
};

export const MOBILE_ACTION_TYPES = Object.keys(KEYS);

/** AndroidWorld's wait: the screen is given a moment to update. */
const WAIT_MS = 2000;

function box(v: unknown, ctx: ParseContext, kind: string): [number, number, number, number] {
  const flat = Array.isArray(v) && v.length === 1 && Array.isArray(v[0]) ? v[0] : v;
  if (!Array.isArray(flat) || flat.length !== 4 || !flat.every((n) => typeof n === 'number')) {
    throw new ReplyParseError(`${kind} box_2d must be [[xmin,ymin,xmax,ymax]] in 0-999, got ${showJson(v)}`);
  }
  return ctx.map.box(flat, `${kind} box_2d`);
}

const target = (v: unknown, ctx: ParseContext, kind: string): Target => ({ box: box(v, ctx, kind) });

/** One AndroidWorld action to canonical actions in frame pixels; home and apps need a phone. */
export function mobileJsonToAction(o: Record<string, unknown>, ctx: ParseContext): ActionInput {
  const kind = o.action_type;
  if (typeof kind !== 'string' || !KEYS[kind]) throw new ReplyParseError(`unknown action_type ${showJson(kind)}; expected one of ${MOBILE_ACTION_TYPES.join(', ')}`);
  const spec = KEYS[kind];
  const allowed = new Set(['action_type', ...spec.required, ...(spec.optional ?? [])]);
  for (const k of Object.keys(o)) if (!allowed.has(k)) throw new ReplyParseError(`${kind} takes no ${showJson(k)}; its keys are ${[...allowed].join(', ')}`);
  for (const k of spec.required) if (o[k] === undefined) throw new ReplyParseError(`${kind} needs ${showJson(k)}`);
  switch (kind) {
    case 'status':
      if (o.goal_status === 'complete') return { action: 'finish' };
      if (o.goal_status === 'infeasible') return { action: 'fail', reason: 'the model found the task infeasible' };
      throw new ReplyParseError(`status goal_status must be complete or infeasible, got ${showJson(o.goal_status)}`);
    case 'answer':
      return { action: 'finish', answer: String(o.text) };
    case 'click':
      return { action: 'click', target: target(o.box_2d, ctx, kind) };
    case 'long_press':
      return { action: 'long_press', target: target(o.box_2d, ctx, kind) };
    case 'input_text':
      // "this action contains clicking the text field, typing in the text and pressing the enter"
      return { action: 'type', text: String(o.text), target: target(o.box_2d, ctx, kind), clear: o.override === true, submit: true };
    case 'keyboard_enter':
      return { action: 'key', keys: ['Enter'] };
    case 'navigate_back':
      return { action: 'back' };
    case 'swipe': {
      if (!isDirection(o.direction)) throw new ReplyParseError(`swipe direction must be up, down, left or right, got ${showJson(o.direction)}`);
      const empty = o.box_2d === undefined || (Array.isArray(o.box_2d) && (o.box_2d.length === 0 || (Array.isArray(o.box_2d[0]) && o.box_2d[0].length === 0)));
      const region = empty ? ([0, 0, ctx.map.geometry.frameWidth, ctx.map.geometry.frameHeight] as const) : box(o.box_2d, ctx, kind);
      const { from, to } = directionSwipe(region, o.direction);
      return { action: 'swipe', from: { point: from }, to: { point: to } };
    }
    case 'wait':
      return { action: 'wait', ms: WAIT_MS };
    default:
      // navigate_home, open_app: no phone behind this browser page.
      throw new ReplyParseError(`${kind} needs a phone; this runs in a browser with a phone-sized page: use navigate_back or the page's own controls`);
  }
}

/** `Memory: … Reason: … Action: {…}`: the first Memory, Reason and Action as the official parser splits them. */
export function mobileSections(answer: string): { memory?: string; reason?: string; action?: string } {
  const m = /Memory\s*[:：]([\s\S]*?)Reason\s*[:：]([\s\S]*?)Action\s*[:：]([\s\S]*)$/.exec(answer);
  if (m) return { memory: m[1].trim(), reason: m[2].trim(), action: m[3].trim() };
  const action = /Action\s*[:：]([\s\S]*)$/.exec(answer)?.[1].trim();
  return action ? { action } : {};
}

export function parseGlmMobileReply(text: string, reasoning: string | undefined, ctx: ParseContext): ParsedReply {
  const split = splitThinking(text, reasoning);
  if (split.thinkingUnfinished && !split.answer) throw new ReplyParseError('the reply ended inside <think> without an answer');
  const sections = mobileSections(split.answer);
  const spans = boxedSpans(sections.action ?? split.answer);
  if (spans.length > 1) throw new ReplyParseError(`expected exactly one boxed action, found ${spans.length}`);
  const raw = spans[0] ?? sections.action;
  if (!raw) throw new ReplyParseError('no "Action: {\\"action_type\\": …}" found; answer with Memory: …, Reason: … and Action: {…}');
  let value: unknown;
  try {
    value = parseLooseJson(raw);
  } catch (e) {
    if (e instanceof LooseJsonError) throw new ReplyParseError(`the action is not a JSON object: ${e.message}`);
    throw e;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ReplyParseError(`the action must be one JSON object {"action_type": …}, got ${showJson(value)}`);
  const notes: Record<string, unknown> = {};
  if (sections.reason) notes.reason = sections.reason;
  return {
    reasoning: [split.reasoning, sections.reason].filter(Boolean).join('\n') || undefined,
    actions: [mobileJsonToAction(value as Record<string, unknown>, ctx)],
    notes,
    ...(sections.memory !== undefined ? { memory: sections.memory } : {}),
  };
}
