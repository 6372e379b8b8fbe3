import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import sharp from 'sharp';
import { getProfile } from '../../agents/families.ts';
import type { RgbImage } from '../../src/core/frame.ts';
import {
  genericAnswer,
  glmAnswer,
  qwenAnswer,
  somAnswer,
  uiTarsAnswer,
  type EncodeOptions,
  type SimAnswer,
  type SimBox,
} from './family-replies.ts';

/**
 * A simulated model server: real HTTP on 127.0.0.1 speaking chat completions (SSE streaming too),
 * answering in the exact format of one family. It decodes the screenshot it was sent, asks the
 * answer key (or the embedded OCR) where the current instruction's target is, and writes it in
 * the family's coordinate space for the image size it received. Faults are injected on request.
 */

export type Fault =
  | 'malformed'
  | 'out-of-range'
  | 'unknown-action'
  | 'endless-thinking'
  | 'repetition'
  | 'http-429'
  | 'http-500'
  | 'http-400'
  | 'stall'
  | 'stall-mid'
  | 'close'
  | 'drop'
  /** Reads the request and never answers at all (no headers). */
  | 'never'
  /** HTTP 401 whose message echoes the Authorization header, as some servers do. */
  | 'echo-key'
  /** 20 MB of thinking before a valid answer. */
  | 'huge';

export interface AnswerContext {
  instruction: string;
  goal?: string;
  /** Size of the image the server received. */
  imageSize: { width: number; height: number };
  /** Earlier actions already taken for this same instruction (steps that need several actions). */
  doneForInstruction: number;
  prompt: string;
  rgb(): Promise<RgbImage>;
}

/** Where the target is, in pixels of the received image: a box (a click), one answer, or the answers the instruction needs in order. */
export type AnswerKey = (instruction: string, imageSize: { width: number; height: number }, ctx: AnswerContext) => SimBox | SimAnswer | SimAnswer[] | undefined | Promise<SimBox | SimAnswer | SimAnswer[] | undefined>;

export interface SimServerOptions {
  family: string;
  answerKey?: AnswerKey;
  /** Fall back to the embedded OCR to find the quoted text of the instruction. */
  useOcr?: boolean;
  /** Where thinking goes: a reasoning field (vLLM with --reasoning-parser, old or new name) or inline <think> tags. */
  reasoningField?: 'reasoning_content' | 'reasoning' | 'inline';
  /** Characters per streamed chunk. */
  chunkChars?: number;
  /** GLM: write boxes instead of points. */
  glmBoxes?: boolean;
  /** A fault for every request once the injected ones are used up. */
  every?: Fault;
}

export interface RecordedRequest {
  body: any;
  headers: http.IncomingHttpHeaders;
  imageSize?: { width: number; height: number };
  instruction?: string;
  fault?: Fault;
  reply?: string;
}

export interface SimServer {
  /** Base URL to give the engine: http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queues faults; each is used by one request, in order. */
  inject(...faults: Fault[]): void;
  close(): Promise<void>;
}

const THINKING = 'The screenshot shows the page. I need to find the element the instruction names and act on it. ';

function userText(body: any): string {
  const texts: string[] = [];
  for (const m of body.messages ?? []) {
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') texts.push(m.content);
    else for (const p of m.content ?? []) if (p.type === 'text') texts.push(p.text);
  }
  return texts.join('\n');
}

function images(body: any): string[] {
  const urls: string[] = [];
  for (const m of body.messages ?? []) {
    if (m.role !== 'user' || typeof m.content === 'string') continue;
    for (const p of m.content ?? []) if (p.type === 'image_url') urls.push(p.image_url.url);
  }
  return urls;
}

function decodeDataUrl(url: string): Buffer {
  const m = /^data:image\/(png|jpeg);base64,(.*)$/s.exec(url);
  if (!m) throw new Error(`image is not a base64 data URL: ${url.slice(0, 40)}`);
  return Buffer.from(m[2], 'base64');
}

function instructionOf(prompt: string): { instruction: string; goal?: string; done: number } {
  const goal = /^Task: (.*)$/m.exec(prompt)?.[1];
  const instruction = /^Current instruction: (.*)$/m.exec(prompt)?.[1] ?? goal ?? '';
  let done = 0;
  for (const m of prompt.matchAll(/^Step \d+ — instruction: (.*?) — action: /gm)) if (m[1] === instruction) done++;
  return { instruction, goal, done };
}

function elementsOf(prompt: string): { id: number; text: string }[] {
  return [...prompt.matchAll(/^\[(\d+)\]: \S+ (".*")$/gm)].map((m) => ({ id: Number(m[1]), text: JSON.parse(m[2]) as string }));
}

async function ocrAnswer(instruction: string, rgb: RgbImage): Promise<SimAnswer | undefined> {
  const quoted = /"([^"]+)"/.exec(instruction)?.[1];
  if (!quoted) return undefined;
  const { OcrEngine } = await import('../../agents/embedded/ocr/ocr-engine.ts');
  const result = await OcrEngine.shared().recognize(rgb);
  const group = result.groups.find((g) => g.text.trim().toLowerCase() === quoted.toLowerCase()) ?? result.groups.find((g) => g.text.toLowerCase().includes(quoted.toLowerCase()));
  return group ? { kind: 'click', box: group.box, label: quoted } : undefined;
}

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const profile = getProfile(options.family);
  const base = options.family.replace(/:.*$/, '');
  const thinks = base.startsWith('glm') && options.family !== 'glm-4.5v:nothink';
  const reasoningField = options.reasoningField ?? 'reasoning_content';
  const chunk = options.chunkChars ?? 16;
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const stalled = new Set<http.ServerResponse>();

  async function answer(body: any, rec: RecordedRequest, fault: Fault | undefined): Promise<{ thinking: string; content: string }> {
    const prompt = userText(body);
    const urls = images(body);
    if (!urls.length) throw new Error('the request carries no image');
    const current = decodeDataUrl(profile.imageOrder === 'current-first' ? urls[0] : urls[urls.length - 1]);
    const meta = await sharp(current).metadata();
    const size = { width: meta.width!, height: meta.height! };
    rec.imageSize = size;
    const { instruction, goal, done } = instructionOf(prompt);
    rec.instruction = instruction;
    let rgbP: Promise<RgbImage> | undefined;
    const rgb = () =>
      (rgbP ??= sharp(current).removeAlpha().raw().toBuffer({ resolveWithObject: true }).then(({ data, info }) => ({ data: new Uint8Array(data), width: info.width, height: info.height })));
    const ctx: AnswerContext = { instruction, goal, imageSize: size, doneForInstruction: done, prompt, rgb };
    let got = options.answerKey ? await options.answerKey(instruction, size, ctx) : undefined;
    if (got === undefined && options.useOcr) got = await ocrAnswer(instruction, await rgb());
    if (got === undefined) throw new Error(`the answer key has no answer for ${JSON.stringify(instruction)}`);
    const list: SimAnswer[] = Array.isArray(got) && typeof got[0] === 'number' ? [{ kind: 'click', box: got as SimBox }] : Array.isArray(got) ? (got as SimAnswer[]) : [got as SimAnswer];
    const elements = elementsOf(prompt);
    const enc: EncodeOptions = {
      ...size,
      specialTokens: body.skip_special_tokens === false,
      boxes: options.glmBoxes,
      outOfRange: fault === 'out-of-range',
      elementFor: (label) => {
        const el = elements.find((e) => e.text === label) ?? elements.find((e) => !!label && e.text.toLowerCase().includes(label.toLowerCase()));
        if (!el) throw new Error(`no numbered element matches ${JSON.stringify(label)}`);
        return el.id;
      },
    };
    const one = list[Math.min(done, list.length - 1)];
    const explanation = `To follow "${instruction}" I act on the target.`;
    let content: string;
    if (fault === 'malformed') content = base === 'ui-tars-1.5' ? 'Thought: I am not sure what to do here.' : base === 'qwen2.5-vl' || base === 'generic' ? '{"action": "click", "bbox_2d": [1, 2' : 'I would like to click the button but I will not say where.';
    else if (fault === 'unknown-action') content = base === 'ui-tars-1.5' ? "Thought: swipe.\nAction: swipe(start_box='(10,10)', direction='up')" : base === 'qwen2.5-vl' || base === 'generic' ? '{"action": "teleport"}' : options.family.endsWith(':som') ? 'Thought: x\nAction: Teleport [1]' : "<|begin_of_box|>triple_click(start_box='[500,500]')<|end_of_box|>";
    else if (options.family.endsWith(':som')) content = somAnswer(one, enc, explanation);
    else if (base.startsWith('glm')) content = glmAnswer(one, enc, explanation);
    else if (base === 'ui-tars-1.5') content = uiTarsAnswer(list, enc, explanation);
    else if (base === 'qwen2.5-vl') content = qwenAnswer(list, enc);
    else content = genericAnswer(list, enc, explanation);
    if (base === 'glm-4.1v-thinking') content = `<answer>${content}</answer>`;
    rec.reply = content;
    return { thinking: thinks ? THINKING : '', content };
  }

  function sendError(res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { message, type: 'sim_error', code: status } }));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return sendError(res, 404, `no route ${req.method} ${req.url}`);
    let body: any;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendError(res, 400, 'body is not JSON');
    }
    const fault = faults.shift() ?? options.every;
    const rec: RecordedRequest = { body, headers: req.headers, fault };
    requests.push(rec);
    if (fault === 'http-429') return sendError(res, 429, 'rate limited, slow down', { 'retry-after': '0' });
    if (fault === 'http-500') return sendError(res, 500, 'internal server error (simulated)');
    if (fault === 'http-400') return sendError(res, 400, 'this model does not accept more than 1 image per prompt (simulated)');
    if (fault === 'drop') return void req.socket.destroy();
    if (fault === 'never') return void stalled.add(res);
    if (fault === 'echo-key') return sendError(res, 401, `Incorrect API key provided: ${req.headers.authorization ?? '(none)'}. You can find your API key at https://example.test/keys.`);
    const stream = body.stream === true;
    const maxTokens: number = body.max_tokens ?? 8192;
    let thinking = '';
    let content = '';
    let finish = 'stop';
    const last = body.messages?.[body.messages.length - 1];
    const continuing = body.continue_final_message === true && last?.role === 'assistant';
    try {
      if (fault === 'endless-thinking' || fault === 'repetition') {
        const phrase = fault === 'repetition' ? 'Wait, let me look again. ' : 'Let me think about each element more carefully. ';
        thinking = phrase.repeat(Math.ceil((maxTokens * chunk) / phrase.length)).slice(0, maxTokens * chunk);
        finish = 'length';
      } else {
        const a = await answer(body, rec, fault);
        if (fault === 'huge') a.thinking = 'Let me look at every pixel once more. '.repeat(Math.ceil(20e6 / 38));
        if (continuing) {
          // Forced answer: the assistant text ends with "</think><answer>"; continue after it.
          content = a.content.replace(/^<answer>/, '');
          if (!String(last.content).endsWith('<answer>')) content = a.content;
        } else {
          thinking = a.thinking;
          content = a.content;
        }
      }
    } catch (e) {
      return sendError(res, 400, (e as Error).message);
    }
    const inline = reasoningField === 'inline';
    const usage = { prompt_tokens: Math.ceil(JSON.stringify(body).length / 400), completion_tokens: Math.ceil((thinking.length + content.length) / chunk), total_tokens: 0 };
    if (!stream) {
      const message: Record<string, unknown> = { role: 'assistant', content: inline && thinking ? `<think>${thinking}</think>${content}` : content };
      if (!inline && thinking) message[reasoningField] = thinking;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'sim', object: 'chat.completion', model: body.model, choices: [{ index: 0, message, finish_reason: finish }], usage }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      res.write(`data: ${JSON.stringify({ id: 'sim', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`);
    send({ role: 'assistant' });
    if (fault === 'stall' || fault === 'stall-mid') {
      // 'stall': headers, then silence before any token; 'stall-mid': silence after a first token.
      if (fault === 'stall-mid') send(inline ? { content: '<think>' } : { [reasoningField]: 'Let me' });
      stalled.add(res);
      return; // never another byte: the client's timeouts must end it
    }
    const pieces: [string, string][] = [];
    const think = inline && thinking ? `<think>${thinking}</think>` : thinking;
    const thinkChunk = fault === 'huge' ? 65_536 : chunk;
    for (let i = 0; i < think.length; i += thinkChunk) pieces.push([inline ? 'content' : reasoningField, think.slice(i, i + thinkChunk)]);
    for (let i = 0; i < content.length; i += chunk) pieces.push(['content', content.slice(i, i + chunk)]);
    for (let i = 0; i < pieces.length; i++) {
      if (res.destroyed) return;
      if (fault === 'close' && i === Math.floor(pieces.length / 2)) return void res.socket?.destroy();
      const ok = send({ [pieces[i][0]]: pieces[i][1] });
      if (!ok) await new Promise((r) => res.once('drain', r));
    }
    send({}, finish);
    res.write(`data: ${JSON.stringify({ id: 'sim', object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) sendError(res, 500, `simulator bug: ${(e as Error).message}`);
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    inject: (...f) => faults.push(...f),
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of stalled) r.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
