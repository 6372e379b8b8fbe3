import path from 'node:path';
import type { Handeye } from '../api/handeye.ts';
import type { Executor } from '../core/executor.ts';
import type { DesktopSession } from '../executors/desktop/desktop-session.ts';
import type { RunPolicy } from '../policy/run-policy.ts';
import type { SessionInfo } from './schemas.ts';

const CLOSE_GRACE_MS = 3000;

/** One step of progress, as SSE and MCP progress notifications carry it. */
export interface ProgressEvent {
  session?: string;
  /** The step record's index in the trace. */
  step: number;
  /** The loop's one-line account of the step. */
  line: string;
}

/**
 * One open session of the service: an agent (createHandeye) over a page or a desktop, its policy,
 * and the queue its calls wait in. Calls on one session run one at a time, in arrival order; calls
 * on different sessions run side by side.
 */
export class ServiceSession {
  readonly createdAt = new Date();
  lastUsed = Date.now();
  /** Calls running or waiting. */
  pending = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(e: ProgressEvent) => void>();
  private closing: Promise<void> | undefined;
  /** The calls running or waiting, each with its controller: closing the session stops them. */
  readonly inflight = new Set<AbortController>();

  constructor(
    readonly id: string,
    readonly kind: 'browser' | 'desktop',
    /** The URL it opened, or the display. */
    readonly opened: string,
    readonly handeye: Handeye,
    readonly policy: RunPolicy,
    private readonly owned: { executor: Executor; desktop?: DesktopSession },
  ) {}

  get traceDir(): string {
    return this.handeye.traceDir;
  }

  get isClosed(): boolean {
    return this.closing !== undefined;
  }

  /** Runs `work` after every call queued before it has ended (each call sees the screen the last one left). */
  enqueue<R>(work: () => Promise<R>): Promise<R> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => {});
    return run;
  }

  /** The loop's step events, scrubbed of secret values, to whoever listens (SSE, MCP progress). */
  emit(e: ProgressEvent): void {
    for (const l of this.listeners) l(e);
  }

  listen(listener: (e: ProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  info(): SessionInfo {
    const ex = this.owned.executor;
    return {
      session: this.id,
      kind: this.kind,
      opened: this.opened,
      ...(ex.currentUrl ? { url: safeUrl(ex) } : {}),
      engine: this.handeye.engine,
      traceDir: path.resolve(this.traceDir),
      createdAt: this.createdAt.toISOString(),
      idleSeconds: Math.round((Date.now() - this.lastUsed) / 100) / 10,
      pending: this.pending,
    };
  }

  /**
   * Stops the calls still running (`why` is their error), finishes the trace (summary.json) and
   * closes the page or the desktop; once, however often called.
   */
  close(why: Error): Promise<void> {
    this.closing ??= (async () => {
      for (const c of this.inflight) c.abort(why);
      // A call stops between actions; one that does not within the grace is cut off by closing its page.
      await Promise.race([this.queue, new Promise((r) => setTimeout(r, CLOSE_GRACE_MS).unref())]);
      this.listeners.clear();
      try {
        await this.handeye.close();
      } finally {
        await this.policy.detach().catch(() => {});
        await this.owned.executor.close().catch(() => {});
        await this.owned.desktop?.close().catch(() => {});
      }
    })();
    return this.closing;
  }
}

function safeUrl(ex: Executor): string | undefined {
  try {
    return ex.currentUrl?.();
  } catch {
    return undefined;
  }
}
