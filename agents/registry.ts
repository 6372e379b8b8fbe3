import type { Agent } from '../src/core/agent.ts';
import { ReplayAgent } from './replay/replay-agent.ts';

export class EngineConfigError extends Error {
  override name = 'EngineConfigError';
}

export interface EngineOptions {
  engine?: string;
  /** replay: the trace directory to replay. */
  replay?: string;
  baseUrl?: string;
  model?: string;
  family?: string;
  apiKeyEnv?: string;
}

export const ENGINE_NAMES = ['embedded', 'replay', 'openai'] as const;

/** The engine handeye uses when none is configured: the in-process OCR engine. */
export const DEFAULT_ENGINE = 'embedded';

/** Builds the agent behind `--engine NAME`. Throws EngineConfigError naming what is missing. */
export async function createAgent(o: EngineOptions): Promise<Agent> {
  const name = o.engine ?? process.env.HANDEYE_ENGINE ?? DEFAULT_ENGINE;
  switch (name) {
    case 'replay':
      if (!o.replay) throw new EngineConfigError('--engine replay needs --replay <trace-dir> (a trace recorded by an earlier run)');
      try {
        return new ReplayAgent(o.replay);
      } catch (e) {
        throw new EngineConfigError((e as Error).message);
      }
    case 'embedded': {
      const { EmbeddedAgent } = await import('./embedded/embedded-agent.ts');
      return new EmbeddedAgent();
    }
    case 'openai': {
      if (!o.baseUrl || !o.model) throw new EngineConfigError('--engine openai needs --base-url URL and --model NAME');
      const { OpenAiClient } = await import('../src/model-clients/openai.ts');
      const { getProfile } = await import('./families.ts');
      const { ProfileAgent } = await import('./profile/profile-agent.ts');
      let profile;
      try {
        profile = getProfile(o.family ?? 'generic');
      } catch (e) {
        throw new EngineConfigError((e as Error).message);
      }
      return new ProfileAgent({ profile, client: new OpenAiClient({ baseUrl: o.baseUrl, model: o.model, apiKeyEnv: o.apiKeyEnv }) });
    }
    default:
      throw new EngineConfigError(`unknown engine ${JSON.stringify(name)}; expected one of ${ENGINE_NAMES.join(', ')}`);
  }
}
