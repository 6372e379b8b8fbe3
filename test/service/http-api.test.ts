import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttpApi } from '../../src/service/http-api.ts';
import { SessionManager, type ServiceOptions } from '../../src/service/session-manager.ts';

/**
 * `handeye serve`'s API over real HTTP on 127.0.0.1, with fetch: real Chromium pages from the
 * bundled tasks, the embedded OCR engine deciding. Each server here is started in-process so its
 * manager can be looked at (the bin's own wiring is tested in service-cli.test.ts).
 */

const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-serve-'));
const TOKEN = 'test-token-0123456789abcdef';

interface Service {
  base: string;
  manager: SessionManager;
  close: () => Promise<void>;
}

async function startService(o: Partial<ServiceOptions> & { token?: string } = {}): Promise<Service> {
  const { token, ...rest } = o;
  const manager = new SessionManager({ engine: { engine: 'embedded' }, traceRoot: tmp, ...rest });
  const http = await serveHttpApi(manager, { host: '127.0.0.1', port: 0, token, version: 'test' });
  return {
    base: http.url,
    manager,
    close: async () => {
      await http.close();
      await manager.shutdown();
    },
  };
}

async function call(s: Service, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(s.base + route, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

const open = async (s: Service, url: string) => {
  const r = await call(s, 'POST', '/sessions', { url });
  expect(r.status, r.text).toBe(201);
  return r.json.session as string;
};

describe('handeye serve: a session over HTTP', () => {
  let s: Service;
  beforeAll(async () => {
    s = await startService();
  });
  afterAll(async () => {
    await s.close();
  });

  it('signs in on the bundled login page with type and click, asserts, shows a screenshot, and closes with a complete trace', async () => {
    const id = await open(s, '/login/index.html');
    expect(id).toMatch(/^s-[0-9a-f]{8}$/);
    const typed = await call(s, 'POST', `/sessions/${id}/type`, { text: 'alice', into: 'Username' });
    expect(typed.status, typed.text).toBe(200);
    expect(typed.json.session).toBe(id);
    expect(typed.json.actions.map((a: any) => a.action)).toContain('type');
    expect(path.dirname(typed.json.trace.frame)).toBe(path.join(typed.json.trace.dir, 'frames'));
    expect((await call(s, 'POST', `/sessions/${id}/type`, { text: 'hunter2', into: 'Password' })).status).toBe(200);

    // The click streams its steps as server-sent events, then its result.
    const res = await fetch(`${s.base}/sessions/${id}/click`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ target: 'Sign in' }) });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text()).trim().split('\n\n').map((block) => ({ event: /^event: (.*)$/m.exec(block)![1], data: JSON.parse(/^data: (.*)$/m.exec(block)![1]) }));
    expect(events.filter((e) => e.event === 'progress').length).toBeGreaterThan(0);
    expect(events.at(-1)!.event).toBe('result');
    const click = events.at(-1)!.data.actions.find((a: any) => a.action === 'click');
    expect(click.target.box ?? click.target.point).toBeDefined();

    const assertion = await call(s, 'POST', `/sessions/${id}/assert`, { statement: 'Welcome, alice' });
    expect(assertion.status, assertion.text).toBe(200);
    const failed = await call(s, 'POST', `/sessions/${id}/assert`, { statement: 'Welcome, mallory' });
    expect(failed.status).toBe(422);
    expect(failed.json.error.code).toBe('assertion-failed');
    expect(failed.json.error.call).toBe('agent.assert("Welcome, mallory")');

    const shot = await fetch(`${s.base}/sessions/${id}/screenshot?maxWidth=640`);
    expect(shot.status).toBe(200);
    expect(shot.headers.get('content-type')).toBe('image/png');
    expect(shot.headers.get('x-handeye-frame-size')).toBe('1280x720');
    const meta = await sharp(Buffer.from(await shot.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([640, 360]);

    const closed = await call(s, 'DELETE', `/sessions/${id}`);
    expect(closed.status).toBe(200);
    const dir = closed.json.traceDir as string;
    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    expect(summary.steps).toBeGreaterThanOrEqual(5);
    expect(summary.detail).toMatch(/1 call\(s\) failed/);
    const records = readFileSync(path.join(dir, 'trace.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records[0].type).toBe('run');
    expect(records.filter((r) => r.type === 'step').every((r) => existsSync(path.join(dir, r.frame.file)) || r.frame.file.startsWith('('))).toBe(true);
    // Each look says how much of the screen was read: crops detected, recognized now, reused, at which precision.
    const ocr = records.filter((r) => r.type === 'step').map((r) => r.attempts[0]?.notes?.ocr).filter(Boolean);
    expect(ocr.length).toBeGreaterThan(0);
    for (const o of ocr) {
      expect(o.precision).toBe('fp32');
      expect(o.recognized + o.reused).toBeLessThanOrEqual(o.detected);
    }
    expect(ocr.some((o) => o.reused > 0)).toBe(true);

    // A goal on the closed session: a clear error naming why, and the server stays up.
    const late = await call(s, 'POST', `/sessions/${id}/act`, { goal: 'sign out' });
    expect(late.status).toBe(410);
    expect(late.json.error.message).toMatch(/closed by the client/);
    expect((await call(s, 'GET', '/health')).json).toMatchObject({ ok: true, sessions: 0, browserContexts: 0 });
  });

  it('refuses bad input with the field named, and stays up', async () => {
    const id = await open(s, '/login/index.html');
    const missing = await call(s, 'POST', `/sessions/${id}/click`, {});
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toMatch(/target/);
    const extra = await call(s, 'POST', `/sessions/${id}/click`, { target: 'Sign in', button: 'thumb' });
    expect(extra.json.error.message).toMatch(/button/);
    const notJson = await call(s, 'POST', `/sessions/${id}/click`, undefined, { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400); // an empty body is no target either
    const badJson = await fetch(`${s.base}/sessions/${id}/click`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"target": ' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).error.message).toMatch(/not JSON/);
    const form = await fetch(`${s.base}/sessions/${id}/click`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"target":"Sign in"}' });
    expect(form.status).toBe(415);
    const huge = await call(s, 'GET', `/sessions/${id}/screenshot?maxWidth=100000`);
    expect(huge.status).toBe(400);
    expect(huge.json.error.message).toMatch(/maxWidth/);
    expect((await call(s, 'POST', '/sessions/s-00000000/click', { target: 'x' })).status).toBe(404);
    expect((await call(s, 'GET', '/nowhere')).status).toBe(404);
    expect((await call(s, 'PUT', `/sessions/${id}`)).status).toBe(405);
    const both = await call(s, 'POST', '/sessions', { url: '/login/index.html', desktop: {} });
    expect(both.json.error.message).toMatch(/desktop/);
    // A desktop where no display exists: the display is named.
    const desk = await call(s, 'POST', '/sessions', { desktop: { display: ':987' } });
    expect(desk.status).toBe(502);
    expect(desk.json.error.message).toMatch(/:987/);
    // Launching an app is a command on the server: off unless the server allows it.
    expect((await call(s, 'POST', '/sessions', { desktop: { launch: ['xterm'] } })).status).toBe(403);
    const q = await call(s, 'POST', `/sessions/${id}/query`, { question: 'What is the heading?' });
    expect(q.status).toBe(422);
    expect(q.json.error.code).toBe('vision-required');
    expect((await call(s, 'GET', `/sessions/${id}/screenshot`)).status).toBe(200);
    expect((await call(s, 'DELETE', `/sessions/${id}`)).status).toBe(200);
  });

  it('answers twenty calls at once on two sessions, each on its own page', async () => {
    const login = await open(s, '/login/index.html');
    const todo = await open(s, '/todo/index.html');
    const own = { [login]: ['Sign in to Example', 'Username', 'Password'], [todo]: ['My to-do list', 'New task', 'Clear completed'] };
    const other = { [login]: 'My to-do list', [todo]: 'Sign in to Example' };
    const calls = [login, todo].flatMap((id) => [
      ...own[id].map((text) => ({ id, route: 'assert', body: { statement: text }, ok: true })),
      ...own[id].map((text) => ({ id, route: 'locate', body: { target: text }, ok: true })),
      ...[0, 1, 2].map(() => ({ id, route: 'assert', body: { statement: other[id] }, ok: false })),
      { id, route: 'screenshot', body: undefined, ok: true },
    ]);
    expect(calls).toHaveLength(20);
    const results = await Promise.all(calls.map((c) => (c.route === 'screenshot' ? call(s, 'GET', `/sessions/${c.id}/screenshot`, undefined, { accept: 'application/json' }) : call(s, 'POST', `/sessions/${c.id}/${c.route}`, c.body))));
    const traceOf = Object.fromEntries(s.manager.list().map((x) => [x.id, path.resolve(x.traceDir)]));
    results.forEach((r, i) => {
      const c = calls[i];
      expect(r.status, `${c.route} ${JSON.stringify(c.body)} on ${c.id}: ${r.text.slice(0, 300)}`).toBe(c.ok ? 200 : 422);
      if (c.ok) expect(r.json.session).toBe(c.id);
      const dir = r.json.trace?.dir ?? r.json.error?.trace?.dir;
      if (dir) expect(dir).toBe(traceOf[c.id]);
    });
    await call(s, 'DELETE', `/sessions/${login}`);
    await call(s, 'DELETE', `/sessions/${todo}`);
  });

  it('describes every route in /openapi.json from the same schemas', async () => {
    const doc = (await call(s, 'GET', '/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    const ids = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((o: any) => o.operationId));
    for (const name of ['open', 'act', 'click', 'type', 'press', 'scroll', 'select', 'drag', 'locate', 'assert', 'query', 'screenshot', 'run_task', 'close']) expect(ids).toContain(name);
    const click = doc.paths['/sessions/{session}/click'].post;
    expect(click.requestBody.content['application/json'].schema.required).toEqual(['target']);
    expect(click.requestBody.content['application/json'].schema.properties.button.enum).toEqual(['left', 'right', 'middle']);
    expect(doc.paths['/sessions/{session}/screenshot'].get.parameters.map((p: any) => p.name)).toContain('maxWidth');
  });
});

describe('handeye serve: limits', () => {
  it('needs the token when one is set (401), and counts sessions against the maximum (429)', async () => {
    const s = await startService({ token: TOKEN, maxSessions: 2 });
    try {
      const denied = await call(s, 'GET', '/sessions');
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toBe('Bearer');
      expect((await call(s, 'GET', '/sessions', undefined, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
      const auth = { authorization: `Bearer ${TOKEN}` };
      const opened = await Promise.all([1, 2, 3].map(() => call(s, 'POST', '/sessions', { url: '/login/index.html' }, auth)));
      expect(opened.map((r) => r.status).sort()).toEqual([201, 201, 429]);
      expect(opened.find((r) => r.status === 429)!.json.error.message).toMatch(/2 of 2 sessions/);
      for (const r of opened.filter((x) => x.status === 201)) await call(s, 'DELETE', `/sessions/${r.json.session}`, undefined, auth);
      expect((await call(s, 'POST', '/sessions', { url: '/login/index.html' }, auth)).status).toBe(201);
    } finally {
      await s.close();
    }
  });

  it('reaps an idle session: its page closed, its trace finished, a late call told why', async () => {
    const s = await startService({ idleTimeoutMs: 600 });
    try {
      const id = await open(s, '/login/index.html');
      const dir = s.manager.get(id).traceDir;
      const t0 = Date.now();
      while (s.manager.list().length && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 100));
      expect(s.manager.list()).toHaveLength(0);
      await expect.poll(() => s.manager.browserContexts(), { timeout: 5000 }).toBe(0);
      await expect.poll(() => existsSync(path.join(dir, 'summary.json')), { timeout: 5000 }).toBe(true);
      const late = await call(s, 'POST', `/sessions/${id}/click`, { target: 'Sign in' });
      expect(late.status).toBe(410);
      expect(late.json.error.message).toMatch(/idle/);
    } finally {
      await s.close();
    }
  });

  it('stops a call past the request timeout (504) and one whose client went away; the session goes on', async () => {
    const s = await startService({ requestTimeoutMs: 1500 });
    try {
      const id = await open(s, '/login/index.html');
      const t0 = Date.now();
      const slow = await call(s, 'POST', `/sessions/${id}/wait_for`, { statement: 'Welcome, nobody', timeout: 20_000 });
      expect(slow.status).toBe(504);
      expect(slow.json.error.code).toBe('timeout');
      expect(Date.now() - t0).toBeLessThan(8000);

      const gone = new AbortController();
      const pending = fetch(`${s.base}/sessions/${id}/wait_for`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ statement: 'Welcome, nobody', timeout: 20_000 }), signal: gone.signal }).catch(() => 'aborted');
      await new Promise((r) => setTimeout(r, 300));
      gone.abort();
      expect(await pending).toBe('aborted');
      // The next call does not wait out the abandoned one's 20 s.
      const t1 = Date.now();
      expect((await call(s, 'POST', `/sessions/${id}/assert`, { statement: 'Sign in to Example' })).status).toBe(200);
      expect(Date.now() - t1).toBeLessThan(8000);
    } finally {
      await s.close();
    }
  });

  it('closes a page whose opening client went away before it learned the id', async () => {
    const s = await startService();
    try {
      const gone = new AbortController();
      const pending = fetch(`${s.base}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: '/login/index.html' }), signal: gone.signal }).catch(() => 'aborted');
      // Gone while the server is opening the page (its slot is held), before the 201 could tell the id.
      await expect.poll(() => s.manager.reservedSlots, { timeout: 5000, interval: 5 }).toBe(1);
      gone.abort();
      expect(await pending).toBe('aborted');
      await expect.poll(() => s.manager.reservedSlots, { timeout: 10_000 }).toBe(0);
      await expect.poll(async () => s.manager.list().length + (await s.manager.browserContexts()), { timeout: 10_000 }).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('runs a task file and returns its summary; a task that runs commands needs --allow-commands', async () => {
    const s = await startService();
    try {
      const file = path.resolve(import.meta.dirname, '..', '..', 'tasks', 'login', 'login.task.yaml');
      const r = await call(s, 'POST', '/tasks/run', { file });
      expect(r.status, r.text).toBe(200);
      expect(r.json).toMatchObject({ taskId: 'login', success: true });
      expect(existsSync(path.join(r.json.traceDir, 'summary.json'))).toBe(true);
      const task = { id: 'cmd', app: { web: { url: '/login/index.html' } }, steps: [{ assert: 'Sign in' }], success: [{ command: ['true'] }] };
      const refused = await call(s, 'POST', '/tasks/run', { task });
      expect(refused.status).toBe(403);
      expect(refused.json.error.message).toMatch(/--allow-commands/);
      const bad = await call(s, 'POST', '/tasks/run', { task: { id: 'x', app: { web: {} }, goal: 'y' } });
      expect(bad.status).toBe(400);
      expect(bad.json.error.message).toMatch(/app\.web\.url/);
    } finally {
      await s.close();
    }
  });
});

describe('handeye serve: query with a VLM', () => {
  it('validates the answer against the JSON Schema the client sent', async () => {
    // Stands in for the model: answers with the size of the screenshot it was sent.
    const vlm = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', async () => {
        const body = JSON.parse(raw);
        const parts = body.messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content : []));
        const url = parts.find((p: any) => p.type === 'image_url').image_url.url as string;
        const meta = await sharp(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64')).metadata();
        const content = `The screenshot measures ${meta.width} by ${meta.height}.\n{"width": ${meta.width}, "height": ${meta.height}}`;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 10 } }));
      });
    });
    await new Promise<void>((r) => vlm.listen(0, '127.0.0.1', r));
    const baseUrl = `http://127.0.0.1:${(vlm.address() as AddressInfo).port}/v1`;
    const s = await startService({ engine: { engine: 'openai', baseUrl, model: 'stand-in', family: 'generic' } });
    try {
      const id = await open(s, '/login/index.html');
      const schema = { type: 'object', properties: { width: { type: 'integer' }, height: { type: 'integer' } }, required: ['width', 'height'] };
      const q = await call(s, 'POST', `/sessions/${id}/query`, { question: 'How large is the screen?', schema });
      expect(q.status, q.text).toBe(200);
      expect(q.json.answer.width / q.json.answer.height).toBeCloseTo(1280 / 720, 1); // resized to the family's grid, aspect kept
      const wrong = await call(s, 'POST', `/sessions/${id}/query`, { question: 'What is the title?', schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] } });
      expect(wrong.status).toBe(502);
      expect(wrong.json.error).toMatchObject({ code: 'query-failed' });
      expect(wrong.json.error.message).toMatch(/title/);
      const notASchema = await call(s, 'POST', `/sessions/${id}/query`, { question: 'x', schema: { type: 'no-such-type' } });
      expect(notASchema.status).toBe(400);
      expect(notASchema.json.error.message).toMatch(/schema/);
    } finally {
      await s.close();
      vlm.close();
    }
  });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));
