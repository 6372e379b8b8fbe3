import type { Agent } from '../core/agent.ts';
import { EngineConfigError, createAgent } from '../../agents/registry.ts';
import type { HandeyeConfig } from './types.ts';
import { visionModel, type VisionModel } from './query.ts';

export type { VisionModel };

/**
 * The agent behind a configuration (the same registry the CLI uses), plus the VLM that query()
 * asks: only the openai engine has one; embedded and replay cannot answer questions about images.
 */
export async function createEngineAgent(config: HandeyeConfig): Promise<{ agent: Agent; vision?: VisionModel }> {
  const agent = await createAgent(config);
  const name = config.engine ?? process.env.HANDEYE_ENGINE;
  if (name !== 'openai') return { agent };
  if (!config.baseUrl || !config.model) throw new EngineConfigError('engine openai needs baseUrl and model');
  const { OpenAiClient } = await import('../model-clients/openai.ts');
  return { agent, vision: visionModel(new OpenAiClient({ baseUrl: config.baseUrl, model: config.model, apiKeyEnv: config.apiKeyEnv }), config.family) };
}
