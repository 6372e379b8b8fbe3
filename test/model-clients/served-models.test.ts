import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { familyForModel } from '../../agents/families.ts';
import { createAgent, EngineConfigError } from '../../agents/registry.ts';
import type { ProfileAgent } from '../../agents/profile/profile-agent.ts';
import { ModelClientError, OpenAiClient } from '../../src/model-clients/openai.ts';
import { listServedModels } from '../../src/model-clients/served-models.ts';
import { startSimServer, type SimServer } from '../support/sim-server.ts';

let servers: SimServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(family: string, served: string[]): Promise<SimServer> {
  const sim = await startSimServer({ family, served, answerKey: (_i, size) => [size.width / 2 - 10, size.height / 2 - 10, size.width / 2 + 10, size.height / 2 + 10] });
  servers.push(sim);
  return sim;
}

async function frame() {
  const image = await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 200, g: 200, b: 200 } } }).png().toBuffer();
  return { image, format: 'png' as const, width: 640, height: 360, scale: 1, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
}

describe('model discovery (GET /v1/models)', () => {
  it('lists the served models in the server order', async () => {
    const sim = await serve('generic', ['a-model', 'b-model']);
    expect(await listServedModels(sim.baseUrl)).toEqual(['a-model', 'b-model']);
  });

  it('an unreachable server is a connection error naming the URL', async () => {
    const e = await listServedModels('http://127.0.0.1:9/v1', { timeoutMs: 2000 }).catch((x) => x);
    expect(e).toBeInstanceOf(ModelClientError);
    expect(e.kind).toBe('connection');
    expect(e.message).toContain('http://127.0.0.1:9/v1/models');
  });

  it('without --model, the only served model is used and said; the agent then works', async () => {
    const sim = await serve('qwen3-vl', ['Qwen/Qwen3-VL-8B-Instruct']);
    const notices: string[] = [];
    const agent = (await createAgent({ engine: 'openai', baseUrl: sim.baseUrl, family: 'qwen3-vl', onNotice: (l) => notices.push(l) })) as ProfileAgent;
    expect(notices).toEqual([`model: Qwen/Qwen3-VL-8B-Instruct (the only model ${sim.baseUrl} serves)`]);
    const d = await agent.decide({ goal: 'Click "OK"', frame: await frame(), history: [] });
    expect(d.parseError).toBeUndefined();
    expect(sim.requests.at(-1)!.body.model).toBe('Qwen/Qwen3-VL-8B-Instruct');
  });

  it('without --model, several served models is a usage error that names them', async () => {
    const sim = await serve('generic', ['glm-4.5v', 'qwen3-vl']);
    const e = await createAgent({ engine: 'openai', baseUrl: sim.baseUrl }).catch((x) => x);
    expect(e).toBeInstanceOf(EngineConfigError);
    expect(e.message).toBe(`--model is needed: ${sim.baseUrl} serves "glm-4.5v", "qwen3-vl"`);
  });

  it('--family auto picks the family from the served name and says so; an unknown name lists the families', async () => {
    const sim = await serve('glm-4.6v-flash', ['zai-org/GLM-4.6V-Flash']);
    const notices: string[] = [];
    const agent = await createAgent({ engine: 'openai', baseUrl: sim.baseUrl, family: 'auto', onNotice: (l) => notices.push(l) });
    expect(agent.name).toBe('vlm:glm-4.6v-flash');
    expect(notices[1]).toBe('family: glm-4.6v-flash (recognised from the model name "zai-org/GLM-4.6V-Flash")');
    const d = await (agent as ProfileAgent).decide({ goal: 'Click "OK"', frame: await frame(), history: [] });
    expect(d.toolCalls?.[0].name).toBe('left_click');
    const e = await createAgent({ engine: 'openai', baseUrl: sim.baseUrl, model: 'llava-1.6', family: 'auto' }).catch((x) => x);
    expect(e).toBeInstanceOf(EngineConfigError);
    expect(e.message).toMatch(/--family auto does not recognise the model name "llava-1.6"; pass --family, one of glm-4.1v-thinking, .*qwen3-vl:mobile, generic$/);
  });

  it('a 404 for a model the server does not serve names the ones it does', async () => {
    const sim = await serve('generic', ['glm-4.5v']);
    const client = new OpenAiClient({ baseUrl: sim.baseUrl, model: 'glm-4.5V-typo', retry: { maxRetries: 0 } });
    const e = await client.complete({ messages: [{ role: 'user', content: 'hi' }] }).catch((x) => x);
    expect(e).toBeInstanceOf(ModelClientError);
    expect(e.status).toBe(404);
    expect(e.message).toContain('model "glm-4.5V-typo" is not served here; the server serves "glm-4.5v": pass one with --model');
  });

  it('recognises the names models are served under', () => {
    const cases: Record<string, string | undefined> = {
      'zai-org/GLM-4.1V-9B-Thinking': 'glm-4.1v-thinking',
      'glm-4.1v-thinking': 'glm-4.1v-thinking',
      'glm-4.5v': 'glm-4.5v',
      'zai-org/GLM-4.5V-FP8': 'glm-4.5v',
      'glm-4.6v': 'glm-4.6v',
      'GLM-4.6V-Flash': 'glm-4.6v-flash',
      'ByteDance-Seed/UI-TARS-1.5-7B': 'ui-tars-1.5',
      'ui-tars': 'ui-tars-1.0',
      'bytedance-research/UI-TARS-7B-DPO': 'ui-tars-1.0',
      'doubao-1-5-ui-tars-250428': 'ui-tars-2',
      'UI-TARS-2': 'ui-tars-2',
      'Qwen/Qwen2.5-VL-7B-Instruct': 'qwen2.5-vl',
      'Qwen3-VL-8B-Instruct': 'qwen3-vl',
      'qwen3vl-235A22-instruct': 'qwen3-vl',
      'llava-1.6-mistral': undefined,
    };
    for (const [name, family] of Object.entries(cases)) expect(familyForModel(name)?.family, name).toBe(family);
  });
});
