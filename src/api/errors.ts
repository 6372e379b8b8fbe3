import { z } from 'zod';
import { EndReasonSchema } from '../core/trace-schema.ts';

/** Where in the trace a call left its record: the trace directory, the step record, its frame. */
export const TraceLocationSchema = z.object({
  /** Absolute path of the trace directory (trace.jsonl, frames/). */
  dir: z.string(),
  /** Index of the call's last step record in trace.jsonl, when it wrote one. */
  step: z.number().int().optional(),
  /** Absolute path of the frame that record saw, when it was written. */
  frame: z.string().optional(),
});
export type TraceLocation = z.infer<typeof TraceLocationSchema>;

export const HANDEYE_ERROR_CODES = [
  'closed',
  'page-closed',
  'busy',
  'usage',
  'step-failed',
  'assertion-failed',
  'wait-timeout',
  'not-found',
  'vision-required',
  'query-failed',
] as const;
export type HandeyeErrorCode = (typeof HANDEYE_ERROR_CODES)[number];

/** Every error the library API throws. `call` names the call (`agent.click("Sign in")`); `trace` where it was recorded. */
export class HandeyeError extends Error {
  override name = 'HandeyeError';
  readonly code: HandeyeErrorCode;
  readonly call: string;
  readonly trace: TraceLocation;

  constructor(code: HandeyeErrorCode, call: string, message: string, trace: TraceLocation, options?: { cause?: unknown }) {
    super(`${call}: ${message}${trace.step !== undefined ? ` (trace ${trace.dir}, step ${trace.step})` : ''}`, options);
    this.code = code;
    this.call = call;
    this.trace = trace;
  }
}

/** A call on an agent after close(). */
export class HandeyeClosedError extends HandeyeError {
  override name = 'HandeyeClosedError';
  constructor(call: string, trace: TraceLocation) {
    super('closed', call, 'this agent was closed; create a new one with createHandeye()', trace);
  }
}

/** A call whose page (or every tab of it) is closed, before or while the call ran. */
export class PageClosedError extends HandeyeError {
  override name = 'PageClosedError';
  constructor(call: string, trace: TraceLocation, detail?: string) {
    super('page-closed', call, `the page this agent drives is closed${detail ? ` (${detail})` : ''}`, trace);
  }
}

/** A second call started before the previous one finished: one agent does one thing at a time. */
export class HandeyeBusyError extends HandeyeError {
  override name = 'HandeyeBusyError';
  constructor(call: string, running: string, trace: TraceLocation) {
    super('busy', call, `called while ${running} is still running; await each call before the next`, trace);
  }
}

/** Bad arguments (an empty target, an unknown direction, a timeout that is no number). */
export class HandeyeUsageError extends HandeyeError {
  override name = 'HandeyeUsageError';
  constructor(call: string, message: string, trace: TraceLocation) {
    super('usage', call, message, trace);
  }
}

/** The agent could not do what a step or goal asked; `reason` is the loop's end reason, `detail` its words. */
export class StepFailedError extends HandeyeError {
  override name = 'StepFailedError';
  readonly reason: z.infer<typeof EndReasonSchema>;
  readonly detail: string;
  constructor(call: string, reason: z.infer<typeof EndReasonSchema>, detail: string, trace: TraceLocation, code: HandeyeErrorCode = 'step-failed') {
    super(code, call, `${reason}: ${detail}`, trace);
    this.reason = reason;
    this.detail = detail;
  }
}

/** assert(statement): the statement does not hold on screen. */
export class AssertionFailedError extends StepFailedError {
  override name = 'AssertionFailedError';
  constructor(call: string, reason: z.infer<typeof EndReasonSchema>, detail: string, trace: TraceLocation) {
    super(call, reason, detail, trace, 'assertion-failed');
  }
}

/** waitFor(statement): the statement did not come true within the timeout. */
export class WaitTimeoutError extends StepFailedError {
  override name = 'WaitTimeoutError';
  constructor(call: string, reason: z.infer<typeof EndReasonSchema>, detail: string, trace: TraceLocation) {
    super(call, reason, detail, trace, 'wait-timeout');
  }
}

/** locate(target): nothing on screen matches the target. */
export class TargetNotFoundError extends HandeyeError {
  override name = 'TargetNotFoundError';
  constructor(call: string, detail: string, trace: TraceLocation) {
    super('not-found', call, detail, trace);
  }
}

/** query() on an engine that cannot answer questions about an image (embedded OCR, replay). */
export class VisionRequiredError extends HandeyeError {
  override name = 'VisionRequiredError';
  constructor(call: string, engine: string, trace: TraceLocation) {
    super(
      'vision-required',
      call,
      `query needs a vision-language model, but this agent runs the ${engine} engine, which can only read and ground text. ` +
        `Create the agent with { engine: 'openai', baseUrl, model, family } (a VLM served by vLLM, SGLang, Ollama...) to ask questions about the screen`,
      trace,
    );
  }
}

/** query(): the model's answer did not validate against the schema, or the model could not be reached. */
export class QueryError extends HandeyeError {
  override name = 'QueryError';
  /** The model's last answer text, thinking removed. */
  readonly answer?: string;
  readonly issues: string[];
  constructor(call: string, message: string, trace: TraceLocation, answer?: string, issues: string[] = []) {
    super('query-failed', call, message, trace);
    this.answer = answer;
    this.issues = issues;
  }
}
