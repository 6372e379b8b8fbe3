import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { serveMcpHttp } from '../../src/service/mcp-server.ts';
import { SessionManager } from '../../src/service/session-manager.ts';
import { commandOf, descendants, isAlive } from '../support/process-tree.ts';

/**
 * `handeye mcp` with the SDK's own client: over stdio the client spawns the real bin, as an MCP
 * host (Claude Desktop, an IDE) would; over streamable HTTP against a server in this process.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-mcp-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type ToolResult = { isError?: boolean; content: any[]; structuredContent?: any };
const errorOf = (r: ToolResult) => JSON.parse(r.content[0].text).error as { code: string; message: string };

describe('handeye mcp over stdio', () => {
  it('lists its tools, signs in on the login page, asserts, shows a screenshot, closes with a complete trace, and leaves no browser', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [path.join(ROOT, 'bin', 'handeye.mjs'), 'mcp', '--traces', tmp], cwd: ROOT, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const client = new Client({ name: 'handeye-test', version: '1.0.0' });
    await client.connect(transport);
    const pid = transport.pid!;
    try {
      const tools = (await client.listTools()).tools;
      const names = tools.map((t) => t.name);
      for (const n of ['open', 'act', 'click', 'type', 'press', 'scroll', 'select', 'drag', 'locate', 'assert', 'query', 'screenshot', 'run_task', 'close']) expect(names).toContain(n);
      const click = tools.find((t) => t.name === 'click')!;
      expect(click.inputSchema.required).toEqual(['target']);
      expect(click.outputSchema?.properties).toHaveProperty('trace');

      const call = (name: string, args: Record<string, unknown> = {}, onprogress?: (p: { message?: string }) => void) =>
        client.callTool({ name, arguments: args }, undefined, onprogress ? { onprogress } : undefined) as Promise<ToolResult>;
      const opened = await call('open', { url: '/login/index.html' });
      expect(opened.isError, JSON.stringify(opened.content)).toBeFalsy();
      const session = opened.structuredContent.session as string;
      expect(opened.structuredContent.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\/index\.html$/);

      expect((await call('type', { text: 'alice', into: 'Username' })).isError).toBeFalsy();
      expect((await call('type', { session, text: 'hunter2', into: 'Password' })).isError).toBeFalsy();
      const progress: string[] = [];
      const clicked = await call('click', { target: 'Sign in' }, (p) => progress.push(p.message ?? ''));
      expect(clicked.isError, JSON.stringify(clicked.content)).toBeFalsy();
      expect(clicked.structuredContent.actions[0]).toMatchObject({ action: 'click' });
      expect(progress.join('\n')).toMatch(/Sign in/);
      expect((await call('assert', { statement: 'Welcome, alice' })).isError).toBeFalsy();

      const shot = await call('screenshot', { maxWidth: 800 });
      expect(shot.content[0]).toMatchObject({ type: 'image', mimeType: 'image/png' });
      const meta = await sharp(Buffer.from(shot.content[0].data, 'base64')).metadata();
      expect([meta.width, meta.height]).toEqual([800, 450]);

      // Bad input and misuse: tool errors, and the server stays up.
      const noTarget = await call('click', {});
      expect(noTarget.isError).toBe(true);
      expect(noTarget.content[0].text).toMatch(/target/);
      const unknown = await call('teleport', { to: 'Mars' });
      expect(unknown.isError).toBe(true);
      expect(unknown.content[0].text).toMatch(/teleport/);
      const query = await call('query', { question: 'What is the heading?' });
      expect(errorOf(query).code).toBe('vision-required');
      const failed = await call('assert', { statement: 'Welcome, mallory' });
      expect(errorOf(failed)).toMatchObject({ code: 'assertion-failed' });

      const closed = await call('close');
      const dir = closed.structuredContent.traceDir as string;
      const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'));
      expect(summary.steps).toBeGreaterThanOrEqual(5);
      const steps = readFileSync(path.join(dir, 'trace.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'step');
      expect(steps.map((r) => r.instruction).join('\n')).toMatch(/type {"text":"alice"[\s\S]*click "Sign in"[\s\S]*assert "Welcome, alice"/);
      expect(errorOf(await call('assert', { session, statement: 'Welcome' })).code).toBe('session-closed');

      // A session left open when the client goes: the server closes it and exits; its browser is gone.
      expect((await call('open', { url: '/todo/index.html' })).isError).toBeFalsy();
      const chromium = descendants(pid).filter((p) => /chrom/.test(commandOf(p)));
      expect(chromium.length).toBeGreaterThan(0);
      await client.close();
      const t0 = Date.now();
      while ((isAlive(pid) || chromium.some(isAlive)) && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100));
      expect(isAlive(pid), stderr).toBe(false);
      expect(chromium.filter(isAlive)).toEqual([]);
      expect(stderr).toMatch(/closed: its MCP client disconnected/);
    } finally {
      await client.close().catch(() => {});
    }
  });
});

describe('handeye mcp --http', () => {
  it('serves the same tools over streamable HTTP behind a token, and closes what a client opened when it ends its session', async () => {
    const manager = new SessionManager({ engine: { engine: 'embedded' }, traceRoot: tmp });
    const token = 'mcp-token-0123456789abcdef';
    const server = await serveMcpHttp(manager, { host: '127.0.0.1', port: 0, token, version: 'test' });
    try {
      const denied = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(denied.status).toBe(401);
      const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
      const client = new Client({ name: 'handeye-test', version: '1.0.0' });
      await client.connect(transport);
      expect((await client.listTools()).tools.length).toBeGreaterThanOrEqual(14);
      const opened = (await client.callTool({ name: 'open', arguments: { url: '/login/index.html' } })) as ToolResult;
      expect(opened.isError, JSON.stringify(opened.content)).toBeFalsy();
      const located = (await client.callTool({ name: 'locate', arguments: { target: 'Sign in' } })) as ToolResult;
      expect(located.isError, JSON.stringify(located.content)).toBeFalsy();
      expect(located.structuredContent.box).toHaveLength(4);
      expect(manager.list()).toHaveLength(1);
      const dir = manager.list()[0].traceDir;
      await transport.terminateSession();
      await client.close();
      await expect.poll(() => manager.list().length, { timeout: 10_000 }).toBe(0);
      await expect.poll(() => manager.browserContexts(), { timeout: 5000 }).toBe(0);
      expect(existsSync(path.join(dir, 'summary.json'))).toBe(true);
    } finally {
      await server.close();
      await manager.shutdown();
    }
  });
});
