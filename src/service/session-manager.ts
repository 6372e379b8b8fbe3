import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { EngineOptions } from '../../agents/registry.ts';
import { createHandeye } from '../api/handeye.ts';
import { HandeyeError } from '../api/errors.ts';
import type { HandeyeConfig } from '../api/types.ts';
import type { Executor } from '../core/executor.ts';
import type { Policy } from '../core/policy-schema.ts';
import { parseTask, type Task } from '../core/task.ts';
import { defaultTraceDir } from '../core/trace.ts';
import { BrowserExecutor } from '../executors/browser/browser-executor.ts';
import { closeChromium, connectBrowserServer, launchChromium } from '../executors/browser/chromium.ts';
import { openDesktopSession, type DesktopSession } from '../executors/desktop/desktop-session.ts';
import { RedactingTraceWriter } from '../policy/redacting-trace.ts';
import { RunPolicy } from '../policy/run-policy.ts';
import { BUNDLED_TASKS } from '../run/run-task.ts';
import { startStaticServer, type StaticServer } from '../run/static-server.ts';
import type { OpenInput } from './schemas.ts';
import { ServiceError } from './service-errors.ts';
import { ServiceSession, type ProgressEvent } from './service-session.ts';

export interface ServiceOptions {
  /** The engine every session runs (the same flags as handeye run): clients cannot pick a model server or a key. */
  engine: EngineOptions;
  /** The global policy file's rules, applied to every session and task. */
  policy?: Policy;
  /** Approve the actions the policy lists under confirm (nobody is at a terminal to ask); otherwise they are refused. */
  approveAll?: boolean;
  /** Secret names clients may type as {{secret:NAME}}; the values come from the server's environment. */
  secrets?: string[];
  maxSessions?: number;
  idleTimeoutMs?: number;
  requestTimeoutMs?: number;
  headed?: boolean;
  /** A Playwright browser server (ws://…) the sessions' pages open in, instead of a local Chromium. */
  browserWs?: string;
  /** Folder served for relative URLs (default: the bundled tasks). */
  serveRoot?: string;
  /** Where traces go (default ./traces). */
  traceRoot?: string;
  /** Let clients run commands: a desktop session's launch, a task's setup and checker commands. */
  allowCommands?: boolean;
  /** Lines for the operator's log (stderr): sessions opened, closed, reaped. */
  log?: (line: string) => void;
}

export const SERVICE_DEFAULTS = { maxSessions: 4, idleTimeoutMs: 600_000, requestTimeoutMs: 300_000 } as const;

/** How a call is run for a client: its abort signal (the client went away) and where its progress goes. */
export interface CallContext {
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
}

/**
 * The sessions of one `handeye mcp` or `handeye serve`: opens them (sharing one Chromium), runs each
 * call in its session's queue under the request timeout, reaps idle sessions, and closes
 * everything on shutdown. No browser outlives the session that opened it.
 */
export class SessionManager {
  readonly limits: { maxSessions: number; idleTimeoutMs: number; requestTimeoutMs: number };
  private readonly sessions = new Map<string, ServiceSession>();
  /** Why each closed session was closed, for the error a late call gets (most recent 1000). */
  private readonly closedWhy = new Map<string, string>();
  /** Sessions being opened and tasks running: they count against maxSessions too. */
  private reserved = 0;
  private browser: Promise<Browser> | undefined;
  private server: Promise<StaticServer> | undefined;
  private readonly reaper: NodeJS.Timeout;
  private shuttingDown = false;
  /** Who has the desktop: a session id, 'opening', or a running task. */
  private desktopHolder: string | undefined;

  constructor(readonly options: ServiceOptions) {
    checkSecretOrigins(options);
    this.limits = {
      maxSessions: options.maxSessions ?? SERVICE_DEFAULTS.maxSessions,
      idleTimeoutMs: options.idleTimeoutMs ?? SERVICE_DEFAULTS.idleTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs ?? SERVICE_DEFAULTS.requestTimeoutMs,
    };
    this.reaper = setInterval(() => this.reapIdle(), Math.max(50, Math.min(5000, this.limits.idleTimeoutMs / 4)));
    this.reaper.unref();
  }

  /** Sessions being opened and tasks running, besides the open sessions. */
  get reservedSlots(): number {
    return this.reserved;
  }

  list(): ServiceSession[] {
    return [...this.sessions.values()];
  }

  /** The session a call names; with no name, the only one open. */
  get(ref: string | undefined): ServiceSession {
    if (ref === undefined) {
      const open = this.list();
      if (open.length === 1) return open[0];
      if (!open.length) throw new ServiceError('no-session', 'no session is open; call open first (with a url, or desktop)', 404);
      throw new ServiceError('no-session', `${open.length} sessions are open (${open.map((s) => s.id).join(', ')}); name one with session`, 400);
    }
    const s = this.sessions.get(ref);
    if (s) return s;
    const why = this.closedWhy.get(ref);
    if (why) throw new ServiceError('session-closed', `session ${ref} is closed (${why}); open a new one`, 410);
    throw new ServiceError('unknown-session', `no session ${JSON.stringify(ref)}${this.sessions.size ? `; open sessions: ${[...this.sessions.keys()].join(', ')}` : ''}`, 404);
  }

  /**
   * Claims the one desktop (one mouse, one keyboard) before anything is awaited, so two opens at
   * once cannot both pass; the claim passes to the session, and ends when it closes.
   */
  reserveDesktop(): () => void {
    if (this.desktopHolder !== undefined) {
      throw new ServiceError('desktop-busy', 'a desktop session is open or opening (or a desktop task runs): one mouse and keyboard drive one desktop; close it first', 409);
    }
    this.desktopHolder = 'opening';
    return () => {
      if (this.desktopHolder === 'opening') this.desktopHolder = undefined;
    };
  }

  /** Holds a slot against maxSessions until `release` (an opening session, a running task). */
  reserve(what: string): () => void {
    if (this.shuttingDown) throw new ServiceError('forbidden', 'the server is shutting down', 503);
    const used = this.sessions.size + this.reserved;
    if (used >= this.limits.maxSessions) {
      throw new ServiceError('too-many-sessions', `cannot ${what}: ${used} of ${this.limits.maxSessions} sessions are in use (close one, or start the server with a higher --max-sessions)`, 429);
    }
    this.reserved++;
    let released = false;
    return () => {
      if (!released) this.reserved--;
      released = true;
    };
  }

  /** Opens a session on a page (launched or attached over CDP) or a desktop, with the policy attached. */
  async open(input: OpenInput, ctx: CallContext = {}): Promise<ServiceSession> {
    if (input.desktop?.launch && !this.options.allowCommands) {
      throw new ServiceError('forbidden', 'desktop.launch runs a command on the server; start the server with --allow-commands to allow it', 403);
    }
    const releaseDesktop = input.desktop ? this.reserveDesktop() : () => {};
    let release: () => void;
    try {
      release = this.reserve('open a session');
    } catch (e) {
      releaseDesktop();
      throw e;
    }
    const id = `s-${randomBytes(4).toString('hex')}`;
    const name = input.name ?? 'session';
    const task: Task = parseTask({ id: name, app: input.desktop ? { desktop: withoutXvfb(input.desktop) } : { web: { url: input.url } }, goal: 'a service session' }, 'open');
    const policy = new RunPolicy({ task, policy: this.options.policy, confirm: this.options.approveAll ? () => true : undefined, secretNames: this.options.secrets ?? [] });
    const owned: { executor?: Executor; desktop?: DesktopSession } = {};
    const abandon = async () => {
      await owned.executor?.close().catch(() => {});
      await owned.desktop?.close().catch(() => {});
    };
    try {
      const opened = await this.openSurface(input, policy, owned, ctx.signal);
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      const trace = new RedactingTraceWriter(defaultTraceDir(`${name}-${id}`, this.options.traceRoot ?? 'traces'), policy.secrets);
      let session: ServiceSession | undefined;
      const handeye = await createHandeye(owned.executor!, {
        ...engineConfig(this.options.engine),
        name,
        trace,
        guard: policy.guard,
        onEvent: (e) => {
          if (e.type === 'step') session?.emit(policy.secrets.redactDeep({ session: id, step: e.record.index, line: e.line }));
        },
      }).catch((e) => {
        trace.close();
        throw openFailure(e, 'the engine');
      });
      session = new ServiceSession(id, owned.executor!.kind, opened, handeye, policy, owned as { executor: Executor; desktop?: DesktopSession });
      if (ctx.signal?.aborted) {
        // The client went away while it opened: nobody knows this session's id, so nobody would close it.
        await session.close(ctx.signal.reason);
        throw ctx.signal.reason;
      }
      this.sessions.set(id, session);
      if (input.desktop) this.desktopHolder = id;
      this.options.log?.(`session ${id} opened: ${opened}; trace ${path.resolve(session.traceDir)}`);
      return session;
    } catch (e) {
      releaseDesktop();
      await abandon();
      throw e;
    } finally {
      release();
    }
  }

  private async openSurface(input: OpenInput, policy: RunPolicy, owned: { executor?: Executor; desktop?: DesktopSession }, signal?: AbortSignal): Promise<string> {
    if (input.desktop) {
      const { xvfb, ...app } = input.desktop;
      try {
        owned.desktop = await openDesktopSession(app, { xvfb });
      } catch (e) {
        // The CLI's advice, in this API's words.
        const message = (e as Error).message?.replace(/run (it )?with --xvfb/, 'open with desktop: { xvfb: true }');
        throw openFailure(new Error(message), 'the desktop');
      }
      owned.executor = owned.desktop.executor;
      await policy.attach(owned.executor);
      return owned.desktop.display;
    }
    const url = await this.resolveUrl(input.url!);
    try {
      const browser = input.cdp ? undefined : await this.sharedBrowser();
      owned.executor = await BrowserExecutor.launch({ browser, cdp: input.cdp, viewport: input.viewport ?? [1280, 720], deviceScaleFactor: input.deviceScaleFactor ?? 1, isMobile: input.isMobile });
    } catch (e) {
      throw openFailure(e, input.cdp ? `the browser at ${input.cdp}` : 'the browser');
    }
    if (signal?.aborted) throw signal.reason;
    await policy.attach(owned.executor, url);
    try {
      await (owned.executor as BrowserExecutor).goto(url, Math.min(60_000, this.limits.requestTimeoutMs));
    } catch (e) {
      throw openFailure(e, url);
    }
    return url;
  }

  /**
   * Runs one call on a session: after the calls queued before it, under the request timeout, and
   * stopped when the client goes away. The error of a stopped call says which.
   */
  async call<R>(ref: string | undefined, work: (s: ServiceSession) => Promise<R>, ctx: CallContext = {}): Promise<R> {
    const s = this.get(ref);
    const controller = new AbortController();
    const { requestTimeoutMs } = this.limits;
    const timer = setTimeout(() => controller.abort(new ServiceError('timeout', `the call ran past the request timeout of ${requestTimeoutMs} ms and was stopped (the server's --request-timeout-ms)`, 504)), requestTimeoutMs);
    const onClientGone = () => controller.abort(new ServiceError('aborted', 'the client went away; the call was stopped', 499));
    if (ctx.signal?.aborted) onClientGone();
    ctx.signal?.addEventListener('abort', onClientGone, { once: true });
    s.inflight.add(controller);
    s.pending++;
    s.lastUsed = Date.now();
    const stopListening = ctx.onProgress ? s.listen(ctx.onProgress) : undefined;
    try {
      const running = s.enqueue(async () => {
        controller.signal.throwIfAborted();
        if (s.isClosed) throw new ServiceError('session-closed', `session ${s.id} is closed`, 410);
        return s.handeye.withSignal(controller.signal, () => work(s));
      });
      // A call that cannot stop at once (a capture, an OCR pass) still answers at the deadline; its session stays queued behind it.
      return await untilAborted(running, controller.signal);
    } finally {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onClientGone);
      stopListening?.();
      s.inflight.delete(controller);
      s.pending--;
      s.lastUsed = Date.now();
    }
  }

  async close(ref: string | undefined, why = 'closed by the client'): Promise<ServiceSession> {
    const s = this.get(ref);
    this.sessions.delete(s.id);
    if (this.desktopHolder === s.id) this.desktopHolder = undefined;
    this.remember(s.id, why);
    await s.close(new ServiceError('session-closed', `session ${s.id} was ${why}`, 410));
    this.options.log?.(`session ${s.id} ${why}; trace ${path.resolve(s.traceDir)}`);
    return s;
  }

  /** Closes every session, the shared browser and the page server. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.reaper);
    await Promise.all(this.list().map((s) => this.close(s.id, 'closed: the server stopped').catch(() => {})));
    const browser = await this.browser?.catch(() => undefined);
    if (browser) await closeChromium(browser).catch(() => {});
    await (await this.server?.catch(() => undefined))?.close().catch(() => {});
  }

  /** Pages open in the shared browser (each session has its own context): what /health reports, and a leak would show. */
  async browserContexts(): Promise<number> {
    const b = await this.browser?.catch(() => undefined);
    return b?.isConnected() ? b.contexts().length : 0;
  }

  /** A relative URL is served from the tasks folder, like a task file's. */
  async resolveUrl(url: string): Promise<string> {
    if (/^[a-z][\w+.-]*:/i.test(url)) return url;
    this.server ??= startStaticServer(this.options.serveRoot ?? BUNDLED_TASKS);
    return (await this.server).resolve(url);
  }

  private sharedBrowser(): Promise<Browser> {
    const current = this.browser;
    if (!current) return this.relaunch();
    // Several opens that find the browser gone relaunch it once: the first replaces it, the others take the new one.
    const again = () => (this.browser === current ? this.relaunch() : this.sharedBrowser());
    return current.then((b) => (b.isConnected() ? b : again()), again);
  }

  private relaunch(): Promise<Browser> {
    this.browser = this.options.browserWs ? connectBrowserServer(this.options.browserWs) : launchChromium({ headed: this.options.headed });
    return this.browser;
  }

  private reapIdle(): void {
    const now = Date.now();
    for (const s of this.list()) {
      if (s.pending === 0 && now - s.lastUsed > this.limits.idleTimeoutMs) {
        void this.close(s.id, `closed after ${Math.round(this.limits.idleTimeoutMs / 1000)} s idle`).catch(() => {});
      }
    }
  }

  private remember(id: string, why: string): void {
    this.closedWhy.set(id, why);
    if (this.closedWhy.size > 1000) this.closedWhy.delete(this.closedWhy.keys().next().value!);
  }
}

/**
 * Declared secrets need origins that are not the client's to choose: "self" (the page a client
 * opened) or no list at all would let a client open its own page and have the secret typed there.
 */
function checkSecretOrigins(o: ServiceOptions): void {
  if (!o.secrets?.length) return;
  const lists = o.policy?.secretOrigins ?? o.policy?.allowedOrigins;
  if (!lists || lists.includes('self') || lists.includes('*')) {
    throw new ServiceError(
      'forbidden',
      '--secret needs a --policy whose secretOrigins (or allowedOrigins) lists the origins the secrets may be typed into, without "self" or "*" (a client chooses the pages it opens)',
      500,
    );
  }
}

/** The engine flags as createHandeye's options (only the settings; no callbacks). */
function engineConfig(e: EngineOptions): HandeyeConfig {
  const config = { engine: e.engine as HandeyeConfig['engine'], baseUrl: e.baseUrl, model: e.model, family: e.family, apiKeyEnv: e.apiKeyEnv, replay: e.replay, endpointTimeoutMs: e.endpointTimeoutMs };
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as HandeyeConfig;
}

function withoutXvfb<T extends { xvfb?: boolean }>(d: T): Omit<T, 'xvfb'> {
  const { xvfb: _, ...rest } = d;
  return rest;
}

/** Why a session could not open, naming what failed: the browser, the page's URL, the display, the engine. */
function openFailure(e: unknown, what: string): Error {
  if (e instanceof ServiceError || e instanceof HandeyeError) return e;
  return new ServiceError('open-failed', `could not open ${what}: ${(e as Error).message.split('\n')[0]}`, 502);
}

/** The work's result, or the abort reason as soon as the signal fires. */
function untilAborted<R>(work: Promise<R>, signal: AbortSignal): Promise<R> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<R>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}
