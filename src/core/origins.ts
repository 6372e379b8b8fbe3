/**
 * Origin matching for the navigation policy. An origin is scheme://host[:port] as the URL
 * standard writes it (default ports omitted). about:blank and the browser's own error pages are
 * not navigations away and are always allowed; every other scheme (data:, javascript:, file:)
 * needs a pattern that names it.
 */

/** The origin of a URL, or undefined for one that has none (about:, data:, javascript:). */
export function originOf(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.origin && u.origin !== 'null') return u.origin;
  if (u.protocol === 'file:') return 'file://';
  return undefined;
}

/** URLs that never take the user anywhere: the empty page a tab starts on, Chromium's error pages. */
export function isInertUrl(url: string): boolean {
  return url === 'about:blank' || url === 'about:srcdoc' || url.startsWith('chrome-error://');
}

function matchesPattern(origin: string, pattern: string, self: string | undefined): boolean {
  if (pattern === '*') return true;
  if (pattern === 'self') return self !== undefined && origin === self;
  const p = /^([a-z][a-z0-9+.-]*):\/\/(\*\.)?([^/:]+)(?::(\d+|\*))?\/?$/i.exec(pattern);
  const o = /^([a-z][a-z0-9+.-]*):\/\/([^/:]*)(?::(\d+))?$/i.exec(origin);
  if (!p || !o) return false;
  const [, pScheme, anySub, pHost, pPort] = p;
  const [, oScheme, oHost, oPort] = o;
  if (pScheme.toLowerCase() !== oScheme.toLowerCase()) return false;
  const host = oHost.toLowerCase();
  const want = pHost.toLowerCase();
  if (anySub ? !(host === want || host.endsWith('.' + want)) : host !== want) return false;
  if (pPort === '*') return true;
  const defaultPort = oScheme === 'https' ? '443' : oScheme === 'http' ? '80' : '';
  return (pPort ?? defaultPort) === (oPort ?? defaultPort);
}

/** Allowed when every list has a pattern matching the URL's origin. */
export function urlAllowed(url: string, lists: readonly (readonly string[])[], self: string | undefined): boolean {
  if (isInertUrl(url)) return true;
  const origin = originOf(url);
  if (!origin) return false;
  return lists.every((list) => list.some((p) => matchesPattern(origin, p, self)));
}

export function originAllowed(origin: string | undefined, lists: readonly (readonly string[])[], self: string | undefined): boolean {
  if (!origin) return false;
  return lists.every((list) => list.some((p) => matchesPattern(origin, p, self)));
}
