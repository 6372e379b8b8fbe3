import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { Action } from '../../core/actions.ts';
import { DEFAULT_JPEG_QUALITY, type CaptureOptions, type Executor, type ExecutorPolicy, type PerformResult, type Thumbnail } from '../../core/executor.ts';
import { assertInFrame, type Frame } from '../../core/frame.ts';
import { frameSizeProblem } from '../../core/frame-limits.ts';
import { hasSecret, type SecretResolver } from '../../core/secrets.ts';
import type { DialogRecord } from '../../core/trace-schema.ts';
import { BrowserStartError, closeChromium, connectBrowserServer, connectChromium, launchChromium } from './chromium.ts';
import { focusedOrigin, installNavigationPolicy } from './navigation-policy.ts';
import { commitOf, watchNavigation } from './navigation-watch.ts';
import { captureThumbnail, captureViewport } from './page-capture.ts';
import { firstLine, NAVIGATION_TIMEOUT_MS, performInput } from './page-input.ts';

export interface BrowserExecutorOptions {
  /** Viewport in CSS px: [width, height]. */
  viewport: [number, number];
  deviceScaleFactor: number;
  isMobile?: boolean;
  headed?: boolean;
  /** Connect to a running browser over CDP (e.g. http://127.0.0.1:9222) instead of launching one. */
  cdp?: string;
  /** Connect to a Playwright browser server (ws://host:port/…) instead of launching one. */
  browserWs?: string;
  /** Open a new context in this already running browser (eval workers share one); close() leaves the browser running. */
  browser?: Browser;
  /** Bound on starting (or connecting to) the browser. */
  launchTimeoutMs?: number;
}

/** How long closing a context or a connection may take before it is given up on. */
const CLOSE_GRACE_MS = 3000;

/** Waits for p, at most ms; its failure is ignored (cleanup goes on). */
function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => undefined, () => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]).finally(() => clearTimeout(timer));
}

/** Upper bound on the post-action sync (a background tab never runs animation frames). */
const SYNC_BOUND_MS = 250;
/** How long a tab the page asked for may take to appear. */
const NEW_TAB_TIMEOUT_MS = 5_000;

function checkOptions(o: BrowserExecutorOptions): void {
  const [w, h] = o.viewport ?? [];
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0) {
    throw new Error(`viewport must be two positive integers [width, height], got ${JSON.stringify(o.viewport)}`);
  }
  if (!(o.deviceScaleFactor > 0 && o.deviceScaleFactor <= 4)) {
    throw new Error(`deviceScaleFactor must be in (0, 4], got ${o.deviceScaleFactor}`);
  }
  const tooBig = frameSizeProblem(w, h, o.deviceScaleFactor);
  if (tooBig) throw new Error(tooBig);
}

/**
 * Executor over one Playwright browser context. The active page is the most recently opened
 * one that is still open: a popup or target=_blank tab takes over, closing it falls back.
 */
export class BrowserExecutor implements Executor {
  readonly kind = 'browser' as const;
  private readonly pages: Page[] = [];
  private readonly sessions = new WeakMap<Page, Promise<CDPSession>>();
  private closed = false;
  /** A navigation an action started that had not committed when perform returned. */
  private pendingCommit: Promise<void> | undefined;
  /** Fills {{secret:NAME}} at the moment of typing; without it placeholders are typed as written. */
  secrets: SecretResolver | undefined;
  /** A new tab this returns true for never becomes the active page (the navigation policy closes it). */
  rejectsPage: ((page: Page) => boolean) | undefined;
  /** Dialogs answered since the last takeDialogs(). */
  private dialogs: DialogRecord[] = [];

  private constructor(
    private readonly browser: Browser | null,
    readonly context: BrowserContext,
    private readonly ownsBrowser: boolean,
    readonly options: BrowserExecutorOptions,
    /** Wraps a page the caller opened (fromPage): close() leaves page, context and browser alone. */
    private readonly borrowed = false,
  ) {
    context.on('page', this.onContextPage);
  }

  private readonly onContextPage = (p: Page) => this.adopt(p);

  /**
   * An executor over a page someone else opened (a Playwright Test `page`): it acts on that page
   * and on the popups it opens; close() only stops listening, the page stays open.
   */
  static async fromPage(page: Page): Promise<BrowserExecutor> {
    if (page.isClosed()) throw new Error('cannot drive a closed page');
    const shown = await page.evaluate(() => ({ width: innerWidth, height: innerHeight, dpr: devicePixelRatio }));
    const size = page.viewportSize() ?? shown;
    const options: BrowserExecutorOptions = { viewport: [size.width, size.height], deviceScaleFactor: shown.dpr };
    checkOptions(options);
    const context = page.context();
    const executor = new BrowserExecutor(context.browser(), context, false, options, true);
    executor.adopt(page);
    return executor;
  }

  static async launch(options: BrowserExecutorOptions): Promise<BrowserExecutor> {
    checkOptions(options);
    const shared = options.browser;
    const timeoutMs = options.launchTimeoutMs;
    const browser =
      shared ??
      (options.cdp ? await connectChromium(options.cdp, timeoutMs) : options.browserWs ? await connectBrowserServer(options.browserWs, timeoutMs) : await launchChromium({ headed: options.headed, timeoutMs }));
    let context: BrowserContext | undefined;
    try {
      const [width, height] = options.viewport;
      context = await browser.newContext({
        viewport: { width, height },
        deviceScaleFactor: options.deviceScaleFactor,
        isMobile: options.isMobile ?? false,
        hasTouch: options.isMobile ?? false,
      });
      const executor = new BrowserExecutor(browser, context, !options.cdp && !options.browserWs && !shared, options);
      executor.adopt(await context.newPage());
      return executor;
    } catch (e) {
      await context?.close().catch(() => {});
      if (!shared) await closeChromium(browser);
      throw new BrowserStartError(`could not open a browser page: ${firstLine(e)}`);
    }
  }

  /** The page actions go to. */
  get page(): Page {
    const p = this.pages[this.pages.length - 1];
    if (!p) throw new Error('the browser has no open page (every tab was closed)');
    return p;
  }

  private adopt(page: Page): void {
    if (this.pages.includes(page) || this.rejectsPage?.(page)) return;
    this.pages.push(page);
    // No one can answer a dialog mid-run: it is dismissed (as Playwright would) and recorded.
    // A page the caller lent us keeps the caller's own dialog handling.
    if (!this.borrowed) page.on('dialog', (d) => {
      this.dialogs.push({ kind: d.type(), message: d.message().slice(0, 500), answer: 'dismissed' });
      d.dismiss().catch(() => {});
    });
    page.on('close', () => {
      const i = this.pages.indexOf(page);
      if (i < 0) return;
      const wasActive = i === this.pages.length - 1;
      this.pages.splice(i, 1);
      // A hidden tab may not paint: bring the fallback to the front so captures stay live.
      if (wasActive && this.pages.length && !this.closed) this.page.bringToFront().catch(() => {});
    });
  }

  private session(page: Page): Promise<CDPSession> {
    let s = this.sessions.get(page);
    if (!s) {
      s = this.context.newCDPSession(page).then(async (cdp) => {
        // Page events tell us, from the renderer and early, that a tab or navigation is coming.
        await cdp.send('Page.enable');
        return cdp;
      });
      this.sessions.set(page, s);
    }
    return s;
  }

  /** Opens a URL in the active page and waits for its load event, at most `timeoutMs` (30 s by default). */
  async goto(url: string, timeoutMs = NAVIGATION_TIMEOUT_MS): Promise<void> {
    const page = this.page;
    const target = this.resolveUrl(url, page);
    try {
      await page.goto(target, { waitUntil: 'load', timeout: Math.max(1, Math.min(timeoutMs, NAVIGATION_TIMEOUT_MS)) });
    } catch (e) {
      throw new Error(`could not open ${target}: ${firstLine(e)}`);
    }
  }

  private resolveUrl(url: string, page: Page): string {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
    const base = page.url();
    if (!/^https?:|^file:/i.test(base)) {
      throw new Error(`cannot resolve the relative URL ${JSON.stringify(url)}: the current page (${base}) has no base URL`);
    }
    return new URL(url, base).href;
  }

  async capture(options: CaptureOptions = {}): Promise<Frame> {
    const format = options.format ?? 'jpeg';
    const quality = options.quality ?? DEFAULT_JPEG_QUALITY;
    if (!(quality >= 1 && quality <= 100)) throw new Error(`JPEG quality must be 1..100, got ${quality}`);
    const dpr = this.options.deviceScaleFactor;
    const shot = await captureViewport(await this.session(this.page), dpr, format, Math.round(quality));
    return { ...shot, format, scale: dpr, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
  }

  async thumbnail(): Promise<Thumbnail> {
    return captureThumbnail(await this.session(this.page));
  }

  async perform(action: Action, frame: Frame): Promise<PerformResult> {
    assertInFrame(frame, action);
    const page = this.page;
    const cdp = await this.session(page);
    const watch = watchNavigation(page, cdp, this.context);
    try {
      await performInput(action, {
        page,
        frame,
        resolveUrl: (url) => this.resolveUrl(url, page),
        history: () => cdp.send('Page.getNavigationHistory'),
        // Secrets are filled here and nowhere else, checked against the focused document's origin.
        fill: async (text) => (this.secrets && hasSecret(text) ? this.secrets.resolveForTyping(text, await focusedOrigin(page)) : text),
        ...(this.options.isMobile
          ? {
              // A phone's finger: Chromium's touch events, in CSS px of the viewport.
              touch: async (type, point) => {
                await cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [{ x: point[0], y: point[1] }] : [] });
              },
            }
          : {}),
      });
      if (!watch.navigated() && page === this.pages[this.pages.length - 1]) await this.syncRenderer(page, watch.signal);
      if (watch.tabOpening() && page === this.pages[this.pages.length - 1]) await watch.newTab(NEW_TAB_TIMEOUT_MS);
    } finally {
      watch.stop();
    }
    this.pendingCommit = watch.requestedOnly() ? commitOf(page) : undefined;
    const explicit = action.action === 'navigate' || action.action === 'back';
    return { navigated: explicit || watch.navigated() };
  }

  /**
   * One round trip through the renderer after input: handlers that start a navigation or open a
   * tab have run by the time an animation frame and a task have passed. Ends early on a
   * navigation signal; bounded because a tab sent to the background runs no animation frames.
   */
  async nextFrame(): Promise<void> {
    await this.syncRenderer(this.page, new Promise<void>(() => {}));
  }

  private async syncRenderer(page: Page, navigation: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((r) => (timer = setTimeout(r, SYNC_BOUND_MS)));
    const sync = page
      .evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0))))
      .catch(() => {}); // a navigation destroyed the context: that is an answer too
    await Promise.race([sync, bound, navigation]);
    clearTimeout(timer);
  }

  async waitForIdle(timeoutMs: number): Promise<void> {
    const started = Date.now();
    const pending = this.pendingCommit;
    this.pendingCommit = undefined;
    if (pending) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pending, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
      timeoutMs = Math.max(1, timeoutMs - (Date.now() - started));
    }
    try {
      await this.page.waitForLoadState('load', { timeout: timeoutMs });
    } catch (e) {
      if (this.closed) return;
      // Bounded wait: a page still loading after the timeout is the caller's to judge.
      if (!/timeout/i.test(firstLine(e)) && !/closed/i.test(firstLine(e))) throw e;
    }
  }

  /** The dialogs answered since the last call. */
  takeDialogs(): DialogRecord[] {
    const out = this.dialogs;
    this.dialogs = [];
    return out;
  }

  async evaluate(expression: string): Promise<unknown> {
    return this.page.evaluate(expression);
  }

  currentUrl(): string {
    return this.page.url();
  }

  /** body.innerText of the active page and of its visible iframes, main document first. */
  async visibleText(): Promise<string> {
    const page = this.page;
    const parts: string[] = [];
    for (const frame of page.frames()) {
      try {
        if (frame !== page.mainFrame()) {
          const el = await frame.frameElement();
          const visible = await el.isVisible();
          await el.dispose();
          if (!visible) continue;
        }
        const text = await frame.evaluate(() => document.body?.innerText ?? '');
        if (text.trim()) parts.push(text);
      } catch {
        // A frame that detached or navigated meanwhile has no text to give.
      }
    }
    return parts.join('\n');
  }

  /** Secrets for typing, and the navigation rules: blocked requests, tabs that never become active. */
  async applyPolicy(policy: ExecutorPolicy): Promise<() => Promise<void>> {
    this.secrets = policy.secrets;
    const rules = policy.navigation;
    const context = this.context;
    if (rules) this.rejectsPage = (page) => context.pages()[0] !== page && !rules.allowed(page.url());
    const uninstall = rules ? await installNavigationPolicy(context, rules) : undefined;
    return async () => {
      await uninstall?.();
      this.rejectsPage = undefined;
      this.secrets = undefined;
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.context.off('page', this.onContextPage);
    if (this.borrowed) return;
    if (this.ownsBrowser) {
      // A browser stuck in a screenshot does not close when asked: it is then killed by PID.
      if (this.browser) await closeChromium(this.browser);
      return;
    }
    // Connected over CDP or to a browser server: the browser is someone else's; close our context and disconnect.
    // A shared browser (options.browser) stays running for the next context.
    await within(this.context.close(), CLOSE_GRACE_MS);
    if (!this.options.browser) await within(this.browser?.close() ?? Promise.resolve(), CLOSE_GRACE_MS);
  }
}
