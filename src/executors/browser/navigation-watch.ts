import type { BrowserContext, CDPSession, Page, Frame as PageFrame, Request } from 'playwright-core';

/** Page, CDP session and context, as far as adding and removing a listener goes. */
interface Emitter {
  on(event: string, fn: (...args: never[]) => void): unknown;
  off(event: string, fn: (...args: never[]) => void): unknown;
}

/** What an action started, as seen while it ran. */
export interface NavigationWatch {
  /** Resolves at the first sign of a navigation. */
  signal: Promise<void>;
  navigated(): boolean;
  /** The renderer asked for a new tab that has not arrived yet. */
  tabOpening(): boolean;
  /** A same-tab navigation was asked for but has not committed yet. */
  requestedOnly(): boolean;
  /** Waits, bounded, for the tab the renderer asked for, so the next capture shows it. */
  newTab(timeoutMs: number): Promise<void>;
  stop(): void;
}

/**
 * Notices navigations an action causes: the renderer asking for a navigation or a new window
 * (CDP Page events, the earliest signal), a main-frame request or commit, a new tab appearing,
 * or the active tab closing.
 */
export function watchNavigation(page: Page, cdp: CDPSession, context: BrowserContext): NavigationWatch {
  let navigated = false;
  let committed = false;
  let tabOpening = false;
  let tabArrived = false;
  let wake: () => void = () => {};
  const signal = new Promise<void>((r) => (wake = r));
  const mark = () => {
    navigated = true;
    wake();
  };
  const onRequest = (r: Request) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) mark();
  };
  const onFrame = (f: PageFrame) => {
    if (f !== page.mainFrame()) return;
    committed = true;
    mark();
  };
  const onRequested = (e: { disposition: string }) => {
    if (e.disposition !== 'currentTab') tabOpening = true;
    mark();
  };
  const onWindowOpen = () => {
    tabOpening = true;
    mark();
  };
  let tabListener: (() => void) | undefined;
  const onPage = () => {
    tabArrived = true;
    tabListener?.();
    mark();
  };
  // Every listener is added here and removed by stop(): one table, so the two cannot drift apart.
  // (Playwright types on/off as one overload per event name; the table needs them by string.)
  const [p, c, x] = [page, cdp, context] as unknown as Emitter[];
  const listeners: Array<[Emitter, string, (...args: never[]) => void]> = [
    [p, 'request', onRequest],
    [p, 'framenavigated', onFrame],
    [p, 'close', mark],
    [c, 'Page.frameRequestedNavigation', onRequested],
    [c, 'Page.windowOpen', onWindowOpen],
    [x, 'page', onPage],
  ];
  for (const [emitter, event, fn] of listeners) emitter.on(event, fn);
  return {
    signal,
    navigated: () => navigated,
    tabOpening: () => tabOpening && !tabArrived,
    /** A same-tab navigation was asked for but has not committed yet. */
    requestedOnly: () => navigated && !committed && !tabOpening && !page.isClosed(),
    /** Waits, bounded, for the tab the renderer asked for, so the next capture shows it. */
    newTab: (timeoutMs: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        tabListener = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    stop: () => {
      for (const [emitter, event, fn] of listeners) emitter.off(event, fn);
    },
  };
}

/**
 * Settles when the page's main frame commits a navigation, the navigation fails, or the page
 * closes. waitForIdle needs it: until the commit, the old document still reports 'load'.
 */
export function commitOf(page: Page): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      page.off('framenavigated', onFrame);
      page.off('requestfailed', onFailed);
      page.off('close', done);
      resolve();
    };
    const onFrame = (f: PageFrame) => f === page.mainFrame() && done();
    const onFailed = (r: Request) => r.isNavigationRequest() && r.frame() === page.mainFrame() && done();
    page.on('framenavigated', onFrame);
    page.on('requestfailed', onFailed);
    page.on('close', done);
  });
}
