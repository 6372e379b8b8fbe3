import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatImage, CompletionRequest } from '../../src/core/model-client.ts';
import { ModelClientError, OpenAiClient, type OpenAiClientOptions } from '../../src/model-clients/openai.ts';
import { redactProcessSecrets } from '../../src/core/secrets.ts';
import { startSimServer, type SimServer } from '../support/sim-server.ts';

let image: ChatImage;
let sim: SimServer;

beforeAll(async () => {
  const data = await sharp({ create: { width: 1288, height: 728, channels: 3, background: { r: 240, g: 240, b: 240 } } }).jpeg().toBuffer();
  image = { data, mime: 'image/jpeg', width: 1288, height: 728 };
  sim = await startSimServer({ family: 'glm-4.1v-thinking', answerKey: () => [600, 340, 688, 388], chunkChars: 8, layout: 'free' });
});
afterAll(() => sim.close());

function request(extra: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    messages: [{ role: 'user', content: [{ type: 'image', image }, { type: 'text', text: 'Task: Click "OK"' }] }],
    maxTokens: 512,
    temperature: 0.001,
    extra: { skip_special_tokens: false },
    ...extra,
  };
}

function engine(o: Partial<OpenAiClientOptions> = {}): OpenAiClient {
  return new OpenAiClient({ baseUrl: sim.baseUrl, model: 'glm-4.1v-9b-thinking', retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...o });
}

async function caught(p: Promise<unknown>): Promise<ModelClientError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ModelClientError);
    return e as ModelClientError;
  }
  throw new Error('expected the request to fail');
}

describe('OpenAiClient against the simulated server', () => {
  it('streams: text, reasoning_content, usage and time to first token', async () => {
    const n = sim.requests.length;
    const r = await engine().complete(request());
    expect(r.text).toContain('<|begin_of_box|>left_click(start_box=');
    expect(r.text.startsWith('<answer>')).toBe(true);
    expect(r.reasoning).toContain('I need to find the element');
    expect(r.usage!.outputTokens).toBeGreaterThan(5);
    expect(r.timings.firstTokenMs).toBeGreaterThan(0);
    expect(r.timings.firstTokenMs!).toBeLessThanOrEqual(r.timings.totalMs);
    expect(r.finishReason).toBe('stop');
    const body = sim.requests[n].body;
    expect(body.stream).toBe(true);
    expect(body.skip_special_tokens).toBe(false);
    expect(body.messages[0].content[0].image_url.url.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(sim.requests[n].imageSize).toEqual({ width: 1288, height: 728 });
  });

  it('non-streaming answers read the same, and the newer `reasoning` field is read too', async () => {
    const s2 = await startSimServer({ family: 'glm-4.1v-thinking', answerKey: () => [0, 0, 10, 10], reasoningField: 'reasoning', layout: 'free' });
    try {
      const r = await new OpenAiClient({ baseUrl: s2.baseUrl, model: 'm', stream: false }).complete(request());
      expect(r.text).toContain('left_click');
      expect(r.reasoning).toContain('I need to find the element');
      expect(r.timings.firstTokenMs).toBeUndefined();
      const rs = await new OpenAiClient({ baseUrl: s2.baseUrl, model: 'm' }).complete(request());
      expect(rs.reasoning).toContain('I need to find the element');
    } finally {
      await s2.close();
    }
  });

  it('passes vendor extras and structured-output schemas through', async () => {
    const n = sim.requests.length;
    await engine({ extraBody: { top_k: 2 } }).complete(request({ extra: { chat_template_kwargs: { enable_thinking: false } }, jsonSchema: { type: 'object' } }));
    const body = sim.requests[n].body;
    expect(body.top_k).toBe(2);
    expect(body.chat_template_kwargs).toEqual({ enable_thinking: false });
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'handeye_reply', schema: { type: 'object' } } });
  });

  it('retries 429 and 500 with backoff, then succeeds', async () => {
    const n = sim.requests.length;
    sim.inject('http-429', 'http-500');
    const r = await engine().complete(request());
    expect(r.attempts).toBe(3);
    expect(r.text).toContain('left_click');
    expect(sim.requests.slice(n).map((q) => q.fault)).toEqual(['http-429', 'http-500', undefined]);
  });

  it('does not retry 400, and the error names the URL and what the server said', async () => {
    const n = sim.requests.length;
    sim.inject('http-400');
    const e = await caught(engine().complete(request()));
    expect(e.kind).toBe('http');
    expect(e.status).toBe(400);
    expect(e.retryable).toBe(false);
    expect(e.message).toContain(`${sim.baseUrl}/chat/completions`);
    expect(e.message).toContain('more than 1 image per prompt');
    expect(sim.requests.length - n).toBe(1);
  });

  it('gives up after the configured retries', async () => {
    const n = sim.requests.length;
    sim.inject('http-500', 'http-500', 'http-500');
    const e = await caught(engine({ retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 10 } }).complete(request()));
    expect(e.status).toBe(500);
    expect(sim.requests.length - n).toBe(3);
  });

  it('retries a connection closed mid-stream and a dropped connection', async () => {
    sim.inject('close', 'drop');
    const r = await engine().complete(request());
    expect(r.attempts).toBe(3);
    expect(r.text).toContain('left_click');
  });

  it('ends a stream that stalls before the first token with a first-token timeout', async () => {
    sim.inject('stall');
    const t0 = Date.now();
    const e = await caught(engine({ timeouts: { firstTokenMs: 300 } }).complete(request()));
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/no token within 300 ms/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('ends a stream that stalls mid-way with an idle timeout, without retrying', async () => {
    const n = sim.requests.length;
    sim.inject('stall-mid');
    const e = await caught(engine({ timeouts: { idleMs: 300 } }).complete(request()));
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/stalled/);
    expect(sim.requests.length - n).toBe(1);
  });

  it('bounds the whole request with the total timeout', async () => {
    sim.inject('stall-mid');
    const e = await caught(engine({ timeouts: { totalMs: 400 } }).complete(request()));
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/within 400 ms/);
  });

  it('aborts through an AbortSignal, also during a stall', async () => {
    sim.inject('stall-mid');
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 150);
    const t0 = Date.now();
    const e = await caught(engine().complete(request({ signal: ctrl.signal })));
    expect(e.kind).toBe('aborted');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('reports a refused connection, naming the URL, after retrying', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const e = await caught(new OpenAiClient({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', retry: { maxRetries: 1, baseDelayMs: 5 } }).complete(request()));
    expect(e.kind).toBe('connection');
    expect(e.message).toContain(`http://127.0.0.1:${port}/v1/chat/completions`);
    expect(e.message).toMatch(/ECONNREFUSED/);
  });

  it('cuts the stream once thinking passes the reasoning budget', async () => {
    sim.inject('endless-thinking');
    const t0 = Date.now();
    const r = await engine().complete({ ...request({ maxTokens: 8192 }), reasoningBudgetTokens: 40 } as CompletionRequest);
    expect(r.finishReason).toBe('reasoning_budget');
    expect(r.text).toBe('');
    expect(r.reasoning!.length).toBeGreaterThan(40 * 4);
    expect(r.reasoning!.length).toBeLessThan(8192 * 8);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('sends the API key from the named variable and never puts it in errors', async () => {
    process.env.HANDEYE_TEST_KEY = 'sk-secret-123';
    try {
      const n = sim.requests.length;
      await engine({ apiKeyEnv: 'HANDEYE_TEST_KEY' }).complete(request());
      expect(sim.requests[n].headers.authorization).toBe('Bearer sk-secret-123');
      sim.inject('http-400');
      const e = await caught(engine({ apiKeyEnv: 'HANDEYE_TEST_KEY' }).complete(request()));
      expect(e.message).not.toContain('sk-secret-123');
    } finally {
      delete process.env.HANDEYE_TEST_KEY;
    }
    const e = await caught(engine({ apiKeyEnv: 'HANDEYE_TEST_KEY' }).complete(request()));
    expect(e.kind).toBe('config');
    expect(e.message).toContain('HANDEYE_TEST_KEY is not set');
  });

  it('sends extra headers, and scrubs their values (and the key) from an error that echoes them', async () => {
    process.env.HANDEYE_TEST_KEY2 = 'sk-echoed-key-456';
    try {
      const client = engine({ apiKeyEnv: 'HANDEYE_TEST_KEY2', headers: { 'x-gateway-token': 'gw-token-789xyz' } });
      const n = sim.requests.length;
      sim.inject('echo-key');
      const e = await caught(client.complete(request()));
      expect(sim.requests[n].headers['x-gateway-token']).toBe('gw-token-789xyz');
      expect(e.status).toBe(401);
      expect(e.message).toContain('Incorrect API key provided: Bearer {{redacted:HANDEYE_TEST_KEY2}}');
      expect(e.message).not.toContain('sk-echoed-key-456');
      expect(redactProcessSecrets('token gw-token-789xyz')).toBe('token {{redacted:header x-gateway-token}}');
    } finally {
      delete process.env.HANDEYE_TEST_KEY2;
    }
  });

  it('rejects a base URL that is not a URL', () => {
    expect(() => new OpenAiClient({ baseUrl: 'localhost:8000', model: 'm' })).toThrow(/not a URL/);
  });
});
