import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Addresses only this machine can reach: there a server may run without a token. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

/**
 * The listening rules of handeye's servers: loopback by default; anything else only with a token,
 * because whoever reaches the port can drive this machine's browser and desktop.
 */
export function checkBind(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token) {
    throw new Error(`listening on ${host} lets other machines drive this one: give --token TOKEN (or HANDEYE_TOKEN), which every request must send as "Authorization: Bearer TOKEN"`);
  }
  if (token !== undefined && token.length < 16) throw new Error('the token must be at least 16 characters (try: openssl rand -hex 24)');
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether the request carries the bearer token (compared in constant time); true when none is set. */
export function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return !!m && timingSafeEqual(digest(m[1].trim()), digest(token));
}

/** The Host header values a browser may send to a loopback server (a page on another site rebinding its DNS sends its own). */
export function loopbackHosts(port: number): string[] {
  return ['127.0.0.1', 'localhost', '[::1]'].flatMap((h) => [h, `${h}:${port}`]);
}
