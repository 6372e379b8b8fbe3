// Client-side cost of one VLM step with the simulated server answering instantly:
// resize + encode the screenshot to the server's size, build the prompt and request body
// (base64 included), parse the reply; plus the whole decide() over HTTP for reference.
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { FAMILIES, getProfile } from '../../agents/families.ts';
import { ProfileAgent } from '../../agents/profile/profile-agent.ts';
import { CoordinateMapper } from '../../agents/profile/parsing/coordinates.ts';
import { prepareSentImage } from '../../agents/profile/sent-image.ts';
import { chatCompletionBody, OpenAiClient } from '../../src/model-clients/openai.ts';
import type { Frame } from '../../src/core/frame.ts';
import { startSimServer } from '../support/sim-server.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A screenshot-like frame: flat panels, lines of text, a few buttons (JPEG, as the browser executor captures). */
async function screenLike(width: number, height: number): Promise<Frame> {
  const rows: string[] = [];
  const s = width / 1920;
  for (let y = 120; y < 1040; y += 34) rows.push(`<text x="${80 * s}" y="${y * s}" font-size="${18 * s}" fill="#333">Row ${y}: the quick brown fox jumps over the lazy dog, 数据 ${y * 7}</text>`);
  for (let i = 0; i < 6; i++) rows.push(`<rect x="${(1300 + (i % 2) * 260) * s}" y="${(200 + Math.floor(i / 2) * 90) * s}" width="${220 * s}" height="${56 * s}" rx="${8 * s}" fill="#2a6df4"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f4f5f7"/><rect width="100%" height="${64 * s}" fill="#20232a"/>${rows.join('')}</svg>`;
  const image = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
  return { image, format: 'jpeg', width, height, scale: 1, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
}

export async function runVlmClientBench(iterations = 15): Promise<Record<string, Record<string, number | string>>> {
  const out: Record<string, Record<string, number | string>> = {};
  const box = (w: number, h: number): [number, number, number, number] => [w * 0.7, h * 0.2, w * 0.8, h * 0.25];
  for (const family of FAMILIES.filter((f) => !f.includes(':'))) {
    const profile = getProfile(family);
    const sim = await startSimServer({ family, answerKey: (_i, size) => box(size.width, size.height) });
    const engine = new OpenAiClient({ baseUrl: sim.baseUrl, model: family });
    const agent = new ProfileAgent({ profile, client: engine });
    try {
      for (const [w, h] of family === 'glm-4.1v-thinking' || family === 'ui-tars-1.5' ? [[1920, 1080], [3840, 2160]] : [[1920, 1080]]) {
        const frame = await screenLike(w, h);
        const resize: number[] = [];
        const build: number[] = [];
        const parse: number[] = [];
        const client: number[] = [];
        const decide: number[] = [];
        const floor: number[] = [];
        let sent = '';
        for (let k = 0; k < iterations + 2; k++) {
          const f = { ...frame, capturedAt: Date.now() }; // a new frame each step: no decode cache
          const b0 = performance.now();
          await sharp(f.image).jpeg({ quality: profile.image.quality }).toBuffer(); // decode+encode, no resize: the floor under the current load
          const b1 = performance.now();
          const t0 = performance.now();
          const image = await prepareSentImage(f, profile);
          const t1 = performance.now();
          const messages = profile.buildMessages({ instruction: 'Click "Row 120"', goal: 'Click "Row 120"', stepMode: false, history: [], image, platform: 'browser', language: 'English' });
          const body = JSON.stringify(chatCompletionBody({ messages, maxTokens: 8192, temperature: 0, tools: profile.request.tools, extra: profile.request.extra }, family, true));
          const t2 = performance.now();
          const reply = profile.simulator.answer([{ kind: 'click', box: box(image.width, image.height), label: 'Row 120' }], { width: image.width, height: image.height, specialTokens: true, explanation: 'I click it.' });
          const map = new CoordinateMapper(profile.coordinates, { frameWidth: w, frameHeight: h, sentWidth: image.width, sentHeight: image.height });
          const toolCalls = reply.toolCalls?.map((c, i) => ({ id: `c${i}`, name: c.name, arguments: JSON.stringify(c.arguments) }));
          profile.parse(reply.content, undefined, { map, toolCalls });
          const t3 = performance.now();
          const d0 = performance.now();
          await agent.decide({ goal: 'Click "Row 120"', frame: { ...frame, capturedAt: Date.now() }, history: [] });
          const d1 = performance.now();
          if (k < 2) continue; // warm-up
          sent = `${image.width}x${image.height} ${(image.data.length / 1024).toFixed(0)}KB, body ${(body.length / 1024).toFixed(0)}KB`;
          resize.push(t1 - t0);
          build.push(t2 - t1);
          parse.push(t3 - t2);
          client.push(t3 - t0);
          decide.push(d1 - d0);
          floor.push(b1 - b0);
        }
        out[`${family} ${w}x${h}`] = { sent, resizeEncode: median(resize), requestBuild: median(build), parse: median(parse), client: median(client), decideHttp: median(decide), reencodeFloor: median(floor) };
      }
    } finally {
      await sim.close();
    }
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runVlmClientBench();
  console.log('VLM client cost per step (median ms; simulated server answers instantly; target: client <= 40 ms at 1920x1080; floor = decode+encode without resize, to read the machine\'s load)');
  console.log('config                          resize+enc  request  parse  client  decide(http)  floor  sent');
  for (const [name, v] of Object.entries(r)) {
    const f = (x: number | string) => (typeof x === 'number' ? x.toFixed(x < 1 ? 3 : 1) : x);
    console.log(`${name.padEnd(31)} ${String(f(v.resizeEncode)).padStart(10)} ${String(f(v.requestBuild)).padStart(8)} ${String(f(v.parse)).padStart(6)} ${String(f(v.client)).padStart(7)} ${String(f(v.decideHttp)).padStart(13)} ${String(f(v.reencodeFloor)).padStart(6)}  ${v.sent}`);
  }
}
