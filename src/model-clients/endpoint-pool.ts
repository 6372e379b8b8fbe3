import type { CompletionRequest, CompletionResult, EndpointStat, ModelClient, RequestAttempt } from '../core/model-client.ts';
import { ModelClientError } from './openai.ts';

/** One server of a pool: anything that completes (an OpenAiClient with its own retries off). */
export interface PoolEndpoint {
  url: string;
  client: ModelClient;
}

export interface EndpointPoolOptions {
  /** How long an endpoint that failed is left alone (doubled for each failure in a row, up to maxRestMs). */
  restMs?: number;
  maxRestMs?: number;
  /** Attempts over all endpoints for one completion, the first included. */
  maxAttempts?: number;
  /** For tests: the clock. */
  now?: () => number;
}

interface EndpointState extends PoolEndpoint {
  outstanding: number;
  calls: number;
  errors: number;
  /** Latencies of the successful calls, ms. */
  latencies: number[];
  restUntil: number;
  failuresInRow: number;
  lastError?: string;
}

const DEFAULT_REST_MS = 30_000;
const MAX_LATENCIES = 10_000;

/**
 * Several servers of the same model behind one ModelClient: each call goes to the endpoint with the
 * fewest requests in flight; one that fails (refused, 5xx, 429, timed out) rests for a cool-down
 * and the call goes to another. Answers a client error (4xx) at once: another server of the same
 * model would refuse the same request. Keeps calls, errors and latency per endpoint.
 */
export class EndpointPool implements ModelClient {
  readonly name = 'openai';
  private readonly endpoints: EndpointState[];
  private readonly now: () => number;
  private turn = 0;

  constructor(
    endpoints: PoolEndpoint[],
    private readonly options: EndpointPoolOptions = {},
  ) {
    if (!endpoints.length) throw new Error('an endpoint pool needs at least one endpoint');
    this.endpoints = endpoints.map((e) => ({ ...e, outstanding: 0, calls: 0, errors: 0, latencies: [], restUntil: 0, failuresInRow: 0 }));
    this.now = options.now ?? Date.now;
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const maxAttempts = this.options.maxAttempts ?? Math.max(4, this.endpoints.length + 1);
    const requests: RequestAttempt[] = [];
    let last: ModelClientError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (request.signal?.aborted) break;
      const e = this.pick();
      e.outstanding++;
      e.calls++;
      const t0 = performance.now();
      try {
        const r = await e.client.complete(request);
        const ms = performance.now() - t0;
        e.failuresInRow = 0;
        if (e.latencies.length < MAX_LATENCIES) e.latencies.push(ms);
        requests.push({ attempt, status: 200, ms: Math.round(ms), endpoint: e.url });
        return { ...r, requests };
      } catch (err) {
        const error = err instanceof ModelClientError ? err : new ModelClientError(`${e.url}: ${(err as Error).message}`, 'protocol', e.url, false);
        e.errors++;
        e.lastError = error.message;
        requests.push({ attempt, ms: Math.round(performance.now() - t0), error: error.message, endpoint: e.url, ...(error.status ? { status: error.status } : {}), ...(error.kind === 'aborted' ? { aborted: true } : {}) });
        last = error;
        if (!error.retryable || error.kind === 'aborted') break;
        this.rest(e, error.retryAfterMs);
      } finally {
        e.outstanding--;
      }
    }
    const err = last ?? new ModelClientError('aborted before any endpoint was asked', 'aborted', this.endpoints[0].url, false);
    const out = new ModelClientError(this.endpoints.length > 1 && last?.retryable ? `every endpoint failed; last: ${err.message}` : err.message, err.kind, err.url, false, err.status);
    out.requests = requests;
    throw out;
  }

  /**
   * Per endpoint: calls, errors and latency so far, or since `since` (an earlier result of this
   * method: one episode's share when an agent serves several).
   */
  endpointStats(since?: EndpointStat[]): EndpointStat[] {
    return this.endpoints.map((e) => {
      const before = since?.find((s) => s.url === e.url);
      const calls = e.calls - (before?.calls ?? 0);
      const errors = e.errors - (before?.errors ?? 0);
      const sorted = e.latencies.slice(before ? before.calls - before.errors : 0).sort((a, b) => a - b);
      const pick = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
      return {
        url: e.url,
        calls,
        errors,
        ...(sorted.length ? { meanMs: Math.round(sorted.reduce((s, x) => s + x, 0) / sorted.length), p50Ms: pick(0.5), p95Ms: pick(0.95) } : {}),
        ...(errors > 0 && e.lastError ? { lastError: e.lastError } : {}),
      };
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.endpoints.map((e) => e.client.close?.().catch(() => {})));
  }

  /** The least busy endpoint that is not resting; if all rest, the one whose rest ends first. */
  private pick(): EndpointState {
    const now = this.now();
    const awake = this.endpoints.filter((e) => e.restUntil <= now);
    if (!awake.length) return this.endpoints.reduce((a, b) => (b.restUntil < a.restUntil ? b : a));
    const least = Math.min(...awake.map((e) => e.outstanding));
    const idle = awake.filter((e) => e.outstanding === least);
    // Round-robin among the equally idle, so a sequential run spreads its calls.
    return idle[this.turn++ % idle.length];
  }

  private rest(e: EndpointState, retryAfterMs?: number): void {
    e.failuresInRow++;
    const base = this.options.restMs ?? DEFAULT_REST_MS;
    const rest = Math.min(this.options.maxRestMs ?? 10 * base, base * 2 ** (e.failuresInRow - 1));
    e.restUntil = this.now() + Math.max(rest, retryAfterMs ?? 0);
  }
}
