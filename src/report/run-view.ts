import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ActionSchema, actionTargets, describeAction, targetPoint, type Action } from '../core/actions.ts';
import type { ReadTrace } from '../core/trace.ts';
import { StepRecordSchema, type StepRecord } from '../core/trace-schema.ts';
import { relativeUrl } from './html.ts';

/**
 * The per-step data the report page renders in the browser (embedded as JSON). Derived from the
 * trace; nothing is added that the trace does not hold.
 */
const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const Point = z.tuple([z.number(), z.number()]);

export const TargetViewSchema = z.object({
  /** Frame pixels, as in the trace. */
  box: Box.optional(),
  point: Point,
  label: z.string().optional(),
  /** `from`/`to` for drags; `target` otherwise. */
  role: z.enum(['target', 'from', 'to']),
  /** Drawn dashed: a candidate that was rejected, not performed. */
  rejected: z.boolean(),
});

export const MarkViewSchema = z.object({ id: z.union([z.number(), z.string()]), box: Box });

export const AttemptViewSchema = z.object({
  reasoning: z.string().optional(),
  raw: z.string().optional(),
  /** Pretty JSON of the candidate actions as the agent gave them. */
  candidates: z.string(),
  errors: z.array(z.string()),
  rejectedBy: z.string().optional(),
  modelMs: z.number(),
  notes: z.string().optional(),
  marks: z.array(MarkViewSchema).optional(),
});

export const StepViewSchema = z.object({
  index: z.number(),
  stepIndex: z.number().optional(),
  instruction: z.string().optional(),
  frame: z.object({
    /** URL relative to report.html; absent when the frame was not saved. */
    src: z.string().optional(),
    width: z.number(),
    height: z.number(),
    scale: z.number(),
    missing: z.string().optional(),
  }),
  sent: z.object({ src: z.string(), width: z.number(), height: z.number() }).optional(),
  actions: z.array(z.string()),
  targets: z.array(TargetViewSchema),
  outcome: z.string(),
  error: z.string().optional(),
  attempts: z.array(AttemptViewSchema),
  settle: StepRecordSchema.shape.settle,
  frameCheck: StepRecordSchema.shape.frameCheck,
  timings: z.object({ captureMs: z.number(), modelMs: z.number(), actMs: z.number(), settleMs: z.number(), totalMs: z.number() }),
  tokens: z.object({ input: z.number(), output: z.number() }),
});
export type StepView = z.infer<typeof StepViewSchema>;
export type TargetView = z.infer<typeof TargetViewSchema>;

export const RunViewSchema = z.object({ steps: z.array(StepViewSchema) });
export type RunView = z.infer<typeof RunViewSchema>;

/**
 * Long strings are cut so that one runaway reply (endless thinking) cannot make the page
 * heavy; the full text stays in trace.jsonl.
 */
export const MAX_TEXT_CHARS = 64_000;

export function clip(text: string | undefined): string | undefined {
  if (text === undefined || text.length <= MAX_TEXT_CHARS) return text;
  return `${text.slice(0, MAX_TEXT_CHARS)}\n… [${text.length - MAX_TEXT_CHARS} more characters in trace.jsonl]`;
}

/** A frame path the trace names, if it stays inside the trace folder and the file exists. */
export function frameSource(traceDir: string, file: string): { src?: string; missing?: string } {
  const normal = path.posix.normalize(file.replace(/\\/g, '/'));
  if (path.posix.isAbsolute(normal) || normal.startsWith('..') || /^[a-z]+:/i.test(normal)) {
    return { missing: `frame path ${JSON.stringify(file)} is outside the trace folder` };
  }
  if (!existsSync(path.join(traceDir, normal))) return { missing: `frame not saved: ${file}` };
  return { src: relativeUrl(normal) };
}

function targetsOf(action: Action, rejected: boolean): TargetView[] {
  const all = actionTargets(action);
  return all.map((t, i) => ({
    box: t.box,
    point: targetPoint(t),
    label: t.label,
    role: action.action === 'drag' || action.action === 'swipe' ? (i === 0 ? 'from' : 'to') : 'target',
    rejected,
  }));
}

function marksOf(notes: Record<string, unknown> | undefined): StepView['attempts'][number]['marks'] {
  const r = z.array(MarkViewSchema).safeParse(notes?.marks);
  return r.success ? r.data : undefined;
}

function pretty(value: unknown): string {
  try {
    return clip(JSON.stringify(value, null, 1)) ?? '';
  } catch {
    return String(value);
  }
}

export function stepView(traceDir: string, s: StepRecord): StepView {
  const targets = s.actions.flatMap((a) => targetsOf(a, false));
  // Where the agent meant to act when nothing was performed: the last rejected candidates.
  if (targets.length === 0) {
    for (const a of s.attempts.slice(-1)) {
      for (const c of a.candidates) {
        const parsed = ActionSchema.safeParse(c);
        if (parsed.success) targets.push(...targetsOf(parsed.data, true));
      }
    }
  }
  const frame = frameSource(traceDir, s.frame.file);
  const sent = s.frame.sent ? frameSource(traceDir, s.frame.sent.file) : undefined;
  return {
    index: s.index,
    stepIndex: s.stepIndex,
    instruction: clip(s.instruction),
    frame: { ...frame, width: s.frame.width, height: s.frame.height, scale: s.frame.scale },
    sent: s.frame.sent && sent?.src ? { src: sent.src, width: s.frame.sent.width, height: s.frame.sent.height } : undefined,
    actions: s.actions.map((a) => clip(describeAction(a))!),
    targets,
    outcome: s.outcome,
    error: clip(s.error),
    attempts: s.attempts.map((a) => ({
      reasoning: clip(a.reasoning),
      raw: clip(a.raw),
      candidates: pretty(a.candidates),
      errors: a.errors.map((e) => clip(e)!),
      rejectedBy: a.rejectedBy,
      modelMs: a.modelMs,
      notes: a.notes && Object.keys(a.notes).length ? pretty(a.notes) : undefined,
      marks: marksOf(a.notes),
    })),
    settle: s.settle,
    frameCheck: s.frameCheck,
    timings: s.timings,
    tokens: s.tokens,
  };
}

export function runView(trace: ReadTrace): RunView {
  return { steps: trace.steps.map((s) => stepView(trace.dir, s)) };
}

/** Model families named in the attempts' notes (the header names only the engine). */
export function familiesOf(trace: ReadTrace): string[] {
  const found = new Set<string>();
  for (const s of trace.steps) for (const a of s.attempts) if (typeof a.notes?.family === 'string') found.add(a.notes.family);
  return [...found];
}
