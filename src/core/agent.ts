import type { Action } from './actions.ts';
import type { ChatImage, EndpointStat, ToolCall, Usage } from './model-client.ts';
import type { CacheStats } from './trace-schema.ts';
import type { Executor } from './executor.ts';

/**
 * The part of an executor an agent may use: reading the page, never acting. Agents act only by
 * returning actions, which the loop validates and the guard checks before the executor performs them.
 */
export type ExecutorView = Pick<Executor, 'kind' | 'evaluate' | 'currentUrl' | 'visibleText'>;

/** The agent could not read its instruction or the model's reply. */
export interface ParseProblem {
  /** What was expected, in words: fed back to the model as feedback for a repair. */
  message: string;
  /** The part that could not be read, when the agent can point at it. */
  fragment?: string;
}

/** What the agent found for the first target it acted on, when it can say. */
export interface TargetMatch {
  /** The text it matched on screen. */
  text: string;
  /** How well it matched, 0..1. */
  score: number;
}
import type { Frame } from './frame.ts';
import type { Step } from './task.ts';

/** What happened at an earlier step, as an agent may want to know it. */
export interface HistoryEntry {
  index: number;
  /** The scripted step or goal being worked on then. */
  instruction?: string;
  /** The scripted step itself, in steps mode, so profiles can word it as they word the current one. */
  step?: Step;
  actions: Action[];
  /** A short account of the outcome: "done", or why it was refused or failed. */
  outcome: string;
  /** The frame that step saw (profiles decide whether and how to resend it). */
  frame?: Frame;
  /** The model's reply whose actions were performed (official conversations send it back). */
  reply?: { text: string; toolCalls?: ToolCall[] };
  /** What the model asked to keep for the next step (GLM's Memory). */
  memory?: string;
}

export interface DecideInput {
  /** Open-ended goal, when the task has one. */
  goal?: string;
  /** The scripted step being executed, in steps mode. */
  step?: Step;
  stepIndex?: number;
  /** How many scripted steps the task has, in steps mode. */
  stepCount?: number;
  frame: Frame;
  history: HistoryEntry[];
  /**
   * Set on a retry: why the previous candidate was rejected (validation error, guard refusal,
   * out-of-frame target). The agent should repair its answer.
   */
  feedback?: string;
  /** What the agent may read of the executor (the page's DOM for set-of-marks lists, native selects). */
  executor?: ExecutorView;
  signal?: AbortSignal;
}

export interface Decision {
  /** Candidate actions, not yet validated: the loop validates each with the action schema. */
  actions: unknown[];
  reasoning?: string;
  /** The model's raw text, when there is one. */
  raw?: string;
  /** Function calls the model made natively (tool-calling families). */
  toolCalls?: ToolCall[];
  /** What the model asked to remember: given back in the next step's history. */
  memory?: string;
  /** The image exactly as it was sent to the model, when it differs from the frame. */
  sentImage?: ChatImage;
  usage?: Usage;
  timings?: { modelMs?: number; firstTokenMs?: number };
  /**
   * In steps mode: false when the current step needs more actions after these (the loop asks
   * again for the same step). Defaults to true.
   */
  stepComplete?: boolean;
  /**
   * Set when the reply or the instruction could not be read. With no candidate actions the loop
   * rejects the attempt and feeds the message back for a repair; an agent that answers `fail`
   * itself gives the reason here too (the trace keeps it under notes.parseError).
   */
  parseError?: ParseProblem;
  /** What was found for the first target, for callers that report it (the library's locate()). */
  located?: TargetMatch;
  /** Extra facts for the trace (forced answers, marks drawn, OCR timings...). */
  notes?: Record<string, unknown>;
}

/** Turns (goal or step, frame, history) into a decision. One per model family profile, plus embedded and replay. */
export interface Agent {
  readonly name: string;
  /**
   * True when decide() keeps nothing between calls beyond what DecideInput carries, so a decision
   * can be dropped and asked again. The loop then checks that the screen settled while the agent
   * decides (SettleOptions.overlap), which takes a capture off every step's critical path.
   */
  readonly stateless?: boolean;
  decide(input: DecideInput): Promise<Decision>;
  /** The model servers' calls, errors and latency, for an agent whose client spreads over several. */
  endpointStats?(since?: EndpointStat[]): EndpointStat[];
  /** What the agent's step cache did so far, for an agent that answers from one (`--cache DIR`). */
  cacheStats?(): CacheStats;
  close?(): Promise<void>;
}

/** Raised by agents for failures the run should record and end on (engine unreachable, model file missing). */
export class AgentError extends Error {
  override name = 'AgentError';
  constructor(
    message: string,
    readonly retryable = false,
    readonly details: {
      /** Facts for the trace (the HTTP attempts of a model call). */
      notes?: Record<string, unknown>;
      /** The component that could not be reached or used: the run is a usage problem (exit 2), not an agent failure. */
      unreachable?: 'model';
    } = {},
  ) {
    super(message);
  }
}
