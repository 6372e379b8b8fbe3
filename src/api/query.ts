import { z } from 'zod';
import { getProfile } from '../../agents/families.ts';
import { splitThinking, stripBoxTokens } from '../../agents/profile/parsing/reply-text.ts';
import { LooseJsonError, parseLooseJson } from '../../agents/profile/parsing/tolerant-json.ts';
import type { ModelProfile } from '../../agents/profile/profile.ts';
import { prepareSentImage } from '../../agents/profile/sent-image.ts';
import type { ChatImage, ChatMessage, ModelClient, Usage } from '../core/model-client.ts';
import type { Frame } from '../core/frame.ts';
import type { Attempt } from '../core/trace-schema.ts';

/**
 * Questions about the screen answered by a VLM as data: the screenshot (sized for the family) and
 * the question go out with the JSON Schema of the answer (as structured output where the server
 * supports it, and in words for the others); the answer is parsed tolerantly and validated by the
 * caller's zod schema. An answer that does not validate is sent back once with what was wrong.
 */

/** The model a query goes to: an engine and the family profile that says how images are sized. */
export interface VisionModel {
  engine: ModelClient;
  profile: ModelProfile;
}

export function visionModel(engine: ModelClient, family = 'generic'): VisionModel {
  return { engine, profile: getProfile(family) };
}

export interface QueryOutcome<T> {
  ok: boolean;
  data?: T;
  /** The last answer text, thinking removed. */
  answer?: string;
  issues: string[];
  attempts: Attempt[];
  sentImage: ChatImage;
  usage: Usage;
  modelMs: number;
  /** The engine failed (unreachable, HTTP error): no answer at all. */
  engineError?: string;
}

/** Repair rounds after an answer that does not validate. */
const QUERY_REPAIRS = 1;

function prompt(question: string, jsonSchema: unknown): string {
  return `Look at the screenshot and answer the question about it.

Question: ${question}

Answer with one JSON value that matches this JSON Schema, and nothing else (no prose, no code fence):
${JSON.stringify(jsonSchema)}`;
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

export async function askVision<S extends z.ZodType>(model: VisionModel, frame: Frame, question: string, schema: S, signal?: AbortSignal): Promise<QueryOutcome<z.infer<S>>> {
  const { engine, profile } = model;
  const jsonSchema = z.toJSONSchema(schema, { unrepresentable: 'any' });
  const sentImage = await prepareSentImage(frame, profile);
  let messages: ChatMessage[] = [
    { role: 'user', content: [{ type: 'image', image: sentImage }, { type: 'text', text: prompt(question, jsonSchema) }] },
  ];
  const out: QueryOutcome<z.infer<S>> = { ok: false, issues: [], attempts: [], sentImage, usage: { inputTokens: 0, outputTokens: 0 }, modelMs: 0 };
  for (let round = 0; round <= QUERY_REPAIRS; round++) {
    const t0 = performance.now();
    let text: string;
    let reasoning: string | undefined;
    try {
      const r = await engine.complete({
        messages,
        maxTokens: profile.request.maxTokens,
        temperature: 0,
        jsonSchema: jsonSchema as Record<string, unknown>,
        extra: profile.request.extra,
        signal,
      });
      text = r.text;
      reasoning = r.reasoning;
      if (r.usage) {
        out.usage.inputTokens += r.usage.inputTokens;
        out.usage.outputTokens += r.usage.outputTokens;
      }
    } catch (e) {
      const ms = performance.now() - t0;
      out.modelMs += ms;
      out.engineError = `${engine.name} engine: ${(e as Error).message.split('\n')[0]}`;
      out.attempts.push({ candidates: [], errors: [out.engineError], rejectedBy: 'model', modelMs: ms });
      return out;
    }
    const ms = performance.now() - t0;
    out.modelMs += ms;
    const split = splitThinking(text, reasoning);
    const answer = stripBoxTokens(split.answer).trim();
    out.answer = answer;
    let value: unknown;
    let issues: string[];
    try {
      value = parseLooseJson(answer);
      const r = schema.safeParse(value);
      issues = r.success ? [] : issuesOf(r.error);
      if (r.success) out.data = r.data;
    } catch (e) {
      if (!(e instanceof LooseJsonError)) throw e;
      // A bare string or number answer to a scalar schema is still an answer.
      const scalar = schema.safeParse(answer);
      issues = scalar.success ? [] : [e.message];
      if (scalar.success) out.data = scalar.data;
      value = answer;
    }
    out.issues = issues;
    out.attempts.push({ raw: text, reasoning: split.reasoning, candidates: [value], errors: issues, rejectedBy: issues.length ? 'schema' : undefined, modelMs: ms });
    if (!issues.length) {
      out.ok = true;
      return out;
    }
    messages = [
      ...messages,
      { role: 'assistant', content: answer },
      { role: 'user', content: `That answer does not match the schema: ${issues.join('; ')}. Answer again with only the corrected JSON.` },
    ];
  }
  return out;
}
