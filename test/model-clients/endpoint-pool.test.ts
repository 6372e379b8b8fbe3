import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.ts';
import { OcrEngine } from '../../agents/embedded/ocr/ocr-engine.ts';
import type { CompletionRequest } from '../../src/core/model-client.ts';
import { modelClientFor } from '../../src/model-clients/client-for.ts';
import { EndpointPool } from '../../src/model-clients/endpoint-pool.ts';
import { OpenAiClient } from '../../src/model-clients/openai.ts';
import { startSimServer, type SimServer } from '../support/sim-server.ts';
import { freePort } from '../support/free-port.ts';

/**
 * Several model servers behind one client (--base-url given more than once): real HTTP servers on
 * 127.0.0.1 (the simulated model), healthy, failing with 500, refusing a request, or never answering.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-pool-'));
const servers: SimServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function sim(every?: 'http-500' | 'http-400' | 'never'): Promise<SimServer> {
  // The model's answer is any box: these tests are about which server answers, not where it clicks.
  const s = await startSimServer({ family: 'generic', useOcr: true, layout: 'free', answerKey: (instruction) => (/"OK"/.test(instruction) ? [8, 8, 24, 20] : undefined), ...(every ? { every } : {}) });
  servers.push(s);
  return s;
}

let png: Buffer | undefined;
async function request(): Promise<CompletionRequest> {
  png ??= await sharp({ create: { width: 64, height: 48, channels: 3, background: '#fff' } }).png().toBuffer();
  return { messages: [{ role: 'user', content: [{ type: 'image', image: { data: png, mime: 'image/png' } }, { type: 'text', text: 'Task: click "OK"' }] }], maxTokens: 64 } as CompletionRequest;
}


const pool = (urls: string[], endpointTimeoutMs = 1000) => modelClientFor({ baseUrls: urls, model: 'sim', endpointTimeoutMs }) as EndpointPool;

describe('an endpoint pool', () => {
  it('spreads sequential calls evenly, and concurrent ones to the least busy server', async () => {
    const [a, b] = [await sim(), await sim()];
    const p = pool([a.baseUrl, b.baseUrl]);
    for (let i = 0; i < 6; i++) await p.complete(await request());
    expect(p.endpointStats().map((s) => s.calls)).toEqual([3, 3]);
    await Promise.all([0, 1, 2, 3].map(async () => p.complete(await request())));
    expect(p.endpointStats().map((s) => s.calls)).toEqual([5, 5]);
    expect(p.endpointStats().every((s) => s.errors === 0 && s.p50Ms !== undefined)).toBe(true);
  });

  it('rests a server that fails (500) or never answers, and sends its calls to the others', async () => {
    const [good, failing, silent] = [await sim(), await sim('http-500'), await sim('never')];
    const p = pool([failing.baseUrl, silent.baseUrl, good.baseUrl], 800);
    const t0 = Date.now();
    for (let i = 0; i < 6; i++) expect((await p.complete(await request())).text).toBeTruthy();
    const [f, s, g] = p.endpointStats();
    // Each bad server was tried once, then left alone for its rest; the good one took everything.
    expect([f.calls, f.errors, s.calls, s.errors]).toEqual([1, 1, 1, 1]);
    expect(g).toMatchObject({ calls: 6, errors: 0 });
    expect(f.lastError).toMatch(/500/);
    expect(s.lastError).toMatch(/800 ms|first token|no answer|timed out/i);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('answers a refused request (400) at once: another server of the same model would refuse it too', async () => {
    const [refusing, good] = [await sim('http-400'), await sim()];
    const p = pool([refusing.baseUrl, good.baseUrl]);
    const e = await p.complete(await request()).catch((x) => x);
    expect(e.status).toBe(400);
    expect(e.requests).toHaveLength(1);
    expect(p.endpointStats()[1].calls).toBe(0);
  });

  it('names every server when none can be reached', async () => {
    const urls = [`http://127.0.0.1:${await freePort()}/v1`, `http://127.0.0.1:${await freePort()}/v1`];
    const p = new EndpointPool(urls.map((url) => ({ url, client: new OpenAiClient({ baseUrl: url, model: 'sim', retry: { maxRetries: 0 } }) })), { restMs: 10 });
    const e = await p.complete(await request()).catch((x) => x);
    expect(e.kind).toBe('connection');
    expect(e.message).toMatch(/every endpoint failed/);
    expect(new Set(e.requests.map((r: { endpoint: string }) => r.endpoint))).toEqual(new Set(urls));
  });
});

describe('handeye run with --base-url given three times', () => {
  it('finishes the login task with one server failing and one silent, and the summary shows the split', async () => {
    const [good, failing, silent] = [await sim(), await sim('http-500'), await sim('never')];
    // The simulated model reads the screen with the embedded OCR: its models load before the clock of a call starts.
    await OcrEngine.shared().recognize({ data: new Uint8Array(32 * 32 * 3).fill(255), width: 32, height: 32 });
    const out: string[] = [];
    const err: string[] = [];
    const trace = path.join(tmp, 'run');
    // Two scripted clicks on the bundled login page: the simulated model finds each label by OCR.
    const taskFile = path.join(tmp, 'tasks', 'pool.task.yaml');
    mkdirSync(path.join(tmp, 'tasks', 'login'), { recursive: true });
    copyFileSync(path.join(ROOT, 'tasks/login/index.html'), path.join(tmp, 'tasks/login/index.html'));
    writeFileSync(taskFile, 'id: pool\napp:\n  web: { url: "/login/index.html" }\nsteps:\n  - click: "Username"\n  - click: "Password"\nsuccess:\n  - js: "document.activeElement.id === \'password\'"\n');
    const code = await main(
      ['run', taskFile, '--engine', 'openai', '--base-url', failing.baseUrl, '--base-url', silent.baseUrl, '--base-url', good.baseUrl, '--model', 'sim', '--family', 'generic', '--endpoint-timeout-ms', '2000', '--json', '--trace', trace],
      { out: (s) => out.push(s), err: (s) => err.push(s) },
    );
    expect(code, err.join('\n')).toBe(0);
    const summary = JSON.parse(out.join('\n'));
    expect(summary.success).toBe(true);
    expect(summary.endpoints.map((e: { url: string }) => e.url)).toEqual([failing.baseUrl, silent.baseUrl, good.baseUrl]);
    const [f, s, g] = summary.endpoints;
    expect(f.errors).toBeGreaterThanOrEqual(1);
    expect(s.errors).toBeGreaterThanOrEqual(1);
    expect(g.calls).toBe(good.requests.length);
    expect(g.errors).toBe(0);

    // An eval over the same servers adds each episode's share up in its summary.
    const evalDir = path.join(tmp, 'eval');
    const before = good.requests.length;
    const evalCode = await main(['eval', taskFile, '--seeds', '2', '--concurrency', '1', '--out', evalDir, '--engine', 'openai', '--base-url', good.baseUrl, '--base-url', failing.baseUrl, '--model', 'sim', '--family', 'generic', '--endpoint-timeout-ms', '2000'], { out: () => {}, err: (s) => err.push(s) });
    expect(evalCode, err.join('\n')).toBe(0);
    const evalSummary = JSON.parse(readFileSync(path.join(evalDir, 'summary.json'), 'utf8'));
    expect(evalSummary.aggregates.overall.successes).toBe(2);
    const total = evalSummary.aggregates.endpoints;
    expect(total.find((e: { url: string }) => e.url === good.baseUrl).calls).toBe(good.requests.length - before);
    // The failing server was tried once, then rested through both episodes (one agent serves them in turn).
    expect(total.find((e: { url: string }) => e.url === failing.baseUrl).errors).toBe(1);
    const perEpisode = evalSummary.episodes.flatMap((e: { endpoints: { url: string; calls: number }[] }) => e.endpoints).filter((e: { url: string }) => e.url === good.baseUrl);
    expect(perEpisode.reduce((n: number, e: { calls: number }) => n + e.calls, 0)).toBe(good.requests.length - before);
    expect(readFileSync(path.join(evalDir, 'summary.md'), 'utf8')).toContain('## Model servers');
  });
});
