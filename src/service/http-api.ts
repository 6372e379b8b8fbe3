import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatIssues } from '../core/actions.ts';
import { redactProcessSecrets } from '../core/secrets.ts';
import { authorized, checkBind, isLoopback, loopbackHosts } from './http-auth.ts';
import { readJson } from './json-body.ts';
import { openApiDocument } from './openapi.ts';
import { OPERATIONS, type Operation } from './operations.ts';
import { errorBody, ServiceError } from './service-errors.ts';
import type { SessionManager } from './session-manager.ts';

export interface HttpApiOptions {
  host: string;
  port: number;
  token?: string;
  version: string;
}

interface Route {
  op: Operation;
  pattern: RegExp;
}

/** `/sessions/{session}/click` as a pattern capturing the session id. */
function routeOf(op: Operation): Route {
  const source = op.http.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('\\{session\\}', '([^/]+)').replace('{session}', '([^/]+)');
  return { op, pattern: new RegExp(`^${source}$`) };
}

/**
 * `handeye serve`: the operations over HTTP/JSON. Sessions by id under /sessions, tasks at
 * /tasks/run, the OpenAPI document at /openapi.json. A request that asks for text/event-stream
 * gets the steps as server-sent events, then its result.
 */
export async function serveHttpApi(manager: SessionManager, o: HttpApiOptions): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  checkBind(o.host, o.token);
  const routes = OPERATIONS.map(routeOf);
  let port = o.port;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => fail(res, e));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req, o.token)) {
      throw Object.assign(new ServiceError('unauthorized', 'this server needs its token: send "Authorization: Bearer TOKEN"', 401), { headers: { 'www-authenticate': 'Bearer' } });
    }
    // A page in the user's own browser that rebinds its name to 127.0.0.1 still sends its own Host.
    if (isLoopback(o.host) && !loopbackHosts(port).includes(req.headers.host ?? '')) {
      throw new ServiceError('forbidden', `Host ${JSON.stringify(req.headers.host)} is not this server's address`, 403);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/openapi.json') return sendJson(res, 200, openApiDocument(o.version));
    if (method === 'GET' && url.pathname === '/health') {
      return sendJson(res, 200, { ok: true, version: o.version, sessions: manager.list().length, maxSessions: manager.limits.maxSessions, browserContexts: await manager.browserContexts() });
    }
    const matches = routes.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).filter((x) => x.m);
    if (!matches.length) throw new ServiceError('not-found', `no route ${method} ${url.pathname}; the routes are listed at /openapi.json`, 404);
    const hit = matches.find((x) => x.r.op.http.method === method);
    if (!hit) {
      const allowed = matches.map((x) => x.r.op.http.method).join(', ');
      throw Object.assign(new ServiceError('bad-request', `${url.pathname} takes ${allowed}, not ${method}`, 405), { headers: { allow: allowed } });
    }
    const op = hit.r.op;
    const raw = method === 'GET' || method === 'DELETE' ? queryArgs(url) : await bodyArgs(req);
    const args = hit.m![1] !== undefined ? { ...(raw as object), session: pathSegment(hit.m![1]) } : raw;
    const parsed = op.input.safeParse(args ?? {});
    if (!parsed.success) throw new ServiceError('bad-request', `bad arguments for ${op.name}: ${formatIssues(parsed.error, args).join('; ')}`, 400);
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    if (wantsEvents(req) && !op.image) return streamCall(res, op, manager, parsed.data, controller.signal);
    const result = await op.run(manager, parsed.data as never, { signal: controller.signal });
    if (op.image) return sendImage(req, res, result);
    sendJson(res, op.http.status ?? 200, result);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function pathSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ServiceError('bad-request', `the session id ${JSON.stringify(s)} is not a valid URL path segment`, 400);
  }
}

function wantsEvents(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/event-stream');
}

/** GET arguments: numbers where a query value reads as one (maxWidth=800). */
function queryArgs(url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) out[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  return out;
}

async function bodyArgs(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  // JSON only: a form a web page may post across sites (text/plain, forms) is never read as a command.
  if (hasBody && !/^application\/json\b/i.test(type)) throw new ServiceError('bad-request', `send the arguments as JSON with "Content-Type: application/json" (got ${JSON.stringify(type || 'none')})`, 415);
  try {
    return (await readJson(req)) ?? {};
  } catch (e) {
    throw new ServiceError('bad-request', `the body is not JSON: ${(e as Error).message}`, 400);
  }
}

/** The call's steps as `progress` events, then one `result` or `error` event. */
async function streamCall(res: ServerResponse, op: Operation, manager: SessionManager, args: unknown, signal: AbortSignal): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${redactProcessSecrets(JSON.stringify(data))}\n\n`);
  try {
    const result = await op.run(manager, args as never, { signal, onProgress: (e) => send('progress', e) });
    send('result', result);
  } catch (e) {
    const { status, body } = errorBody(e);
    send('error', { status, error: body });
  }
  res.end();
}

function sendImage(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown> & { image?: Buffer }): void {
  const { image, ...info } = result;
  if ((req.headers.accept ?? '').includes('application/json')) return sendJson(res, 200, { ...info, data: image!.toString('base64') });
  res.writeHead(200, {
    'content-type': info.mimeType as string,
    'content-length': String(image!.length),
    'x-handeye-session': String(info.session),
    'x-handeye-frame-size': `${info.frameWidth}x${info.frameHeight}`,
  });
  res.end(image);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = redactProcessSecrets(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function fail(res: ServerResponse, e: unknown): void {
  if (res.headersSent) return void res.end();
  const { status, body } = errorBody(e);
  sendJson(res, status, { error: body }, (e as { headers?: Record<string, string> }).headers);
}
