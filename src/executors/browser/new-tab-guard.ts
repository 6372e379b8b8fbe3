/**
 * An init script that stops new tabs to origins the policy does not allow before they open.
 * Playwright cannot route the first request of a new tab (a target=_blank link, window.open), so
 * without this the other origin would receive that one request before the tab is closed.
 * The origin matching runs in the page, so it is written out here as plain JavaScript; a test
 * checks it agrees with `urlAllowed` in origins.ts.
 */

export const NEW_TAB_BINDING = '__handeyeBlockedTab';

/** The page-side matcher: `urlAllowed(url, lists, self)` of origins.ts, in browser JavaScript. */
export const PAGE_URL_ALLOWED = `function (url, lists, self) {
  if (url === 'about:blank' || url === 'about:srcdoc' || url.indexOf('chrome-error://') === 0) return true;
  var origin;
  try {
    var u = new URL(url);
    origin = u.origin && u.origin !== 'null' ? u.origin : u.protocol === 'file:' ? 'file://' : undefined;
  } catch (e) { return false; }
  if (!origin) return false;
  function matches(origin, pattern) {
    if (pattern === '*') return true;
    if (pattern === 'self') return self !== undefined && self !== null && origin === self;
    var p = /^([a-z][a-z0-9+.-]*):\\/\\/(\\*\\.)?([^/:]+)(?::(\\d+|\\*))?\\/?$/i.exec(pattern);
    var o = /^([a-z][a-z0-9+.-]*):\\/\\/([^/:]*)(?::(\\d+))?$/i.exec(origin);
    if (!p || !o) return false;
    if (p[1].toLowerCase() !== o[1].toLowerCase()) return false;
    var host = o[2].toLowerCase(), want = p[3].toLowerCase();
    if (p[2] ? !(host === want || host.slice(-want.length - 1) === '.' + want) : host !== want) return false;
    if (p[4] === '*') return true;
    var def = o[1] === 'https' ? '443' : o[1] === 'http' ? '80' : '';
    return (p[4] || def) === (o[3] || def);
  }
  return lists.every(function (list) { return list.some(function (p) { return matches(origin, p); }); });
}`;

const POLICY_KEY = '__handeyeTabPolicy';

/**
 * The init script: cancels tab-opening clicks and window.open calls whose target is not allowed,
 * and reports them. Init scripts cannot be removed from a context, so each run's script only
 * replaces the policy the (once installed) listeners read; `null` lifts it.
 */
export function newTabGuardScript(lists: readonly (readonly string[])[] | null, self?: string): string {
  return `(() => {
  window[${JSON.stringify(POLICY_KEY)}] = ${JSON.stringify(lists ? { lists, self: self ?? null } : null)};
  if (window.__handeyeTabGuard) return;
  window.__handeyeTabGuard = true;
  const allowedUrl = ${PAGE_URL_ALLOWED};
  const allowed = (raw) => {
    const policy = window[${JSON.stringify(POLICY_KEY)}];
    if (!policy) return true;
    try { return allowedUrl(new URL(String(raw), location.href).href, policy.lists, policy.self); } catch (e) { return false; }
  };
  const report = (raw) => { try { window[${JSON.stringify(NEW_TAB_BINDING)}](new URL(String(raw), location.href).href); } catch (e) {} };
  const opensTab = (e, a) => {
    const t = (a.getAttribute('target') || '').toLowerCase();
    return (t !== '' && t !== '_self' && t !== '_parent' && t !== '_top') || e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1;
  };
  const onClick = (e) => {
    const a = e.target instanceof Element ? e.target.closest('a[href], area[href]') : null;
    if (!a || !opensTab(e, a) || allowed(a.href)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    report(a.href);
  };
  document.addEventListener('click', onClick, true);
  document.addEventListener('auxclick', onClick, true);
  const open = window.open;
  window.open = function (url, ...rest) {
    if (url !== undefined && url !== null && String(url) !== '' && !allowed(url)) { report(url); return null; }
    return open.call(this, url, ...rest);
  };
})();`;
}
