/** Narrow interface to a model: one chat completion. Adapters: OpenAI-compatible HTTP, replay, simulated. */
export interface ChatImage {
  /** Encoded image bytes, exactly as sent. */
  data: Buffer;
  mime: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
}

export type ChatPart = { type: 'text'; text: string } | { type: 'image'; image: ChatImage };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ChatPart[];
}

export interface CompletionRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** JSON Schema for structured output, where the server supports it. */
  jsonSchema?: Record<string, unknown>;
  /** Vendor-specific body fields passed through (skip_special_tokens, chat_template_kwargs, ...). */
  extra?: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface CompletionResult {
  text: string;
  reasoning?: string;
  usage?: Usage;
  timings: { firstTokenMs?: number; totalMs: number };
  /** Why generation stopped: stop, length, reasoning_budget (cut by the client), ... */
  finishReason?: string;
}

export interface Engine {
  readonly name: string;
  complete(request: CompletionRequest): Promise<CompletionResult>;
  close?(): Promise<void>;
}
