import type { ClientTimeouts, ModelClientErrorKind } from './openai.ts';
import { ModelClientError } from './openai.ts';

/**
 * The timers and the abort of one HTTP attempt: the whole-request timeout, the current phase's
 * timeout (response headers, first token, silence between chunks) and the caller's signal. The
 * first reason to stop wins and names the error.
 */
export class AttemptWatch {
  readonly controller = new AbortController();
  private why: { kind: ModelClientErrorKind; message: string; retryable: boolean } | undefined;
  private readonly totalTimer: ReturnType<typeof setTimeout>;
  private phaseTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort = () => this.stop('aborted', 'aborted by the caller');

  constructor(
    private readonly url: string,
    t: ClientTimeouts,
    stream: boolean,
    private readonly callerSignal?: AbortSignal,
  ) {
    callerSignal?.addEventListener('abort', this.onAbort, { once: true });
    this.totalTimer = setTimeout(() => this.stop('timeout', `no complete answer within ${t.totalMs} ms`), t.totalMs);
    // Without streaming, headers come with the answer: the total timeout bounds it.
    if (stream) this.phaseTimer = setTimeout(() => this.stop('timeout', `the server sent no response headers within ${t.connectMs} ms`, true), t.connectMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.why !== undefined;
  }

  stop(kind: ModelClientErrorKind, message: string, retryable = false): void {
    this.why ??= { kind, message, retryable };
    this.controller.abort();
  }

  rearm(ms: number, message: string): void {
    clearTimeout(this.phaseTimer);
    this.phaseTimer = setTimeout(() => this.stop('timeout', message), ms);
  }

  /** The error for a failed attempt: why it was stopped, or a failed connection. */
  fail(e: unknown): never {
    if (this.why) throw new ModelClientError(`POST ${this.url}: ${this.why.message}`, this.why.kind, this.url, this.why.retryable);
    if (e instanceof ModelClientError) throw e;
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new ModelClientError(`POST ${this.url}: connection failed (${detail})`, 'connection', this.url, true);
  }

  dispose(): void {
    clearTimeout(this.totalTimer);
    clearTimeout(this.phaseTimer);
    this.callerSignal?.removeEventListener('abort', this.onAbort);
  }
}
