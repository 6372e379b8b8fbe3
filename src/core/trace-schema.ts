import { z } from 'zod';
import { ActionSchema } from './actions.ts';

/** Version of the trace layout; bump when a reader would misread older files. */
export const TRACE_VERSION = 1;

const FrameRef = z.object({
  /** Path relative to the trace directory, under frames/. */
  file: z.string(),
  width: z.number(),
  height: z.number(),
  scale: z.number(),
  origin: z.object({ x: z.number(), y: z.number() }),
  /** The image as sent to the model, when a profile resized it. */
  sent: z.object({ file: z.string(), width: z.number(), height: z.number() }).optional(),
});

export const TimingsSchema = z.object({
  captureMs: z.number(),
  modelMs: z.number(),
  actMs: z.number(),
  settleMs: z.number(),
  totalMs: z.number(),
});
export type StepTimings = z.infer<typeof TimingsSchema>;

export const TokensSchema = z.object({ input: z.number(), output: z.number() });
export type Tokens = z.infer<typeof TokensSchema>;

export const AttemptSchema = z.object({
  raw: z.string().optional(),
  reasoning: z.string().optional(),
  /** Function calls the model made natively (tool-calling families), arguments as sent. */
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })).optional(),
  candidates: z.array(z.unknown()),
  /** Empty when every candidate validated and passed the guard. */
  errors: z.array(z.string()),
  /** Which stage refused: schema, frame (out of bounds), guard, model (engine error). */
  rejectedBy: z.enum(['schema', 'frame', 'guard', 'model']).optional(),
  modelMs: z.number(),
  /** Time to the first streamed token, when the engine streams. */
  firstTokenMs: z.number().optional(),
  notes: z.record(z.string(), z.unknown()).optional(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const RunHeaderSchema = z.object({
  type: z.literal('run'),
  version: z.literal(TRACE_VERSION),
  runId: z.string(),
  startedAt: z.string(),
  task: z.object({
    id: z.string(),
    file: z.string().optional(),
    goal: z.string().optional(),
    steps: z.array(z.unknown()).optional(),
    /** The app as the run opened it (web URL and viewport, or the desktop launch): what `handeye compile` writes back. */
    app: z.unknown().optional(),
  }),
  engine: z.string(),
  executor: z.object({ kind: z.enum(['browser', 'desktop']), viewport: z.tuple([z.number(), z.number()]).optional(), deviceScaleFactor: z.number().optional() }),
  budgets: z.object({ maxSteps: z.number(), timeoutMs: z.number(), maxTokens: z.number().optional(), maxRepairs: z.number().optional() }),
  /** The policy in force (allowed origins, forbidden keys and regions, confirmations, typing cap). */
  policy: z.unknown().optional(),
  /** Set when this run continues an interrupted one: its trace and the scripted step it started at. */
  resumedFrom: z.object({ traceDir: z.string(), fromStep: z.number().int() }).optional(),
});
export type RunHeader = z.infer<typeof RunHeaderSchema>;

/** A JavaScript dialog the page opened, and what handeye answered. */
export const DialogSchema = z.object({
  kind: z.string(),
  message: z.string(),
  answer: z.enum(['dismissed', 'accepted']),
});
export type DialogRecord = z.infer<typeof DialogSchema>;

export const StepRecordSchema = z.object({
  type: z.literal('step'),
  index: z.number().int(),
  /** Index of the scripted step, in steps mode. */
  stepIndex: z.number().int().optional(),
  instruction: z.string().optional(),
  frame: FrameRef,
  attempts: z.array(AttemptSchema),
  /** Actions that were performed, in order, after validation. */
  actions: z.array(ActionSchema),
  outcome: z.enum(['done', 'invalid', 'refused', 'error', 'finish', 'fail']),
  error: z.string().optional(),
  settle: z.object({ stable: z.boolean(), thumbnails: z.number(), ms: z.number() }).optional(),
  /**
   * Overlapped settling (agents whose decisions can be dropped): whether the frame this step
   * decided on held still, checked by `captures` later captures made while the agent decided,
   * and how many decisions were `dropped` because the screen was still changing. The step
   * before has no `settle` then.
   */
  frameCheck: z.object({ stable: z.boolean(), captures: z.number(), dropped: z.number(), ms: z.number() }).optional(),
  /** What the policy stopped while this step's actions ran (navigations to origins not allowed). */
  blocked: z.array(z.string()).optional(),
  /** Dialogs the page opened while this step ran (alert, confirm, prompt, beforeunload) and how each was answered. */
  dialogs: z.array(DialogSchema).optional(),
  /** In steps mode: the scripted step is fully done after this record (what --resume continues after). */
  stepCompleted: z.boolean().optional(),
  timings: TimingsSchema,
  tokens: TokensSchema,
});
export type StepRecord = z.infer<typeof StepRecordSchema>;

export const CheckResultSchema = z.object({ checker: z.unknown(), ok: z.boolean(), detail: z.string().optional() });
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const END_REASONS = [
  'finished',
  'steps-completed',
  'agent-failed',
  'max-steps',
  'timeout',
  'aborted',
  'stuck',
  'invalid-output',
  'error',
  /** Every candidate of a step was refused by the policy, repairs included. */
  'refused',
  /** The model-token budget ran out. */
  'token-budget',
  /** The trace could not be written (disk full): the run stopped rather than act unrecorded. */
  'disk-full',
] as const;
export const EndReasonSchema = z.enum(END_REASONS);
export type EndReason = z.infer<typeof EndReasonSchema>;

/** What a run's step cache (`--cache DIR`) did: hits answered without the model, misses asked it. */
export const CacheStatsSchema = z.object({
  dir: z.string(),
  mode: z.enum(['read-write', 'read-only', 'write-only']),
  /** Decisions answered from the cache, re-grounded on the live screen (no model call). */
  hits: z.number().int(),
  /** Decisions the cache had no usable entry for: the model was asked. */
  misses: z.number().int(),
  /** Entries found but not used: the target was not found well enough, or the expected effect was not seen. */
  rejected: z.number().int(),
  /** Model calls made in this run (misses, rejected entries and redone steps). */
  modelCalls: z.number().int(),
  /** Model calls the hits saved. */
  savedCalls: z.number().int(),
  /** The model time the hits saved (what the cached calls took when recorded) less what the hits took. */
  savedMs: z.number(),
  /** Entries written or replaced. */
  written: z.number().int(),
  /** Damaged entries ignored, a cache folder that cannot be written, ... */
  warnings: z.array(z.string()).optional(),
});
export type CacheStats = z.infer<typeof CacheStatsSchema>;

/** One model server of a run that spread its calls over several (--base-url given more than once). */
export const EndpointStatSchema = z.object({
  url: z.string(),
  /** Requests sent there, failed ones included. */
  calls: z.number().int(),
  errors: z.number().int(),
  /** Latency of the successful requests. */
  meanMs: z.number().optional(),
  p50Ms: z.number().optional(),
  p95Ms: z.number().optional(),
  lastError: z.string().optional(),
});
export type EndpointStat = z.infer<typeof EndpointStatSchema>;

export const SummarySchema = z.object({
  runId: z.string(),
  taskId: z.string(),
  engine: z.string(),
  success: z.boolean(),
  reason: EndReasonSchema,
  /** Human-readable detail: the fail reason, the error message, the checker that did not hold. */
  detail: z.string().optional(),
  answer: z.string().optional(),
  steps: z.number().int(),
  startedAt: z.string(),
  durationMs: z.number(),
  timings: TimingsSchema.omit({ totalMs: true }),
  tokens: TokensSchema,
  repairs: z.number().int(),
  parseFailures: z.number().int(),
  /** Actions the policy refused or stopped (guard refusals, blocked navigations, refused secrets). */
  refusals: z.number().int().optional(),
  checks: z.array(CheckResultSchema),
  /**
   * Desktop runs: whether the app's window was seen painted and still before the first capture,
   * and how long that wait took (a window still blank when it timed out is `painted: false`).
   */
  window: z.object({ painted: z.boolean(), paintMs: z.number() }).optional(),
  /**
   * The component that could not be reached or used (the browser, the page, the desktop display,
   * the model server): the run never really started, and the CLI exits 2.
   */
  unreachable: z.enum(['browser', 'page', 'display', 'model']).optional(),
  /** The model servers the calls went to, when there were several. */
  endpoints: z.array(EndpointStatSchema).optional(),
  /** The goal as read from the page, when the page gave it (MiniWoB++'s utterance). */
  goal: z.string().optional(),
  /** The step cache, when the run had one (`--cache DIR`). */
  cache: CacheStatsSchema.optional(),
  traceDir: z.string(),
});
export type Summary = z.infer<typeof SummarySchema>;

export const EndRecordSchema = SummarySchema.extend({ type: z.literal('end') });

export const TraceLineSchema = z.discriminatedUnion('type', [RunHeaderSchema, StepRecordSchema, EndRecordSchema]);
export type TraceLine = z.infer<typeof TraceLineSchema>;
