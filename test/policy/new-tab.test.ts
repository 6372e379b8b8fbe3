import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BrowserExecutor } from '../../src/executors/browser/browser-executor.ts';
import { PAGE_URL_ALLOWED } from '../../src/executors/browser/new-tab-guard.ts';
import { urlAllowed } from '../../src/core/origins.ts';
import { runTask } from '../../src/run/run-task.ts';
import { parseTask } from '../../src/core/task.ts';
import { readTrace } from '../../src/core/trace.ts';
import { domBox, ScriptedAgent } from '../support/scripted-agent.ts';

// New tabs escape Playwright's request routing; the in-page guard must stop them before the
// other origin sees a single request.
let executor: BrowserExecutor;
let other: http.Server;
let otherUrl = '';
const hits: string[] = [];
const traces = mkdtempSync(path.join(os.tmpdir(), 'handeye-new-tab-'));

beforeAll(async () => {
  executor = await BrowserExecutor.launch({ viewport: [800, 600], deviceScaleFactor: 1 });
  other = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>collected</h1>');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await executor?.close();
  other?.closeAllConnections();
  await new Promise((r) => other?.close(r));
});

it('agrees with the Node matcher on every case', async () => {
  const cases: Array<[string, string[][], string | undefined]> = [
    ['http://127.0.0.1:8000/x', [['self']], 'http://127.0.0.1:8000'],
    ['http://127.0.0.1:8001/x', [['self']], 'http://127.0.0.1:8000'],
    ['https://a.example.com/p', [['https://*.example.com']], undefined],
    ['https://example.com/', [['https://*.example.com']], undefined],
    ['https://evil-example.com/', [['https://*.example.com']], undefined],
    ['http://example.com:80/', [['http://example.com']], undefined],
    ['http://example.com:8080/', [['http://example.com:*']], undefined],
    ['https://example.com/', [['http://example.com']], undefined],
    ['about:blank', [['self']], undefined],
    ['data:text/html,hi', [['*']], undefined],
    ['data:text/html,hi', [['self']], 'http://127.0.0.1:1'],
    ['https://b.test/', [['*'], ['https://b.test']], undefined],
    ['https://c.test/', [['*'], ['https://b.test']], undefined],
  ];
  const inPage = (await executor.page.evaluate(
    ({ fn, cases }) => {
      const allowed = (0, eval)(`(${fn})`) as (u: string, l: string[][], s: string | undefined) => boolean;
      return cases.map(([u, l, s]) => allowed(u, l, s));
    },
    { fn: PAGE_URL_ALLOWED, cases },
  )) as boolean[];
  expect(inPage).toEqual(cases.map(([u, l, s]) => urlAllowed(u, l, s)));
  expect(inPage.filter(Boolean).length).toBeGreaterThan(3);
});

it('stops a target=_blank link and window.open to a blocked origin before any request leaves', async () => {
  const agent = new ScriptedAgent(async (input, call) => {
    if (call === 0) {
      await input.executor!.evaluate!(
        `(() => { const a = document.createElement('a'); a.id = 'ext'; a.href = ${JSON.stringify(otherUrl + '/tab')}; a.target = '_blank'; a.rel = 'noopener'; a.textContent = 'Open elsewhere'; a.style.cssText = 'display:block;font-size:24px;margin:20px'; document.body.prepend(a);
          const b = document.createElement('button'); b.id = 'pop'; b.textContent = 'Popup'; b.onclick = () => { window.__opened = window.open(${JSON.stringify(otherUrl + '/popup')}); }; document.body.prepend(b); })()`,
      );
      return { actions: [{ action: 'wait', ms: 1 }] };
    }
    if (call === 1) return { actions: [{ action: 'click', target: { box: await domBox(input, '#ext') } }] };
    if (call === 2) return { actions: [{ action: 'click', target: { box: await domBox(input, '#pop') } }] };
    return { actions: [{ action: 'finish' }] };
  });
  const task = parseTask({ id: 'new-tab-guard', app: { web: { url: '/counter.html', viewport: [800, 600] } }, goal: 'open the link', success: [] });
  const s = await runTask({ task, agent, executor, serveRoot: path.join(import.meta.dirname, '..', 'fixtures', 'loop'), traceDir: path.join(traces, 'run') });
  expect(s.reason).toBe('finished');
  expect(hits).toEqual([]);
  expect(executor.context.pages()).toHaveLength(1);
  const blocked = readTrace(s.traceDir).steps.flatMap((t) => t.blocked ?? []);
  expect(blocked.some((b) => b.includes(`${otherUrl}/tab`) && b.includes('stopped before it opened'))).toBe(true);
  expect(blocked.some((b) => b.includes(`${otherUrl}/popup`))).toBe(true);
  expect(await executor.evaluate('window.__opened === null')).toBe(true);
});
