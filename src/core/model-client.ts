import type { EndpointStat } from './trace-schema.ts';

export type { EndpointStat };

/**
 * The narrow interface to a served model: one chat completion. Adapters live in src/model-clients
 * (OpenAI-compatible HTTP); tests add a simulated server behind the same adapter.
 */
export interface ChatImage {
  /** Encoded image bytes, exactly as sent. */
  data: Buffer;
  mime: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
}

export type ChatPart = { type: 'text'; text: string } | { type: 'image'; image: ChatImage };

/** A function call the model made through the OpenAI `tool_calls` field; arguments as the JSON text the server sent. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A function the model may call (OpenAI `tools`): its parameters as JSON Schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | ChatPart[];
  /** An assistant turn's function calls. */
  toolCalls?: ToolCall[];
  /** A tool turn: the call it answers. */
  toolCallId?: string;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** JSON Schema for structured output, where the server supports it. */
  jsonSchema?: Record<string, unknown>;
  /** Functions the model may call natively (the server needs a tool-call parser). */
  tools?: ToolSpec[];
  /** Vendor-specific body fields passed through (skip_special_tokens, chat_template_kwargs, ...). */
  extra?: Record<string, unknown>;
  /**
   * Cuts a streamed reply once its thinking runs past this many streamed chunks, with finishReason
   * "reasoning_budget". vLLM and SGLang stream about one token per chunk, so the budget is close to
   * a token count, but it is counted in chunks.
   */
  reasoningBudgetTokens?: number;
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** One HTTP attempt of a completion, as the trace records it. */
export interface RequestAttempt {
  /** 1 for the first try. */
  attempt: number;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** Why the attempt failed, when it did. */
  error?: string;
  /** How long the client waited before the next attempt. */
  waitMs?: number;
  /** The attempt was cut short by the caller (the run's deadline, an abort). */
  aborted?: boolean;
  ms: number;
  /** The server it went to, when the client spreads calls over several. */
  endpoint?: string;
}

export interface CompletionResult {
  text: string;
  reasoning?: string;
  /** Function calls the server parsed out of the reply (requests with tools). */
  toolCalls?: ToolCall[];
  usage?: Usage;
  timings: { firstTokenMs?: number; totalMs: number };
  /** Why generation stopped: stop, length, reasoning_budget (cut by the client), ... */
  finishReason?: string;
  /** Each HTTP attempt it took, when the client retries. */
  requests?: RequestAttempt[];
}

export interface ModelClient {
  readonly name: string;
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /** Calls, errors and latency per server (since an earlier result), for a client that spreads calls over several. */
  endpointStats?(since?: EndpointStat[]): EndpointStat[];
  close?(): Promise<void>;
}

/** @deprecated The chat client was called Engine before 0.2; it is a ModelClient. */
export type Engine = ModelClient;
