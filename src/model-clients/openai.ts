import type { ChatMessage, CompletionRequest, CompletionResult, ModelClient, RequestAttempt, ToolCall, Usage } from '../core/model-client.ts';
import { redactProcessSecrets, registerSecretValue } from '../core/secrets.ts';
import { AttemptWatch } from './attempt-watch.ts';

/**
 * A model client for any OpenAI-compatible chat-completions server (vLLM, SGLang, Ollama, LM Studio,
 * llama.cpp server), with plain fetch. Retries only what a retry can fix (429, 5xx, refused or
 * dropped connections); every wait is bounded by a timeout; errors name the URL and what the
 * server said. The API key is read from an environment variable whose name is configured and
 * is never written into an error or a log.
 */

export interface OpenAiClientOptions {
  /** e.g. http://127.0.0.1:8000/v1 */
  baseUrl: string;
  model: string;
  /** Name of the environment variable that holds the API key (not the key itself). */
  apiKeyEnv?: string;
  /** Stream tokens (default true): needed for first-token timing, stall detection and the thinking budget. */
  stream?: boolean;
  timeouts?: Partial<ClientTimeouts>;
  retry?: Partial<RetryPolicy>;
  /** Body fields added to every request (vendor extras). */
  extraBody?: Record<string, unknown>;
  /** Extra HTTP headers (a gateway's token): sent with every request, their values treated as secrets. */
  headers?: Record<string, string>;
}

export interface ClientTimeouts {
  /** Until the server answers with response headers (streaming) or a refused/unreachable host fails. */
  connectMs: number;
  /** Until the first streamed token, thinking included. */
  firstTokenMs: number;
  /** Longest silence between two streamed chunks (a stalled stream). */
  idleMs: number;
  /** The whole request, retries not included. */
  totalMs: number;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_TIMEOUTS: ClientTimeouts = { connectMs: 10_000, firstTokenMs: 120_000, idleMs: 60_000, totalMs: 600_000 };
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 8_000 };

/** What OpenAI-compatible servers add: why generation stopped, and how many attempts it took. */
export interface OpenAiCompletionResult extends CompletionResult {
  /** "stop", "length", or "reasoning_budget" when the client cut the thinking short. */
  finishReason?: string;
  attempts: number;
}

export type ModelClientErrorKind = 'http' | 'connection' | 'timeout' | 'aborted' | 'protocol' | 'config';

export class ModelClientError extends Error {
  override name = 'ModelClientError';
  /** Every HTTP attempt of the failed completion, for the trace. */
  requests: RequestAttempt[] = [];
  constructor(
    message: string,
    readonly kind: ModelClientErrorKind,
    readonly url: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    // A server may echo what it was sent (the API key in an error): the message never carries it.
    super(redactProcessSecrets(message));
  }
}

function messageBody(m: ChatMessage): Record<string, unknown> {
  const body: Record<string, unknown> = { role: m.role };
  body.content =
    typeof m.content === 'string'
      ? m.content
      : m.content.map((p) =>
          p.type === 'text'
            ? { type: 'text', text: p.text }
            : { type: 'image_url', image_url: { url: `data:${p.image.mime};base64,${p.image.data.toString('base64')}` } },
        );
  if (m.toolCalls?.length) body.tool_calls = m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  if (m.toolCallId) body.tool_call_id = m.toolCallId;
  return body;
}

/** The JSON body of a chat-completions request (exported for inspection and benchmarks). */
export function chatCompletionBody(req: CompletionRequest, model: string, stream: boolean, extraBody?: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages: req.messages.map(messageBody), stream };
  if (stream) body.stream_options = { include_usage: true };
  if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.jsonSchema) body.response_format = { type: 'json_schema', json_schema: { name: 'handeye_reply', schema: req.jsonSchema } };
  if (req.tools?.length) {
    body.tools = req.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
    body.tool_choice = 'auto';
  }
  return { ...body, ...extraBody, ...req.extra };
}

function describeServerError(status: number, statusText: string, text: string): string {
  let said = text.trim();
  try {
    const j = JSON.parse(text) as { error?: { message?: string } | string; message?: string; detail?: string };
    said = (typeof j.error === 'string' ? j.error : j.error?.message) ?? j.message ?? j.detail ?? said;
  } catch {
    /* not JSON: keep the text */
  }
  return `${status} ${statusText}${said ? `: ${said.slice(0, 500)}` : ''}`;
}

function retryAfter(h: string | null): number | undefined {
  if (!h) return undefined;
  const s = Number(h);
  return Number.isFinite(s) ? s * 1000 : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Accumulated {
  text: string;
  reasoning: string;
  /** Tool calls by stream index: ids and names arrive once, arguments in pieces. */
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  usage?: Usage;
  finishReason?: string;
  firstTokenAt?: number;
}

export class OpenAiClient implements ModelClient {
  readonly name = 'openai';
  readonly url: string;
  private readonly timeouts: ClientTimeouts;
  private readonly retry: RetryPolicy;
  private readonly stream: boolean;

  constructor(private readonly options: OpenAiClientOptions) {
    if (options.apiKeyEnv) registerSecretValue(process.env[options.apiKeyEnv], options.apiKeyEnv);
    for (const [name, value] of Object.entries(options.headers ?? {})) registerSecretValue(value, `header ${name}`);
    let base: URL;
    try {
      base = new URL(options.baseUrl);
      if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http');
    } catch {
      throw new ModelClientError(`base URL ${JSON.stringify(options.baseUrl)} is not a URL (expected e.g. http://127.0.0.1:8000/v1)`, 'config', options.baseUrl, false);
    }
    this.url = base.href.replace(/\/+$/, '') + '/chat/completions';
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.stream = options.stream ?? true;
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { ...this.options.headers, 'content-type': 'application/json', accept: this.stream ? 'text/event-stream' : 'application/json' };
    const envName = this.options.apiKeyEnv;
    if (envName) {
      const key = process.env[envName];
      if (!key) throw new ModelClientError(`the API key variable ${envName} is not set in the environment`, 'config', this.url, false);
      registerSecretValue(key, envName);
      h.authorization = `Bearer ${key}`;
    }
    return h;
  }

  async complete(request: CompletionRequest): Promise<OpenAiCompletionResult> {
    const body = JSON.stringify(chatCompletionBody(request, this.options.model, this.stream, this.options.extraBody));
    const headers = this.headers();
    const requests: RequestAttempt[] = [];
    for (let attempt = 0; ; attempt++) {
      const t0 = performance.now();
      try {
        const r = await this.attempt(body, headers, request);
        requests.push({ attempt: attempt + 1, status: 200, ms: Math.round(performance.now() - t0) });
        return { ...r, attempts: attempt + 1, requests };
      } catch (e) {
        const err = e instanceof ModelClientError ? e : new ModelClientError(`POST ${this.url}: ${(e as Error).message}`, 'protocol', this.url, false);
        const record: RequestAttempt = { attempt: attempt + 1, ms: Math.round(performance.now() - t0), error: err.message, ...(err.status ? { status: err.status } : {}), ...(err.kind === 'aborted' ? { aborted: true } : {}) };
        requests.push(record);
        err.requests = requests;
        if (!err.retryable || attempt >= this.retry.maxRetries || request.signal?.aborted) throw err;
        const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
        const jittered = backoff / 2 + Math.random() * (backoff / 2);
        record.waitMs = Math.round(Math.min(this.retry.maxDelayMs, Math.max(jittered, err.retryAfterMs ?? 0)));
        await sleep(record.waitMs, request.signal).catch(() => {
          requests.push({ attempt: attempt + 2, ms: 0, error: `POST ${this.url}: aborted while waiting to retry`, aborted: true });
          const aborted = new ModelClientError(`POST ${this.url}: aborted`, 'aborted', this.url, false);
          aborted.requests = requests;
          throw aborted;
        });
      }
    }
  }

  private async attempt(body: string, headers: Record<string, string>, request: CompletionRequest): Promise<CompletionResult & { finishReason?: string }> {
    const started = performance.now();
    if (request.signal?.aborted) throw new ModelClientError(`POST ${this.url}: aborted by the caller`, 'aborted', this.url, false);
    const watch = new AttemptWatch(this.url, this.timeouts, this.stream, request.signal);
    try {
      let res: Response;
      try {
        res = await fetch(this.url, { method: 'POST', headers, body, signal: watch.signal });
      } catch (e) {
        return watch.fail(e);
      }
      if (!res.ok) {
        const text = await res.text().catch(() => '');
        const retryable = res.status === 429 || res.status >= 500;
        const served = res.status === 404 ? await this.servedModelsHint() : '';
        throw new ModelClientError(`POST ${this.url} → ${describeServerError(res.status, res.statusText, text)}${served}`, 'http', this.url, retryable, res.status, retryAfter(res.headers.get('retry-after')));
      }
      const acc: Accumulated = { text: '', reasoning: '', toolCalls: [] };
      if (!this.stream || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) await this.readJson(res, acc, watch);
      else await this.readStreamed(res, acc, request.reasoningBudgetTokens, watch);
      const totalMs = performance.now() - started;
      return {
        text: acc.text,
        ...(acc.reasoning ? { reasoning: acc.reasoning } : {}),
        ...(acc.toolCalls.length ? { toolCalls: acc.toolCalls.filter((c) => c) } : {}),
        ...(acc.usage ? { usage: acc.usage } : {}),
        finishReason: acc.finishReason,
        timings: { totalMs, ...(acc.firstTokenAt !== undefined ? { firstTokenMs: acc.firstTokenAt - started } : {}) },
      };
    } finally {
      watch.dispose();
    }
  }

  /** After a 404: which models the server does serve, so the error says what --model to give. */
  private async servedModelsHint(): Promise<string> {
    try {
      const { listServedModels } = await import('./served-models.ts');
      const ids = await listServedModels(this.options.baseUrl, { apiKeyEnv: this.options.apiKeyEnv, headers: this.options.headers, timeoutMs: 3000 });
      if (!ids.length) return '';
      return ids.includes(this.options.model) ? '' : ` (model ${JSON.stringify(this.options.model)} is not served here; the server serves ${ids.map((i) => JSON.stringify(i)).join(', ')}: pass one with --model)`;
    } catch {
      return '';
    }
  }

  /** A whole JSON answer (no streaming). */
  private async readJson(res: Response, acc: Accumulated, watch: AttemptWatch): Promise<void> {
    let json: any;
    try {
      json = await res.json();
    } catch (e) {
      if (watch.stopped) return watch.fail(e);
      throw new ModelClientError(`POST ${this.url}: the server's answer is not JSON (${(e as Error).message})`, 'protocol', this.url, false);
    }
    const choice = json?.choices?.[0];
    if (!choice?.message) throw new ModelClientError(`POST ${this.url}: the answer has no choices[0].message`, 'protocol', this.url, false);
    acc.text = choice.message.content ?? '';
    acc.reasoning = choice.message.reasoning_content ?? choice.message.reasoning ?? '';
    for (const [i, c] of (Array.isArray(choice.message.tool_calls) ? choice.message.tool_calls : []).entries()) {
      acc.toolCalls.push(toolCallOf(c, i, this.url));
    }
    acc.finishReason = choice.finish_reason ?? undefined;
    acc.usage = usageOf(json.usage);
  }

  /** A streamed answer, with the first-token and idle timeouts armed around it. */
  private async readStreamed(res: Response, acc: Accumulated, budget: number | undefined, watch: AttemptWatch): Promise<void> {
    const t = this.timeouts;
    watch.rearm(t.firstTokenMs, `no token within ${t.firstTokenMs} ms`);
    try {
      await this.readStream(res, acc, budget, () => {
        if (acc.firstTokenAt === undefined) acc.firstTokenAt = performance.now();
        watch.rearm(t.idleMs, `the stream stalled: nothing for ${t.idleMs} ms`);
      }, watch.controller);
    } catch (e) {
      if (acc.finishReason === 'reasoning_budget') return; // we cut the stream ourselves
      if (watch.stopped || !(e instanceof ModelClientError)) return watch.fail(e);
      throw e;
    }
  }

  /** Reads server-sent events until [DONE]; cuts the stream when the thinking passes its budget. */
  private async readStream(res: Response, acc: Accumulated, budget: number | undefined, onToken: () => void, ctrl: AbortController): Promise<void> {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    let thinkingChunks = 0;
    let sawDone = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') {
          sawDone = true;
          continue;
        }
        let chunk: any;
        try {
          chunk = JSON.parse(data);
        } catch {
          throw new ModelClientError(`POST ${this.url}: the stream sent a line that is not JSON: ${data.slice(0, 120)}`, 'protocol', this.url, false);
        }
        if (chunk.error) throw new ModelClientError(`POST ${this.url}: the server reported an error mid-stream: ${chunk.error.message ?? JSON.stringify(chunk.error)}`, 'http', this.url, false);
        if (chunk.usage) acc.usage = usageOf(chunk.usage);
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const d = choice.delta ?? {};
        const r: string | undefined = d.reasoning_content ?? d.reasoning ?? undefined;
        const c: string | undefined = d.content ?? undefined;
        if (Array.isArray(d.tool_calls)) {
          onToken();
          for (const piece of d.tool_calls) addToolCallPiece(acc, piece, this.url);
        }
        if (r || c) onToken();
        if (r) {
          acc.reasoning += r;
          thinkingChunks++;
        }
        if (c) {
          acc.text += c;
          // Servers without a reasoning parser leave the thinking in the text.
          if (acc.text.includes('<think>') && !acc.text.includes('</think>')) thinkingChunks++;
        }
        if (choice.finish_reason) acc.finishReason = choice.finish_reason;
        if (budget !== undefined && thinkingChunks > budget) {
          acc.finishReason = 'reasoning_budget';
          ctrl.abort();
          await reader.cancel().catch(() => undefined);
          return;
        }
      }
    }
    if (!sawDone && !acc.finishReason) {
      throw new ModelClientError(`POST ${this.url}: the connection closed before the stream finished`, 'connection', this.url, true);
    }
  }
}

function toolCallOf(c: any, i: number, url: string): ToolCall {
  const name = c?.function?.name;
  if (typeof name !== 'string' || !name) throw new ModelClientError(`POST ${url}: tool_calls[${i}] has no function name`, 'protocol', url, false);
  const args = c.function.arguments;
  return { id: typeof c.id === 'string' ? c.id : `call_${i}`, name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) };
}

/** One streamed piece of a tool call: the first names it, later ones append to its arguments (OpenAI's delta format). */
function addToolCallPiece(acc: Accumulated, piece: any, url: string): void {
  const index = typeof piece?.index === 'number' ? piece.index : acc.toolCalls.length;
  if (index < 0 || index > 64) throw new ModelClientError(`POST ${url}: a streamed tool call has index ${index}`, 'protocol', url, false);
  const call = (acc.toolCalls[index] ??= { id: `call_${index}`, name: '', arguments: '' });
  if (typeof piece.id === 'string' && piece.id) call.id = piece.id;
  if (typeof piece.function?.name === 'string') call.name += piece.function.name;
  const args = piece.function?.arguments;
  if (typeof args === 'string') call.arguments += args;
  else if (args && typeof args === 'object') call.arguments += JSON.stringify(args);
}

function usageOf(u: any): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  return { inputTokens: Number(u.prompt_tokens ?? 0), outputTokens: Number(u.completion_tokens ?? 0) };
}
