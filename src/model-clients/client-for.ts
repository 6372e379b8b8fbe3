import type { ModelClient } from '../core/model-client.ts';
import { EndpointPool } from './endpoint-pool.ts';
import { OpenAiClient } from './openai.ts';

export interface ClientForOptions {
  baseUrls: string[];
  model: string;
  apiKeyEnv?: string;
  /** With several servers: the time to the first token before a server counts as failed. */
  endpointTimeoutMs?: number;
}

/**
 * The model client for one server (retrying it), or for several (a pool that spreads the calls and
 * fails over; each server tried once per attempt, so a failing one is rested instead of retried).
 */
export function modelClientFor(o: ClientForOptions): ModelClient {
  if (o.baseUrls.length === 1) return new OpenAiClient({ baseUrl: o.baseUrls[0], model: o.model, apiKeyEnv: o.apiKeyEnv });
  const timeouts = o.endpointTimeoutMs ? { firstTokenMs: o.endpointTimeoutMs, connectMs: Math.min(10_000, o.endpointTimeoutMs) } : undefined;
  return new EndpointPool(o.baseUrls.map((url) => ({ url, client: new OpenAiClient({ baseUrl: url, model: o.model, apiKeyEnv: o.apiKeyEnv, retry: { maxRetries: 0 }, timeouts }) })));
}
