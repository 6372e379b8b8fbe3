import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { redactProcessSecrets } from '../core/secrets.ts';
import { readJson } from './json-body.ts';
import { authorized, checkBind, isLoopback, loopbackHosts } from './http-auth.ts';
import { OPERATIONS, type Operation } from './operations.ts';
import { errorBody } from './service-errors.ts';
import type { SessionManager } from './session-manager.ts';

/**
 * `handeye mcp`: every operation as an MCP tool, on the official SDK. Sessions a client opened are
 * closed when its connection ends (stdin closes, the MCP session is deleted), so no browser is left.
 */
export function buildMcpServer(manager: SessionManager, version: string): { server: McpServer; closeOwned: () => Promise<void>; drained: () => Promise<void> } {
  const server = new McpServer({ name: 'handeye', version }, { instructions: INSTRUCTIONS });
  const owned = new Set<string>();
  const running = new Set<Promise<unknown>>();
  for (const o of OPERATIONS) {
    server.registerTool(
      o.name,
      {
        title: o.title,
        description: o.description,
        inputSchema: o.input as never,
        outputSchema: o.output as never,
        annotations: { readOnlyHint: !!o.readOnly, openWorldHint: true, destructiveHint: false },
      },
      (async (args: unknown, extra: ToolExtra) => {
        const call = callTool(manager, o, args, extra, owned);
        running.add(call);
        return call.finally(() => running.delete(call));
      }) as never,
    );
  }
  const closeOwned = async () => {
    await Promise.all([...owned].map((id) => manager.close(id, 'closed: its MCP client disconnected').catch(() => {})));
    owned.clear();
  };
  // Requests piped in before stdin closed still get their answers (a batch: `handeye mcp < calls.jsonl`).
  const drained = async () => {
    await new Promise((r) => setTimeout(r, 50));
    while (running.size) await Promise.allSettled([...running]);
  };
  return { server, closeOwned, drained };
}

const INSTRUCTIONS =
  'handeye sees the screen and acts on what is visible, on web pages and desktops alike. Call open first ' +
  '(a url, or desktop), then click/type/press/scroll/select/drag with targets named as a person sees them ' +
  '("Sign in", "the Password field"), assert what should show, take a screenshot to look, and close when done. ' +
  'Every result names the trace where each step was recorded.';

interface ToolExtra {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number };
  sendNotification: (n: { method: 'notifications/progress'; params: { progressToken: string | number; progress: number; message?: string } }) => Promise<void>;
}

async function callTool(manager: SessionManager, o: Operation, args: unknown, extra: ToolExtra, owned: Set<string>): Promise<CallToolResult> {
  const token = extra._meta?.progressToken;
  let progress = 0;
  const onProgress =
    token === undefined
      ? undefined
      : (e: { step: number; line: string }) => {
          void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: ++progress, message: redactProcessSecrets(e.line) } }).catch(() => {});
        };
  try {
    const result = (await o.run(manager, args as never, { signal: extra.signal, onProgress })) as Record<string, unknown> & { image?: Buffer };
    if (o.name === 'open') owned.add(result.session as string);
    if (o.name === 'close') owned.delete(result.session as string);
    const { image, ...raw } = result;
    // What the page showed or the model said may hold a declared secret's value or the token: scrubbed, as over HTTP.
    const structured = JSON.parse(redactProcessSecrets(JSON.stringify(raw))) as Record<string, unknown>;
    const text = { type: 'text' as const, text: JSON.stringify(structured, null, 1) };
    const content = image ? [{ type: 'image' as const, data: image.toString('base64'), mimeType: structured.mimeType as string }, text] : [text];
    return { content, structuredContent: structured };
  } catch (e) {
    const { body } = errorBody(e);
    return { isError: true, content: [{ type: 'text', text: redactProcessSecrets(JSON.stringify({ error: body }, null, 1)) }] };
  }
}

/** Serves MCP over stdin/stdout until stdin closes; then closes every session. */
export async function serveMcpStdio(manager: SessionManager, version: string): Promise<void> {
  const { server, closeOwned, drained } = buildMcpServer(manager, version);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await drained();
  await closeOwned();
  await server.close().catch(() => {});
}

export interface McpHttpOptions {
  host: string;
  port: number;
  token?: string;
  version: string;
}

/** Serves MCP's streamable HTTP at /mcp: one MCP session per client, each with its own server. */
export async function serveMcpHttp(manager: SessionManager, o: McpHttpOptions): Promise<{ url: string; close: () => Promise<void> }> {
  checkBind(o.host, o.token);
  const clients = new Map<string, { transport: StreamableHTTPServerTransport; closeOwned: () => Promise<void>; seen: number }>();
  // A client that vanished without ending its session: its session (and what it opened) goes after the idle timeout.
  const sweep = setInterval(() => {
    for (const c of clients.values()) if (Date.now() - c.seen > manager.limits.idleTimeoutMs) void c.transport.close().catch(() => {});
  }, Math.max(1000, Math.min(60_000, manager.limits.idleTimeoutMs / 4)));
  sweep.unref();
  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) writeJson(res, 500, { error: { code: 'internal', message: (e as Error).message } });
      else res.end();
    });
  });
  let port = o.port;
  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (!authorized(req, o.token)) return writeJson(res, 401, { error: { code: 'unauthorized', message: 'send the server\'s token as "Authorization: Bearer TOKEN"' } }, { 'www-authenticate': 'Bearer' });
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp') return writeJson(res, 404, { error: { code: 'not-found', message: 'the MCP endpoint is /mcp' } });
    const sid = req.headers['mcp-session-id'];
    const known = typeof sid === 'string' ? clients.get(sid) : undefined;
    if (known) {
      known.seen = Date.now();
      return known.transport.handleRequest(req, res);
    }
    // An unknown session id is 404: the spec's signal to the client to initialize again (after a restart).
    if (typeof sid === 'string') return writeJson(res, 404, { error: { code: 'unknown-session', message: `no MCP session ${sid}; start one with an initialize request` } });
    if (req.method !== 'POST') return writeJson(res, 400, { error: { code: 'bad-request', message: 'no MCP session; start one with an initialize request' } });
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (e) {
      const tooBig = /over \d+ bytes/.test((e as Error).message);
      return writeJson(res, tooBig ? 413 : 400, { error: { code: 'bad-request', message: `the body is not JSON an MCP server reads: ${(e as Error).message}` } });
    }
    if (!isInitializeRequest(body)) return writeJson(res, 400, { error: { code: 'bad-request', message: 'no MCP session; start one with an initialize request' } });
    const { server: mcp, closeOwned } = buildMcpServer(manager, o.version);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void clients.set(id, { transport, closeOwned, seen: Date.now() }),
      enableDnsRebindingProtection: isLoopback(o.host),
      allowedHosts: loopbackHosts(port),
    });
    transport.onclose = () => {
      if (transport.sessionId) clients.delete(transport.sessionId);
      void closeOwned();
    };
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}/mcp`,
    close: async () => {
      clearInterval(sweep);
      for (const c of clients.values()) await c.transport.close().catch(() => {});
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
