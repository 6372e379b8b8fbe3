import type { BrowserContext, Frame as PageFrame, Page, Request, Route } from 'playwright-core';
import { NEW_TAB_BINDING, newTabGuardScript } from './new-tab-guard.ts';
import type { NavigationRules } from '../../core/executor.ts';
import { originOf } from '../../core/origins.ts';

function isTopLevelNavigation(request: Request): boolean {
  try {
    return request.isNavigationRequest() && request.frame().parentFrame() === null;
  } catch {
    return false; // service-worker requests have no frame
  }
}

/**
 * Enforces the allowed origins inside the browser, whatever starts the navigation: a click on a
 * link, a form post, script, a popup. A blocked top-level navigation is answered with HTTP 204,
 * which Chromium treats as "stay where you are", so the page keeps its state; a tab opened only
 * for a blocked URL is closed. New tabs from links and window.open are stopped in the page
 * before they open (new-tab-guard.ts). What still bypasses request interception (redirect
 * targets, data: URLs, a tab opened some other way) is caught when it commits: the tab goes back,
 * or is closed. Returns a function that removes it all.
 */
export async function installNavigationPolicy(context: BrowserContext, hooks: NavigationRules): Promise<() => Promise<void>> {
  const handler = async (route: Route, request: Request): Promise<void> => {
    if (!isTopLevelNavigation(request) || hooks.allowed(request.url())) return route.fallback();
    hooks.onBlocked(request.url());
    const page = request.frame().page();
    await route.fulfill({ status: 204, body: '' }).catch(() => {});
    if (page.url() === 'about:blank' && context.pages()[0] !== page) await page.close().catch(() => {});
  };
  const onCommit = (page: Page) => (frame: PageFrame) => {
    if (frame !== page.mainFrame()) return;
    const url = frame.url();
    if (hooks.allowed(url)) return;
    hooks.onBlocked(`${url} (reached without a request the policy could stop; left again)`);
    page.goBack({ timeout: 5_000 }).then(
      (r) => (r ? undefined : page.goto('about:blank')),
      () => page.goto('about:blank').catch(() => {}),
    );
  };
  const watchers = new Map<Page, (f: PageFrame) => void>();
  const watch = (page: Page) => {
    // Playwright reports a new tab only once it has committed its first URL, and does not route
    // that first request (a noopener target=_blank link): a tab that opened on an origin not
    // allowed is closed at once.
    const first = page.url();
    if (context.pages()[0] !== page && !hooks.allowed(first)) {
      hooks.onBlocked(`${first} (opened in a new tab, which was closed)`);
      page.close().catch(() => {});
      return;
    }
    const w = onCommit(page);
    watchers.set(page, w);
    page.on('framenavigated', w);
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  await context.route('**/*', handler);
  if (hooks.patterns) {
    // New tabs escape routing: stop them in the page, before their first request is sent.
    await context
      .exposeBinding(NEW_TAB_BINDING, (_source, url: string) => hooks.onBlocked(`${url} (a new tab, stopped before it opened)`))
      .catch(() => {}); // already exposed by an earlier run on this context
    await applyToContext(context, newTabGuardScript(hooks.patterns.lists, hooks.patterns.self));
  }
  return async () => {
    if (hooks.patterns) await applyToContext(context, newTabGuardScript(null)).catch(() => {});
    context.off('page', watch);
    for (const [page, w] of watchers) page.off('framenavigated', w);
    await context.unroute('**/*', handler).catch(() => {});
  };
}

/** Runs a script in every document of the context now and in every document loaded later. */
async function applyToContext(context: BrowserContext, script: string): Promise<void> {
  await context.addInitScript({ content: script });
  for (const page of context.pages()) for (const frame of page.frames()) await frame.evaluate(script).catch(() => {});
}

/**
 * The origin of the document that has keyboard focus: where typed text goes. A cross-origin
 * iframe focused inside an allowed page is its own origin.
 */
export async function focusedOrigin(page: Page): Promise<string | undefined> {
  const depth = (f: PageFrame) => {
    let d = 0;
    for (let p = f.parentFrame(); p; p = p.parentFrame()) d++;
    return d;
  };
  // Innermost first: a parent document whose iframe holds focus also reports hasFocus().
  const frames = page.frames().sort((a, b) => depth(b) - depth(a));
  for (const frame of frames) {
    const focused = await frame
      .evaluate(() => document.hasFocus() && !(document.activeElement instanceof HTMLIFrameElement || document.activeElement instanceof HTMLFrameElement))
      .catch(() => false);
    if (focused) return originOf(frame.url());
  }
  return originOf(page.mainFrame().url());
}
