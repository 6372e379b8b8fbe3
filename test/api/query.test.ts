import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandeye, QueryError, type Handeye } from '../../src/api/index.ts';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { OcrEngine } from '../../agents/embedded/ocr/ocr-engine.ts';
import { startStaticServer, type StaticServer } from '../../src/run/static-server.ts';
import { readTrace } from '../../src/core/trace.ts';

/**
 * query() against a VLM: a real chat-completions server on 127.0.0.1 stands in for the model. It
 * reads the screenshot it was sent with the embedded OCR and answers from what it read (the tallest
 * line is the heading), in the shape the test's behaviour asks for.
 */

type Behaviour = 'answer' | 'wrong-field' | 'prose';

interface Seen {
  body: any;
  imageSize: { width: number; height: number };
}

async function startVlm(behaviours: Behaviour[]) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', async () => {
      try {
        const body = JSON.parse(raw);
        const first = body.messages[0].content as any[];
        const url = first.find((p) => p.type === 'image_url').image_url.url as string;
        const png = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
        const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        seen.push({ body, imageSize: { width: info.width, height: info.height } });
        const ocr = await OcrEngine.shared().recognize({ data: new Uint8Array(data), width: info.width, height: info.height });
        const heading = [...ocr.lines].sort((a, b) => b.box[3] - b.box[1] - (a.box[3] - a.box[1]))[0]?.text ?? '';
        const how = behaviours[Math.min(seen.length - 1, behaviours.length - 1)];
        const content =
          how === 'answer' ? `Reading the page.\n{"heading": ${JSON.stringify(heading)}, "fields": ${ocr.lines.filter((l) => /^(Username|Password)$/.test(l.text)).length}}` : how === 'wrong-field' ? JSON.stringify({ title: heading }) : 'The heading says hello.';
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 900, completion_tokens: 20 } }));
      } catch (e) {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: { message: (e as Error).message } }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const TASKS = path.resolve(import.meta.dirname, '..', '..', 'tasks');
const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-query-'));
let site: StaticServer;
let browser: Browser;
let page: Page;
let agent: Handeye | undefined;
let vlm: Awaited<ReturnType<typeof startVlm>> | undefined;
let n = 0;

beforeAll(async () => {
  site = await startStaticServer(TASKS);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  rmSync(tmp, { recursive: true, force: true });
});
afterEach(async () => {
  await agent?.close();
  await vlm?.close();
  if (page && !page.isClosed()) await page.close();
});

async function open(behaviours: Behaviour[]): Promise<Handeye> {
  vlm = await startVlm(behaviours);
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(site.resolve('/login/index.html'));
  // The stand-in answers in one JSON body, which the engine accepts where it asked for a stream; streaming is tested elsewhere.
  agent = await createHandeye(page, { engine: 'openai', baseUrl: vlm.baseUrl, model: 'stand-in', family: 'generic', traceDir: path.join(tmp, `q${n++}`) });
  return agent;
}

const Heading = z.object({ heading: z.string(), fields: z.number().int() });

describe('query with a VLM', () => {
  it('returns the answer as data validated by the schema, and records it', async () => {
    const a = await open(['answer']);
    const data = await a.query('What does the page heading say, and how many input fields are labelled?', Heading);
    expect(data).toEqual({ heading: 'Sign in to Example', fields: 2 });
    // One request: the screenshot sized for the family, the question, the schema as structured output.
    expect(vlm!.seen).toHaveLength(1);
    const body = vlm!.seen[0].body;
    expect(body.response_format.json_schema.schema.required).toEqual(['heading', 'fields']);
    expect(body.messages[0].content.find((p: any) => p.type === 'text').text).toMatch(/how many input fields/);
    await a.close();
    const t = readTrace(a.traceDir);
    expect(t.steps).toHaveLength(1);
    expect(t.steps[0]).toMatchObject({ instruction: expect.stringMatching(/^query "What does the page heading say/), outcome: 'done', tokens: { input: 900, output: 20 } });
    expect(t.steps[0].frame.sent).toMatchObject(vlm!.seen[0].imageSize);
  });

  it('sends an answer that does not validate back once with what was wrong', async () => {
    const a = await open(['wrong-field', 'answer']);
    const data = await a.query('What does the page heading say?', Heading);
    expect(data.heading).toBe('Sign in to Example');
    expect(vlm!.seen).toHaveLength(2);
    const repair = vlm!.seen[1].body.messages.at(-1).content as string;
    expect(repair).toMatch(/does not match the schema: heading: .*expected string/i);
  });

  it('throws QueryError with the answer and the issues when the model never complies', async () => {
    const a = await open(['prose']);
    const e = await a.query('What does the page heading say?', Heading).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(QueryError);
    expect(e).toMatchObject({ code: 'query-failed', answer: 'The heading says hello.', issues: ['no JSON object or array found in the reply'] });
    expect(existsSync((e as QueryError).trace.frame!)).toBe(true);
    expect(vlm!.seen).toHaveLength(2);
  });
});
