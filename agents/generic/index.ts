import { GLM_RESIZE, type SmartResizeOptions } from '../../kernels/smart-resize.ts';
import { ACTION_KINDS, actionJsonSchema, type ActionInput, type Target } from '../../src/core/actions.ts';
import type { ModelProfile, ParseContext, ParsedReply, PromptContext } from '../profile/profile.ts';
import { defineProfile, ReplyParseError } from '../profile/profile.ts';
import { historyBlock, imageThenText, taskText } from '../profile/prompt-parts.ts';
import { between, expect, imagesIn, messages, partsOf, textIn, thousandths, type EncodeOptions, type FamilySimulator, type SimAnswer, type SimBox } from '../profile/simulate.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';
import { normalizeKey } from '../../src/core/keys.ts';
import { splitThinking } from '../profile/parsing/reply-text.ts';
import { LooseJsonError, parseLooseJson } from '../profile/parsing/tolerant-json.ts';
import { showJson } from '../profile/parsing/show-json.ts';

/** Structured-output schema: reasoning plus our action union (targets in thousandths). */
export function genericReplySchema(): Record<string, unknown> {
  const { $schema: _drop, ...action } = actionJsonSchema();
  return {
    type: 'object',
    properties: { reasoning: { type: 'string' }, actions: { type: 'array', items: action, minItems: 1 } },
    required: ['reasoning', 'actions'],
    additionalProperties: false,
  };
}

function prompt(ctx: PromptContext): string {
  return `You operate a computer through its screenshot. Decide the next action(s) toward the task.

Task: ${taskText(ctx)}

${SCREEN_TEXT_RULE}

${historyBlock(ctx.history)}

Answer with a JSON object: {"reasoning": "…", "actions": [ … ]}. Each action is one of ${ACTION_KINDS.join(', ')}:
{"action": "click", "target": {"box": [x1, y1, x2, y2], "label": "…"}, "button": "left", "count": 1}
{"action": "type", "text": "…", "target": {"box": [x1, y1, x2, y2]}, "submit": false}
{"action": "key", "keys": ["Control", "a"]}
{"action": "scroll", "direction": "down", "amount": 3}
{"action": "finish", "answer": "…"}   {"action": "fail", "reason": "…"}
Coordinates are thousandths of the screenshot's width and height (integers 0 to 1000, [0,0] top-left); "point": [x, y] may replace "box".`;
}

function mapTarget(t: unknown, ctx: ParseContext, what: string): Target {
  if (!t || typeof t !== 'object') throw new ReplyParseError(`${what} must be an object with "box" or "point"`);
  const o = t as Record<string, unknown>;
  const out: Target = {} as Target;
  if (Array.isArray(o.box)) out.box = ctx.map.box(o.box.map(Number), `${what} box`);
  if (Array.isArray(o.point)) out.point = ctx.map.point(o.point.map(Number), `${what} point`);
  if (!out.box && !out.point) throw new ReplyParseError(`${what} needs "box": [x1, y1, x2, y2] or "point": [x, y]`);
  if (typeof o.label === 'string') out.label = o.label;
  return out;
}

/** Maps the thousandths in each target to frame pixels; the action schema itself is applied by the loop. */
function mapAction(a: unknown, ctx: ParseContext): ActionInput {
  if (!a || typeof a !== 'object' || Array.isArray(a)) throw new ReplyParseError(`each action must be a JSON object, got ${showJson(a)}`);
  const o = { ...(a as Record<string, unknown>) };
  if (typeof o.action !== 'string' || !(ACTION_KINDS as string[]).includes(o.action)) {
    throw new ReplyParseError(`unknown action ${showJson(o.action)}; expected one of ${ACTION_KINDS.join(', ')}`);
  }
  for (const key of ['target', 'from', 'to']) if (o[key] !== undefined) o[key] = mapTarget(o[key], ctx, `${o.action} ${key}`);
  if (o.action === 'key' && Array.isArray(o.keys)) o.keys = o.keys.map((k) => normalizeKey(String(k)));
  return o as ActionInput;
}

export function parseGenericReply(text: string, reasoning: string | undefined, ctx: ParseContext): ParsedReply {
  const split = splitThinking(text, reasoning);
  let value: unknown;
  try {
    value = parseLooseJson(split.answer);
  } catch (e) {
    if (e instanceof LooseJsonError) throw new ReplyParseError(`${e.message}; answer with {"reasoning": …, "actions": [ … ]}`);
    throw e;
  }
  const obj = value as Record<string, unknown>;
  const list = Array.isArray(value) ? value : Array.isArray(obj?.actions) ? obj.actions : obj && typeof obj === 'object' && 'action' in obj ? [obj] : undefined;
  if (!list || list.length === 0) throw new ReplyParseError('the JSON holds no "actions" list');
  const said = typeof obj?.reasoning === 'string' ? obj.reasoning : undefined;
  return { reasoning: [split.reasoning, said].filter(Boolean).join('\n') || undefined, actions: list.map((a) => mapAction(a, ctx)) };
}

/** Any OpenAI-compatible VLM; the resize only snaps to 28 so that Qwen-like servers do not resample. */
export const GENERIC_RESIZE: SmartResizeOptions = { ...GLM_RESIZE, temporalFrames: 1, maxPixels: 2560 * 1440 };

/** Our action schema in JSON, boxes in thousandths. */
function genericAnswer(answers: SimAnswer[], o: EncodeOptions): string {
  const tb = (b: SimBox) => (o.outOfRange ? [1100, 1100, 1200, 1200] : [thousandths(b[0], o.width), thousandths(b[1], o.height), thousandths(b[2], o.width), thousandths(b[3], o.height)]);
  const actions = answers.map((a) => {
    switch (a.kind) {
      case 'click':
        return { action: 'click', target: { box: tb(a.box), ...(a.label ? { label: a.label } : {}) }, button: a.button ?? 'left', count: a.count ?? 1 };
      case 'type':
        return { action: 'type', text: a.text, ...(a.box ? { target: { box: tb(a.box) } } : {}), submit: !!a.submit };
      case 'key':
        return { action: 'key', keys: a.keys };
      case 'scroll':
        return { action: 'scroll', direction: a.direction, amount: 3 };
      case 'wait':
        return { action: 'wait', ms: 1000 };
      case 'finish':
        return { action: 'finish', ...(a.answer ? { answer: a.answer } : {}) };
      case 'fail':
        return { action: 'fail', reason: a.reason };
      case 'long_press':
        return { action: 'long_press', target: { box: tb(a.box) } };
      case 'swipe':
        return { action: 'swipe', from: { point: tb([...a.from, ...a.from] as SimBox).slice(0, 2) }, to: { point: tb([...a.to, ...a.to] as SimBox).slice(0, 2) } };
    }
  });
  return JSON.stringify({ reasoning: o.explanation, actions });
}

const simulator: FamilySimulator = {
  read(body) {
    const ms = messages(body);
    expect(ms.length === 1 && ms[0].role === 'user', 'generic takes one user message');
    const parts = partsOf(ms[0]);
    expect(parts.length === 2 && parts[0].type === 'image' && parts[1].type === 'text', 'generic sends the screenshot, then the prompt');
    const text = textIn(parts);
    return { task: between(text, '\nTask: ', '\n\nSafety:'), current: imagesIn(parts)[0], historySteps: [...text.matchAll(/^Step \d+ — /gm)].length };
  },
  answer: (answers, o) => ({ content: genericAnswer(answers, o) }),
  faults: { malformed: '{"action": "click", "bbox_2d": [1, 2', unknownAction: '{"action": "teleport"}' },
  thinks: false,
  oneActionPerReply: false,
};

export const generic: ModelProfile = defineProfile({
  family: 'generic',
  description: 'any OpenAI-compatible VLM: JSON in our action schema, boxes in thousandths, structured output',
  resize: GENERIC_RESIZE,
  coordinates: 'thousandths',
  imageOrder: 'current-first',
  request: { maxTokens: 2048, temperature: 0, jsonSchema: genericReplySchema() },
  buildMessages: imageThenText(prompt),
  parse: (text, reasoning, ctx) => parseGenericReply(text, reasoning, ctx),
  repair: 'Answer again with the JSON object, coordinates in 0..1000.',
  simulator,
});
