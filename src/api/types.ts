import { z } from 'zod';
import { ActionSchema } from '../core/actions.ts';
import { ENGINE_NAMES } from '../../agents/registry.ts';
import { EndReasonSchema } from '../core/trace-schema.ts';
import { TraceLocationSchema } from './errors.ts';

/**
 * The serializable part of an agent's configuration: what a Playwright config's
 * `use: { handeye: {...} }` holds, and what createHandeye() reads besides the live objects.
 */
export const HandeyeConfigSchema = z
  .object({
    /** embedded (default, OCR in-process), openai (a VLM behind an OpenAI-compatible server), replay. */
    engine: z.enum(ENGINE_NAMES).optional(),
    /** openai: e.g. http://127.0.0.1:8000/v1; several servers of the same model spread the calls and fail over. */
    baseUrl: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(64)]).optional(),
    /** openai with several servers: how long one may take to start answering before the call goes to another. */
    endpointTimeoutMs: z.number().int().positive().optional(),
    model: z.string().min(1).optional(),
    /** openai: the model family profile (glm-4.1v-thinking, ui-tars-1.5, qwen2.5-vl, generic...). */
    family: z.string().min(1).optional(),
    /** openai: the environment variable holding the API key (never the key itself). */
    apiKeyEnv: z.string().min(1).optional(),
    /** replay: the trace directory whose actions are replayed. */
    replay: z.string().min(1).optional(),
    /** Trace directory of this agent (created; must not hold a trace yet). Default traces/<name>-<time>-<pid>. */
    traceDir: z.string().min(1).optional(),
    /** Name written into the trace header as its task id. */
    name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'must be letters, digits, "-", "_" or "."').optional(),
    /** Time one step call (click, type, assert...) may take, OCR and settling included. */
    stepTimeoutMs: z.number().int().positive().optional(),
    /** Time and step budget of act(goal). */
    actTimeoutMs: z.number().int().positive().optional(),
    actMaxSteps: z.number().int().positive().max(1000).optional(),
    /** Bound on one model call. */
    modelTimeoutMs: z.number().int().positive().optional(),
    /**
     * A step cache for model runs: a step seen before on a screen like this one is re-grounded by the
     * embedded engine and done without a model call. Keyed by `name`. A folder, or the folder and a mode.
     */
    cache: z.union([z.string().min(1), z.object({ dir: z.string().min(1), mode: z.enum(['read-write', 'read-only', 'write-only']).optional() }).strict()]).optional(),
  })
  .strict();
export type HandeyeConfig = z.infer<typeof HandeyeConfigSchema>;

export const DEFAULT_STEP_TIMEOUT_MS = 60_000;
export const DEFAULT_ACT_TIMEOUT_MS = 180_000;
export const DEFAULT_ACT_MAX_STEPS = 15;

const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const Point = z.tuple([z.number(), z.number()]);

/** What a step call (click, type, press, scroll, select, hover, assert, waitFor) did. */
export const StepResultSchema = z.object({
  /** The call as written: `agent.click("Sign in")`. */
  call: z.string(),
  /** The scripted step it ran, in words: `click "Sign in"`. */
  instruction: z.string(),
  /** The actions performed, targets in frame pixels, in order (empty for assert/waitFor that held at once). */
  actions: z.array(ActionSchema),
  /** Step records the call appended to the trace (a click and the look that verified it: 2). */
  records: z.number().int(),
  durationMs: z.number(),
  trace: TraceLocationSchema,
});
export type StepResult = z.infer<typeof StepResultSchema>;

/** What act(goal) did. */
export const ActResultSchema = StepResultSchema.extend({
  reason: EndReasonSchema,
  /** The agent's answer when it finished with one. */
  answer: z.string().optional(),
});
export type ActResult = z.infer<typeof ActResultSchema>;

/** Where locate() found a target. */
export const LocatedSchema = z.object({
  /** [x1, y1, x2, y2] in page coordinates: CSS px of the viewport for a page, screen points on a desktop. */
  box: Box,
  /** Where a click would land, in the same coordinates. */
  point: Point,
  /** The same box in pixels of the captured frame. */
  frameBox: Box,
  /** What the engine read there (the label text), when it says. */
  text: z.string().optional(),
  /** The engine's confidence 0..1, when it gives one. */
  score: z.number().optional(),
  trace: TraceLocationSchema,
});
export type Located = z.infer<typeof LocatedSchema>;

/** The arguments of the step calls, validated before anything runs. */
export const ClickOptionsSchema = z.object({ button: z.enum(['left', 'right', 'middle']).optional(), count: z.union([z.literal(1), z.literal(2)]).optional() }).strict();
export type ClickOptions = z.infer<typeof ClickOptionsSchema>;
export const TypeOptionsSchema = z.object({ into: z.string().min(1).optional(), clear: z.boolean().optional(), submit: z.boolean().optional() }).strict();
export type TypeOptions = z.infer<typeof TypeOptionsSchema>;
export const ScrollDirectionSchema = z.enum(['up', 'down', 'left', 'right']);
export type ScrollDirection = z.infer<typeof ScrollDirectionSchema>;
export const ScrollOptionsSchema = z.object({ amount: z.number().int().positive().optional(), at: z.string().min(1).optional(), until: z.string().min(1).optional() }).strict();
export type ScrollOptions = z.infer<typeof ScrollOptionsSchema>;
export const SelectOptionsSchema = z.object({ in: z.string().min(1).optional() }).strict();
export type SelectOptions = z.infer<typeof SelectOptionsSchema>;
export const WaitForOptionsSchema = z.object({ timeout: z.number().int().positive().max(600_000).optional() }).strict();
export type WaitForOptions = z.infer<typeof WaitForOptionsSchema>;
export const DEFAULT_WAIT_FOR_TIMEOUT_MS = 10_000;
