import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import sharp from 'sharp';
import { getProfile } from '../../agents/families.ts';
import { splitTaskText } from '../../agents/profile/prompt-parts.ts';
import { RequestContractError, type EncodeOptions, type RequestView, type SimAnswer, type SimBox, type SimReply } from '../../agents/profile/simulate.ts';
import type { RgbImage } from '../../src/core/frame.ts';

export type { SimAnswer, SimBox };

/**
 * A simulated model server: real HTTP on 127.0.0.1 speaking chat completions (SSE streaming too,
 * tool calls, the reasoning field), answering as one family does. The family's simulator reads
 * the request back as the official layout has it (a request that breaks the layout is answered
 * 400 and recorded), the answer key (or the embedded OCR) says where the current instruction's
 * target is in the screenshot it decoded, and the simulator writes the reply in the family's
 * grammar and coordinates for the image size it received. Faults are injected on request.
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
  /**
   * Tool-calling families: 'parsed' (default) answers through tool_calls as vLLM's tool parser
   * does; 'text' leaves the calls in the text (no parser); 'refused' answers 400 to a request
   * with tools, as vLLM does without --enable-auto-tool-choice.
   */
  tools?: 'parsed' | 'text' | 'refused';
  /** Served model names (GET /v1/models); when given, a request for another model gets vLLM's 404. */
  served?: string[];
  /**
   * 'family' (default): read the request as the family's official layout and refuse others.
   * 'free': any request with an image and a "Task: …" line (client tests that send hand-made requests).
   */
  layout?: 'family' | 'free';
  /** A fault for every request once the injected ones are used up. */
  every?: Fault;
}

export interface RecordedRequest {
  body: any;
  headers: http.IncomingHttpHeaders;
  imageSize?: { width: number; height: number };
  instruction?: string;
  /** Earlier steps the request carried. */
  historySteps?: number;
  fault?: Fault;
  reply?: string;
  /** Why the request broke the family's layout, when it did (answered 400). */
  contractError?: string;
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

function decodeDataUrl(url: string): Buffer {
  const m = /^data:image\/(png|jpeg);base64,(.*)$/s.exec(url);
  if (!m) throw new Error(`image is not a base64 data URL: ${url.slice(0, 40)}`);
  return Buffer.from(m[2], 'base64');
}

async function ocrAnswer(instruction: string, rgb: RgbImage): Promise<SimAnswer | undefined> {
  const quoted = /"([^"]+)"/.exec(instruction)?.[1];
  if (!quoted) return undefined;
  const { OcrEngine } = await import('../../agents/embedded/ocr/ocr-engine.ts');
  const result = await OcrEngine.shared().recognize(rgb);
  const group = result.groups.find((g) => g.text.trim().toLowerCase() === quoted.toLowerCase()) ?? result.groups.find((g) => g.text.toLowerCase().includes(quoted.toLowerCase()));
  return group ? { kind: 'click', box: group.box, label: quoted } : undefined;
}

/** The GLM-4.6V tool-call text a model writes when no tool parser splits it off. */
function toolCallText(c: { name: string; arguments: Record<string, unknown> }): string {
  const args = Object.entries(c.arguments).map(([k, v]) => `<arg_key>${k}</arg_key>\n<arg_value>${typeof v === 'string' ? v : JSON.stringify(v)}</arg_value>\n`);
  return `<tool_call>${c.name}\n${args.join('')}</tool_call>`;
}

const REPAIR = 'Your previous answer could not be used:';

/** A hand-made request: the first image is the screenshot, the "Task: …" line the instruction. */
function freeView(body: any): RequestView {
  const parts = (body.messages ?? []).flatMap((m: any) => (Array.isArray(m.content) ? m.content : [{ type: 'text', text: String(m.content ?? '') }]));
  const image = parts.find((p: any) => p.type === 'image_url');
  if (!image) throw new RequestContractError('the request carries no image');
  const text = parts.filter((p: any) => p.type === 'text').map((p: any) => p.text).join('\n');
  return { task: /^Task: (.*)$/m.exec(text)?.[1] ?? '', current: image.image_url.url, historySteps: 0 };
}

/**
 * The request as the family's layout has it, without the turns handeye adds on top: repair
 * rounds (the rejected answer and "Your previous answer could not be used: …", at the end) and
 * the assistant prefix of a forced answer.
 */
function withoutOurTurns(body: any): any {
  const ms = [...(body.messages ?? [])];
  if (body.continue_final_message === true && ms.at(-1)?.role === 'assistant') ms.pop();
  const text = (m: any) => (typeof m?.content === 'string' ? m.content : Array.isArray(m?.content) ? m.content.map((p: any) => p.text ?? '').join('') : '');
  while (ms.length >= 3 && ms.at(-1).role === 'user' && text(ms.at(-1)).startsWith(REPAIR) && ms.at(-2).role === 'assistant') ms.splice(-2, 2);
  for (const m of ms) if (text(m).startsWith(REPAIR)) throw new RequestContractError('a repair prompt sits in the middle of the conversation');
  return { ...body, messages: ms };
}

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const profile = getProfile(options.family);
  const sim = profile.simulator;
  const reasoningField = options.reasoningField ?? 'reasoning_content';
  const chunk = options.chunkChars ?? 16;
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const stalled = new Set<http.ServerResponse>();
  /** task → history lengths at which it was answered: how many steps in a row an instruction has had. */
  const answered = new Map<string, Set<number>>();

  async function answer(body: any, rec: RecordedRequest, fault: Fault | undefined): Promise<{ thinking: string; reply: SimReply }> {
    const view = options.layout === 'free' ? freeView(body) : sim.read(withoutOurTurns(body));
    rec.historySteps = view.historySteps;
    const current = decodeDataUrl(view.current);
    const meta = await sharp(current).metadata();
    const size = { width: meta.width!, height: meta.height! };
    rec.imageSize = size;
    const { instruction, goal } = splitTaskText(view.task);
    rec.instruction = instruction;
    const seen = answered.get(view.task) ?? new Set<number>();
    let done = 0;
    while (seen.has(view.historySteps - 1 - done)) done++;
    let rgbP: Promise<RgbImage> | undefined;
    const rgb = () =>
      (rgbP ??= sharp(current).removeAlpha().raw().toBuffer({ resolveWithObject: true }).then(({ data, info }) => ({ data: new Uint8Array(data), width: info.width, height: info.height })));
    const ctx: AnswerContext = { instruction, goal, imageSize: size, doneForInstruction: done, prompt: view.task, rgb };
    let got = options.answerKey ? await options.answerKey(instruction, size, ctx) : undefined;
    if (got === undefined && options.useOcr) got = await ocrAnswer(instruction, await rgb());
    if (got === undefined) throw new Error(`the answer key has no answer for ${JSON.stringify(instruction)}`);
    const list: SimAnswer[] = Array.isArray(got) && typeof got[0] === 'number' ? [{ kind: 'click', box: got as SimBox }] : Array.isArray(got) ? (got as SimAnswer[]) : [got as SimAnswer];
    const elements = view.elements ?? [];
    const enc: EncodeOptions = {
      ...size,
      specialTokens: body.skip_special_tokens === false,
      boxes: options.glmBoxes,
      outOfRange: fault === 'out-of-range',
      explanation: `To follow "${instruction}" I act on the target.`,
      elementFor: (label) => {
        const el = elements.find((e) => e.text === label) ?? elements.find((e) => !!label && e.text.toLowerCase().includes(label.toLowerCase()));
        if (!el) throw new Error(`no numbered element matches ${JSON.stringify(label)}`);
        return el.id;
      },
    };
    let reply: SimReply;
    if (fault === 'malformed') reply = { content: sim.faults.malformed };
    else if (fault === 'unknown-action') reply = { content: sim.faults.unknownAction };
    else reply = sim.answer(sim.oneActionPerReply ? [list[Math.min(done, list.length - 1)]] : list, enc);
    seen.add(view.historySteps);
    answered.set(view.task, seen);
    if (reply.toolCalls && options.tools === 'text') reply = { content: [reply.content, ...reply.toolCalls.map(toolCallText)].join('\n') };
    rec.reply = reply.content + (reply.toolCalls ? reply.toolCalls.map((c) => `\n[tool call] ${c.name}(${JSON.stringify(c.arguments)})`).join('') : '');
    return { thinking: sim.thinks ? THINKING : '', reply };
  }

  function sendError(res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { message, type: 'sim_error', code: status } }));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: (options.served ?? [options.family]).map((id) => ({ id, object: 'model', owned_by: 'sim' })) }));
      return;
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return sendError(res, 404, `no route ${req.method} ${req.url}`);
    let body: any;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendError(res, 400, 'body is not JSON');
    }
    if (options.served && !options.served.includes(body.model)) return sendError(res, 404, `The model \`${body.model}\` does not exist.`);
    const fault = faults.shift() ?? options.every;
    const rec: RecordedRequest = { body, headers: req.headers, fault };
    requests.push(rec);
    if (fault === 'http-429') return sendError(res, 429, 'rate limited, slow down', { 'retry-after': '0' });
    if (fault === 'http-500') return sendError(res, 500, 'internal server error (simulated)');
    if (fault === 'http-400') return sendError(res, 400, 'this model does not accept more than 1 image per prompt (simulated)');
    if (fault === 'drop') return void req.socket.destroy();
    if (fault === 'never') return void stalled.add(res);
    if (fault === 'echo-key') return sendError(res, 401, `Incorrect API key provided: ${req.headers.authorization ?? '(none)'}. You can find your API key at https://example.test/keys.`);
    if (options.tools === 'refused' && Array.isArray(body.tools)) return sendError(res, 400, '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set (simulated)');
    const stream = body.stream === true;
    const maxTokens: number = body.max_tokens ?? 8192;
    let thinking = '';
    let content = '';
    let toolCalls: SimReply['toolCalls'];
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
        toolCalls = a.reply.toolCalls;
        if (toolCalls) finish = 'tool_calls';
        if (continuing) {
          // Forced answer: the assistant text ends with "</think><answer>"; continue after it.
          content = a.reply.content.replace(/^<answer>/, '');
          if (!String(last.content).endsWith('<answer>')) content = a.reply.content;
        } else {
          thinking = a.thinking;
          content = a.reply.content;
        }
      }
    } catch (e) {
      if (e instanceof RequestContractError) {
        rec.contractError = e.message;
        return sendError(res, 400, `the request breaks the ${options.family} layout: ${e.message}`);
      }
      return sendError(res, 400, (e as Error).message);
    }
    const wireCalls = toolCalls?.map((c, i) => ({ id: `call_${requests.length}_${i}`, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } }));
    const inline = reasoningField === 'inline';
    const usage = { prompt_tokens: Math.ceil(JSON.stringify(body).length / 400), completion_tokens: Math.ceil((thinking.length + content.length) / chunk), total_tokens: 0 };
    if (!stream) {
      const message: Record<string, unknown> = { role: 'assistant', content: inline && thinking ? `<think>${thinking}</think>${content}` : content };
      if (!inline && thinking) message[reasoningField] = thinking;
      if (wireCalls) message.tool_calls = wireCalls;
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
    // Tool calls stream as OpenAI does: the first piece names the call, the arguments follow in pieces.
    for (const [index, c] of (wireCalls ?? []).entries()) {
      send({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] });
      for (let i = 0; i < c.function.arguments.length; i += chunk) send({ tool_calls: [{ index, function: { arguments: c.function.arguments.slice(i, i + chunk) } }] });
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
