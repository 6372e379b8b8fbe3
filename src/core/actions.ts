import { z } from 'zod';

/** A point in frame pixels: [x, y], x right, y down, origin top-left of the frame. */
export const PointSchema = z
  .tuple([z.number().finite(), z.number().finite()])
  .describe('point [x, y] in frame pixels');

/** A box in frame pixels: [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2. */
export const BoxSchema = z
  .tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()])
  .refine(([x1, y1, x2, y2]) => x1 <= x2 && y1 <= y2, {
    message: 'box must be [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2',
  })
  .describe('box [x1, y1, x2, y2] in frame pixels');

/** Where an action lands: a point, a box (acted on at its centre), or both (the point wins). */
export const TargetSchema = z
  .object({
    point: PointSchema.optional(),
    box: BoxSchema.optional(),
    /** What the agent believed it was pointing at; for traces and reports only. */
    label: z.string().optional(),
  })
  .strict()
  .refine((t) => t.point !== undefined || t.box !== undefined, {
    message: 'target needs a point or a box',
  });

export const KeyNameSchema = z.string().min(1, 'key name must not be empty');

const Click = z
  .object({
    action: z.literal('click'),
    target: TargetSchema,
    button: z.enum(['left', 'right', 'middle']).default('left'),
    count: z.union([z.literal(1), z.literal(2)]).default(1),
  })
  .strict();

const Hover = z.object({ action: z.literal('hover'), target: TargetSchema }).strict();

const Drag = z
  .object({ action: z.literal('drag'), from: TargetSchema, to: TargetSchema })
  .strict();

/** A touch held in place (a phone's long press; on a desktop, the left button held). */
const LongPress = z
  .object({ action: z.literal('long_press'), target: TargetSchema, ms: z.number().int().positive().max(10_000).default(800) })
  .strict();

/** A finger moved across the screen, from one point to another (on a desktop, a drag). */
const Swipe = z
  .object({ action: z.literal('swipe'), from: TargetSchema, to: TargetSchema, ms: z.number().int().positive().max(5_000).default(300) })
  .strict();

const Type = z
  .object({
    action: z.literal('type'),
    text: z.string(),
    target: TargetSchema.optional(),
    clear: z.boolean().default(false),
    submit: z.boolean().default(false),
  })
  .strict();

const Key = z
  .object({ action: z.literal('key'), keys: z.array(KeyNameSchema).min(1, 'a key chord needs at least one key') })
  .strict();

const Scroll = z
  .object({
    action: z.literal('scroll'),
    target: TargetSchema.optional(),
    direction: z.enum(['up', 'down', 'left', 'right']),
    amount: z.number().int().positive().max(100).default(3),
  })
  .strict();

const Wait = z.object({ action: z.literal('wait'), ms: z.number().int().nonnegative().max(60_000) }).strict();

const Navigate = z.object({ action: z.literal('navigate'), url: z.string().min(1) }).strict();

const Back = z.object({ action: z.literal('back') }).strict();

const Finish = z.object({ action: z.literal('finish'), answer: z.string().optional() }).strict();

const Fail = z.object({ action: z.literal('fail'), reason: z.string().min(1) }).strict();

export const ActionSchema = z.discriminatedUnion('action', [
  Click,
  Hover,
  Drag,
  LongPress,
  Swipe,
  Type,
  Key,
  Scroll,
  Wait,
  Navigate,
  Back,
  Finish,
  Fail,
]);

export type Point = z.infer<typeof PointSchema>;
export type Box = z.infer<typeof BoxSchema>;
export type Target = z.infer<typeof TargetSchema>;
export type Action = z.infer<typeof ActionSchema>;
/** What an agent may hand in before defaults are applied. */
export type ActionInput = z.input<typeof ActionSchema>;
export type ActionKind = Action['action'];
/** The action of one kind: ActionOf<'click'> is the click action. */
export type ActionOf<K extends ActionKind> = Extract<Action, { action: K }>;

export const ACTION_KINDS = ActionSchema.options.map((o) => o.shape.action.value) as ActionKind[];

/** JSON Schema of the action union, for structured output and documentation. */
export function actionJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ActionSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}

/** The point an action on this target acts at: the explicit point, or the centre of the box. */
export function targetPoint(t: Target): Point {
  if (t.point) return t.point;
  const [x1, y1, x2, y2] = t.box!;
  return [(x1 + x2) / 2, (y1 + y2) / 2];
}

/** Every target an action carries, for bounds checks, drawing and logging. */
export function actionTargets(a: Action): Target[] {
  switch (a.action) {
    case 'click':
    case 'hover':
    case 'long_press':
      return [a.target];
    case 'drag':
    case 'swipe':
      return [a.from, a.to];
    case 'type':
    case 'scroll':
      return a.target ? [a.target] : [];
    default:
      return [];
  }
}

/** One line a person can read: `click (640,360) "Sign in"`. */
export function describeAction(a: Action): string {
  const at = (t?: Target) => {
    if (!t) return '';
    const [x, y] = targetPoint(t);
    return ` (${Math.round(x)},${Math.round(y)})${t.label ? ` ${JSON.stringify(t.label)}` : ''}`;
  };
  switch (a.action) {
    case 'click':
      return `${a.count === 2 ? 'double-' : ''}${a.button === 'left' ? '' : a.button + '-'}click${at(a.target)}`;
    case 'hover':
      return `hover${at(a.target)}`;
    case 'drag':
      return `drag${at(a.from)} ->${at(a.to)}`;
    case 'long_press':
      return `long-press${at(a.target)} ${a.ms}ms`;
    case 'swipe':
      return `swipe${at(a.from)} ->${at(a.to)}`;
    case 'type':
      return `type ${JSON.stringify(a.text)}${at(a.target)}${a.clear ? ' [clear]' : ''}${a.submit ? ' [submit]' : ''}`;
    case 'key':
      return `key ${a.keys.join('+')}`;
    case 'scroll':
      return `scroll ${a.direction} x${a.amount}${at(a.target)}`;
    case 'wait':
      return `wait ${a.ms}ms`;
    case 'navigate':
      return `navigate ${a.url}`;
    case 'back':
      return 'back';
    case 'finish':
      return `finish${a.answer ? ' ' + JSON.stringify(a.answer) : ''}`;
    case 'fail':
      return `fail ${JSON.stringify(a.reason)}`;
  }
}

export class ActionValidationError extends Error {
  override name = 'ActionValidationError';
  constructor(
    message: string,
    readonly issues: string[],
    readonly input: unknown,
  ) {
    super(message);
  }
}

function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

type Issue = z.core.$ZodIssue;

/** An issue that says the value is of the wrong shape altogether (not this branch of a union). */
function wrongShape(i: Issue): boolean {
  return i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'unrecognized_keys');
}

/**
 * The issues a failed union means. Of its branches, the one the value took (its shape matched:
 * a step with the right key, an enum value given as a string) explains the error best; when no
 * branch took it, a union of one-key objects (steps, checkers, app) says which keys it knows.
 */
function unionIssues(issue: Issue & { errors: Issue[][] }, input: unknown): Issue[] | string {
  const taken = issue.errors.filter((branch) => !branch.some(wrongShape));
  if (taken.length === 1) return taken[0].map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
  const value = valueAt(input, issue.path);
  // A branch of one-key objects fails first on its own key, which the value lacks.
  const keysOf = (branch: Issue[]) => branch.filter((i) => i.path.length === 1 && valueAt(value, i.path) === undefined).map((i) => String(i.path[0]));
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [issue];
  const given = Object.keys(value);
  const extraKeys = (b: Issue[]) => b.some((i) => i.path.length === 0 && i.code === 'unrecognized_keys');
  if (given.length > 1 && issue.errors.every(extraKeys)) return `expected one key, got ${given.length}: ${given.join(', ')}`;
  const known = issue.errors.map(keysOf);
  if (given.length === 1 && known.every((k) => k.length === 1)) return `unknown key ${JSON.stringify(given[0])}; expected one of ${known.map((k) => k[0]).join(', ')}`;
  return [issue];
}

/** Formats zod issues as "field: what was expected, got what came". */
export function formatIssues(error: z.ZodError, input: unknown, prefix = ''): string[] {
  const show = (issue: Issue): string[] => {
    if (issue.code === 'invalid_union') {
      const explained = unionIssues(issue as Issue & { errors: Issue[][] }, input);
      if (typeof explained === 'string') return [`${prefix}${issue.path.length ? issue.path.join('.') : '(root)'}: ${explained}`];
      if (explained.length !== 1 || explained[0] !== issue) return explained.flatMap(show);
    }
    const path = issue.path.length ? issue.path.join('.') : '(root)';
    const got = valueAt(input, issue.path);
    return [`${prefix}${path}: ${issue.message} (got ${showValue(got)})`];
  };
  return error.issues.flatMap(show);
}

/** Parses one candidate action; throws ActionValidationError naming the field, the expectation and the value. */
export function parseAction(input: unknown): Action {
  const r = ActionSchema.safeParse(input);
  if (r.success) return r.data;
  const kind = valueAt(input, ['action']);
  if (typeof kind === 'string' && !ACTION_KINDS.includes(kind as ActionKind)) {
    const issues = [`action: unknown action ${JSON.stringify(kind)}; expected one of ${ACTION_KINDS.join(', ')}`];
    throw new ActionValidationError(issues[0], issues, input);
  }
  const issues = formatIssues(r.error, input);
  throw new ActionValidationError(`invalid ${typeof kind === 'string' ? kind : 'action'}: ${issues.join('; ')}`, issues, input);
}
