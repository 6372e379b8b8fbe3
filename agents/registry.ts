import type { Agent } from '../src/core/agent.ts';
import { ReplayAgent } from './replay/replay-agent.ts';

export class EngineConfigError extends Error {
  override name = 'EngineConfigError';
}

export interface EngineOptions {
  engine?: string;
  /** replay: the trace directory to replay. */
  replay?: string;
  /** One server, or several of the same model (calls are spread over them, and fail over). */
  baseUrl?: string | string[];
  model?: string;
  family?: string;
  apiKeyEnv?: string;
  /** With several servers: how long one may take to start answering before the call goes to another. */
  endpointTimeoutMs?: number;
  /** Told what was chosen for the user (the only served model, the family recognised from its name). */
  onNotice?: (line: string) => void;
}

/** What the openai engine talks to, once the model and family are settled. */
export interface ResolvedModel {
  /** The first server (the one the model list came from). */
  baseUrl: string;
  /** Every server, when several serve the model. */
  baseUrls: string[];
  model: string;
  family: string;
}

/** --base-url given once or more: the servers, in order, without repeats. */
export function baseUrlsOf(o: Pick<EngineOptions, 'baseUrl'>): string[] {
  const list = Array.isArray(o.baseUrl) ? o.baseUrl : o.baseUrl ? [o.baseUrl] : [];
  return [...new Set(list.map((u) => u.trim()).filter(Boolean))];
}

const DEFAULT_ENDPOINT_TIMEOUT_MS = 60_000;

/**
 * Settles the model and family of the openai engine: with no --model, the server's only model
 * (GET /v1/models); with --family auto, the family its served name belongs to. Each choice is
 * told through onNotice; an ambiguous or unknown one is an EngineConfigError naming the options.
 */
export async function resolveModel(o: EngineOptions): Promise<ResolvedModel> {
  const baseUrls = baseUrlsOf(o);
  if (!baseUrls.length) throw new EngineConfigError('--engine openai needs --base-url URL (e.g. http://127.0.0.1:8000/v1)');
  const baseUrl = baseUrls[0];
  let model = o.model;
  if (!model) {
    const { listServedModels } = await import('../src/model-clients/served-models.ts');
    let ids: string[];
    try {
      ids = await listServedModels(baseUrl, { apiKeyEnv: o.apiKeyEnv });
    } catch (e) {
      throw new EngineConfigError(`no --model given and the served models could not be listed: ${(e as Error).message}`);
    }
    if (ids.length !== 1) {
      throw new EngineConfigError(ids.length ? `--model is needed: ${baseUrl} serves ${ids.map((i) => JSON.stringify(i)).join(', ')}` : `--model is needed: ${baseUrl} lists no served model`);
    }
    model = ids[0];
    o.onNotice?.(`model: ${model} (the only model ${baseUrl} serves)`);
  }
  let family = o.family ?? 'generic';
  if (family === 'auto') {
    const { familyForModel, FAMILIES } = await import('./families.ts');
    const p = familyForModel(model);
    if (!p) throw new EngineConfigError(`--family auto does not recognise the model name ${JSON.stringify(model)}; pass --family, one of ${FAMILIES.join(', ')}`);
    family = p.family;
    o.onNotice?.(`family: ${family} (recognised from the model name ${JSON.stringify(model)})`);
  }
  return { baseUrl, baseUrls, model, family };
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
      const { getProfile } = await import('./families.ts');
      if (o.family && o.family !== 'auto') {
        try {
          getProfile(o.family); // an unknown family is told before the server is asked anything
        } catch (e) {
          throw new EngineConfigError((e as Error).message);
        }
      }
      const r = await resolveModel(o);
      const { modelClientFor } = await import('../src/model-clients/client-for.ts');
      const { ProfileAgent } = await import('./profile/profile-agent.ts');
      let client;
      try {
        client = modelClientFor({ baseUrls: r.baseUrls, model: r.model, apiKeyEnv: o.apiKeyEnv, endpointTimeoutMs: o.endpointTimeoutMs ?? DEFAULT_ENDPOINT_TIMEOUT_MS });
      } catch (e) {
        throw new EngineConfigError((e as Error).message);
      }
      return new ProfileAgent({ profile: getProfile(r.family), client });
    }
    default:
      throw new EngineConfigError(`unknown engine ${JSON.stringify(name)}; expected one of ${ENGINE_NAMES.join(', ')}`);
  }
}
