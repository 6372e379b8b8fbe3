import { ModelClientError } from './openai.ts';

export interface ServedModelsOptions {
  apiKeyEnv?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The chat-completions base (…/v1) of a server URL, with the path the models list sits under. */
function modelsUrl(baseUrl: string): string {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new ModelClientError(`base URL ${JSON.stringify(baseUrl)} is not a URL (expected e.g. http://127.0.0.1:8000/v1)`, 'config', baseUrl, false);
  }
  return base.href.replace(/\/+$/, '') + '/models';
}

/**
 * The models an OpenAI-compatible server serves (GET /v1/models, as vLLM, SGLang, Ollama and
 * llama.cpp answer it): their ids, in the server's order.
 */
export async function listServedModels(baseUrl: string, o: ServedModelsOptions = {}): Promise<string[]> {
  const url = modelsUrl(baseUrl);
  const headers: Record<string, string> = { ...o.headers, accept: 'application/json' };
  if (o.apiKeyEnv) {
    const key = process.env[o.apiKeyEnv];
    if (!key) throw new ModelClientError(`the API key variable ${o.apiKeyEnv} is not set in the environment`, 'config', url, false);
    headers.authorization = `Bearer ${key}`;
  }
  const timeout = AbortSignal.timeout(o.timeoutMs ?? 10_000);
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: o.signal ? AbortSignal.any([o.signal, timeout]) : timeout });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new ModelClientError(`GET ${url}: the server could not be reached (${cause})`, 'connection', url, true);
  }
  if (!res.ok) throw new ModelClientError(`GET ${url} → ${res.status} ${res.statusText}`, 'http', url, res.status >= 500, res.status);
  let json: any;
  try {
    json = await res.json();
  } catch {
    throw new ModelClientError(`GET ${url}: the answer is not JSON`, 'protocol', url, false);
  }
  const data = Array.isArray(json?.data) ? json.data : Array.isArray(json?.models) ? json.models : undefined;
  if (!data) throw new ModelClientError(`GET ${url}: the answer has no "data" list of models`, 'protocol', url, false);
  return data.map((m: any) => String(m?.id ?? m?.name ?? '')).filter((id: string) => id.length > 0);
}
