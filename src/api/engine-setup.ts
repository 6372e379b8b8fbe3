import type { Agent } from '../core/agent.ts';
import { createAgent, resolveModel } from '../../agents/registry.ts';
import type { HandeyeConfig } from './types.ts';
import { visionModel, type VisionModel } from './query.ts';

export type { VisionModel };

/**
 * The agent behind a configuration (the same registry the CLI uses), plus the VLM that query()
 * asks: only the openai engine has one; embedded and replay cannot answer questions about images.
 */
export async function createEngineAgent(config: HandeyeConfig): Promise<{ agent: Agent; vision?: VisionModel }> {
  const name = config.engine ?? process.env.HANDEYE_ENGINE;
  if (name !== 'openai') return { agent: await withCache(await createAgent(config), config) };
  // Settled once, so the agent and query() talk to the same model.
  const resolved = await resolveModel(config);
  const agent = await withCache(await createAgent({ ...config, ...resolved, onNotice: undefined }), config);
  const { modelClientFor } = await import('../model-clients/client-for.ts');
  return { agent, vision: visionModel(modelClientFor({ baseUrls: resolved.baseUrls, model: resolved.model, apiKeyEnv: config.apiKeyEnv, endpointTimeoutMs: config.endpointTimeoutMs }), resolved.family) };
}

/** The agent behind a step cache, when the configuration asks for one (keyed by the agent's name). */
async function withCache(agent: Agent, config: HandeyeConfig): Promise<Agent> {
  if (!config.cache) return agent;
  const { CachingAgent } = await import('../cache/caching-agent.ts');
  const c = typeof config.cache === 'string' ? { dir: config.cache } : config.cache;
  return new CachingAgent(agent, { dir: c.dir, mode: c.mode, task: { id: config.name ?? 'handeye' }, onWarning: (w) => process.stderr.write(`handeye: cache: ${w}\n`) });
}
