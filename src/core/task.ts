import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { formatIssues } from './actions.ts';
import { frameSizeProblem } from './frame-limits.ts';
import { PolicySchema } from './policy-schema.ts';
import { readUserFile } from './user-file.ts';

const Text = z.string().min(1, 'must not be empty');

/** One scripted instruction. Exactly one key per step. */
export const StepSchema = z.union([
  z.object({ click: z.union([Text, z.object({ target: Text, button: z.enum(['left', 'right', 'middle']).optional(), count: z.union([z.literal(1), z.literal(2)]).optional() }).strict()]) }).strict(),
  z.object({ hover: Text }).strict(),
  z.object({ drag: z.object({ from: Text, to: Text }).strict() }).strict(),
  z.object({ type: z.union([z.string(), z.object({ text: z.string(), into: Text.optional(), clear: z.boolean().optional(), submit: z.boolean().optional() }).strict()]) }).strict(),
  z.object({ press: z.union([Text, z.array(Text).min(1)]) }).strict(),
  z.object({ scroll: z.union([z.enum(['up', 'down', 'left', 'right']), z.object({ direction: z.enum(['up', 'down', 'left', 'right']), amount: z.number().int().positive().optional(), at: Text.optional(), until: Text.optional() }).strict()]) }).strict(),
  z.object({ select: z.union([Text, z.object({ option: Text, in: Text.optional() }).strict()]) }).strict(),
  z.object({ wait: z.union([z.number().int().nonnegative(), z.object({ ms: z.number().int().nonnegative().optional(), for: Text.optional() }).strict()]) }).strict(),
  z.object({ assert: Text }).strict(),
  z.object({ navigate: Text }).strict(),
  z.object({ back: z.literal(true) }).strict(),
  /** Free-form instruction: the agent interprets it. */
  z.object({ do: Text }).strict(),
]);
export type Step = z.infer<typeof StepSchema>;

/** The step kinds, one per key a step may have. */
export const STEP_KINDS = ['click', 'hover', 'drag', 'type', 'press', 'scroll', 'select', 'wait', 'assert', 'navigate', 'back', 'do'] as const;
export type StepKind = (typeof STEP_KINDS)[number];
/** The step of one kind: StepOf<'click'> is { click: ... }. */
export type StepOf<K extends StepKind> = Extract<Step, Record<K, unknown>>;

/** A validated step's kind (its one key). */
export function stepKind(step: Step): StepKind {
  return Object.keys(step)[0] as StepKind;
}

/** Limits on a task file: no real task comes near them, a generated or corrupted one may. */
export const MAX_TASK_FILE_CHARS = 1_000_000;
export const MAX_TASK_STEPS = 1000;

export const WebAppSchema = z
  .object({
    url: Text,
    viewport: z.tuple([z.number().int().positive(), z.number().int().positive()]).default([1280, 720]),
    deviceScaleFactor: z.number().positive().max(4).default(1),
    isMobile: z.boolean().optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    const problem = frameSizeProblem(w.viewport[0], w.viewport[1], w.deviceScaleFactor);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['viewport'] });
  });

export const DesktopAppSchema = z
  .object({
    launch: z.array(Text).min(1).optional(),
    display: z.string().optional(),
    window: z.string().optional(),
    screen: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
  })
  .strict();

export const SetupSchema = z.union([z.object({ js: Text }).strict(), z.object({ command: z.array(Text).min(1) }).strict()]);

export const CheckerSchema = z.union([
  z.object({ js: Text }).strict(),
  z.object({ url: Text }).strict(),
  z.object({ text: Text }).strict(),
  z.object({ command: z.array(Text).min(1), exitCode: z.number().int().optional(), stdout: z.string().optional() }).strict(),
  z.object({ file: Text, contains: z.string().optional() }).strict(),
]);
export type Checker = z.infer<typeof CheckerSchema>;

export const TaskSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'must be letters, digits, "-", "_" or "."'),
    description: z.string().optional(),
    category: z.string().optional(),
    app: z.union([z.object({ web: WebAppSchema }).strict(), z.object({ desktop: DesktopAppSchema }).strict()]),
    setup: z.array(SetupSchema).default([]),
    goal: Text.optional(),
    steps: z.array(StepSchema).min(1).max(MAX_TASK_STEPS, `a task may have at most ${MAX_TASK_STEPS} steps; split it into several tasks`).optional(),
    success: z.array(CheckerSchema).default([]),
    maxSteps: z.number().int().positive().max(1000).default(15),
    timeoutMs: z.number().int().positive().default(120_000),
    /** Model tokens (input + output) the run may spend. */
    maxTokens: z.number().int().positive().optional(),
    /** Repair attempts per step after an invalid or refused answer. */
    maxRepairs: z.number().int().nonnegative().max(20).optional(),
    /** What the agent may do: allowed origins, forbidden keys and regions, confirmations, typing cap. */
    policy: PolicySchema.optional(),
  })
  .strict()
  .refine((t) => t.goal !== undefined || t.steps !== undefined, { message: 'a task needs a goal or steps', path: ['goal'] });

export type Task = z.infer<typeof TaskSchema>;
export type TaskInput = z.input<typeof TaskSchema>;

export class TaskFileError extends Error {
  override name = 'TaskFileError';
  constructor(
    readonly file: string,
    readonly issues: string[],
  ) {
    super(`${file}: ${issues.join('; ')}`);
  }
}

/** A validated task and where it came from (relative URLs resolve against the tasks root). */
export interface LoadedTask {
  task: Task;
  file?: string;
}

export function parseTask(value: unknown, file = '<task>'): Task {
  const r = TaskSchema.safeParse(value);
  if (r.success) return r.data;
  let issues: string[];
  try {
    issues = formatIssues(r.error, value);
  } catch {
    // A value JSON cannot show (a BigInt, a cycle): name the fields without it.
    issues = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  }
  throw new TaskFileError(file, issues);
}

export function parseTaskYaml(text: string, file = '<task>'): Task {
  if (text.length > MAX_TASK_FILE_CHARS) {
    throw new TaskFileError(file, [`(root): the file holds ${text.length} characters; a task file may hold at most ${MAX_TASK_FILE_CHARS}`]);
  }
  let value: unknown;
  try {
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length) {
      throw new TaskFileError(file, doc.errors.map((e) => `YAML ${e.message.split('\n')[0]}`));
    }
    // toJS refuses alias bombs (ReferenceError) and may overflow the stack on absurd nesting.
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    if (e instanceof TaskFileError) throw e;
    throw new TaskFileError(file, [`YAML ${(e as Error).message.split('\n')[0]}`]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TaskFileError(file, ['(root): expected a mapping with id, app, goal or steps']);
  }
  return parseTask(value, file);
}

export async function loadTaskFile(file: string): Promise<LoadedTask> {
  const read = await readUserFile(file);
  if ('problem' in read) throw new TaskFileError(file, [read.problem]);
  return { task: parseTaskYaml(read.text, file), file: path.resolve(file) };
}

/** One readable line for a step: `click "Sign in"`. */
export function describeStep(step: Step): string {
  const [kind, value] = Object.entries(step)[0] as [string, unknown];
  return `${kind} ${typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value)}`;
}
