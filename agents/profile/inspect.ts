import { getProfile } from '../families.ts';
import type { ToolCall } from '../../src/core/model-client.ts';
import { ReplyParseError, type MarkedElement } from './profile.ts';
import { CoordinateMapper } from './parsing/coordinates.ts';
import { imageTokens, smartResize } from '../../kernels/smart-resize.ts';
import { sentSize } from './sent-image.ts';
import { ActionValidationError, parseAction, type Action } from '../../src/core/actions.ts';
import { assertInFrame, OutOfFrameError } from '../../src/core/frame.ts';

export interface ResizeInfo {
  width: number;
  height: number;
  tokens: number;
}

/** The size the family's server resamples a width x height screenshot to, and its image tokens (`handeye resize`). */
export function resizeInfo(family: string, width: number, height: number): ResizeInfo {
  const resize = getProfile(family).resize;
  const size = smartResize(width, height, resize);
  // One token per factor x factor block (patch 14 x merge 2 = 28; Qwen3-VL's patch 16 x 2 = 32).
  return { ...size, tokens: imageTokens(size, resize.factor / 2) };
}

/** A reply that does not turn into valid actions; the message says why, for people and for repair prompts. */
export class ReplyError extends Error {
  override name = 'ReplyError';
}

export interface ParsedReplyInfo {
  reasoning: string | null;
  actions: Action[];
}

export interface ReplyExtras {
  /** Function calls the server parsed off the reply (tool-calling families). */
  toolCalls?: ToolCall[];
  /** Set-of-marks: the numbered elements (boxes in frame pixels). */
  elements?: MarkedElement[];
  /** Where the pointer is, in frame pixels (Qwen's drag starts there). */
  pointer?: [number, number];
  /** The size of the image the model saw, when it was not the family's resize of the frame. */
  sent?: { width: number; height: number };
}

/**
 * A whole chat-completions response (as `curl` prints it) instead of the bare text: its
 * message's content, reasoning and tool calls. Anything else is the reply text itself.
 */
export function replyFromResponse(input: string): { text: string; reasoning?: string; toolCalls?: ToolCall[] } {
  const t = input.trim();
  if (!t.startsWith('{') || !t.includes('"choices"')) return { text: input };
  let json: any;
  try {
    json = JSON.parse(t);
  } catch {
    return { text: input };
  }
  const m = json?.choices?.[0]?.message;
  if (!m || typeof m !== 'object') return { text: input };
  const calls = Array.isArray(m.tool_calls)
    ? m.tool_calls.map((c: any, i: number) => ({ id: String(c.id ?? `call_${i}`), name: String(c.function?.name ?? ''), arguments: typeof c.function?.arguments === 'string' ? c.function.arguments : JSON.stringify(c.function?.arguments ?? {}) }))
    : undefined;
  const reasoning = m.reasoning_content ?? m.reasoning;
  return { text: typeof m.content === 'string' ? m.content : '', ...(typeof reasoning === 'string' ? { reasoning } : {}), ...(calls?.length ? { toolCalls: calls } : {}) };
}

/**
 * Parses a model reply as the agent would (`handeye parse`). `imageSize` is the screenshot (frame)
 * size; the image the model saw is the family's smart resize of it. Targets come back in frame pixels.
 * The reply may be the text alone or the server's whole JSON response (tool calls included).
 * Set-of-marks replies need the element list.
 */
export function parseReply(family: string, input: string, imageSize: { width: number; height: number }, extras: ReplyExtras = {}): ParsedReplyInfo {
  const profile = getProfile(family);
  if (profile.setOfMarks && !extras.elements) throw new ReplyError(`${family} names elements by number; parse needs the element list and is not available for it`);
  const { text, reasoning, toolCalls } = replyFromResponse(input);
  const sent = extras.sent ?? sentSize(imageSize.width, imageSize.height, profile.resize);
  const map = new CoordinateMapper(profile.coordinates, {
    frameWidth: imageSize.width,
    frameHeight: imageSize.height,
    sentWidth: sent.width,
    sentHeight: sent.height,
  });
  let parsed;
  try {
    parsed = profile.parse(text, reasoning, { map, toolCalls: extras.toolCalls ?? toolCalls, elements: extras.elements, pointer: extras.pointer });
  } catch (e) {
    if (e instanceof ReplyParseError) throw new ReplyError(`${family} reply does not parse: ${e.message}`);
    throw e;
  }
  const actions = parsed.actions.map((a, i) => {
    try {
      const action = parseAction(a);
      assertInFrame(imageSize, action);
      return action;
    } catch (e) {
      if (e instanceof ActionValidationError || e instanceof OutOfFrameError) {
        throw new ReplyError(`${family} reply, action ${i + 1}: ${e.message}`);
      }
      throw e;
    }
  });
  return { reasoning: parsed.reasoning ?? null, actions };
}

/** "1920x1080" → {width, height}; throws a clear error otherwise. */
export function parseSize(s: string): { width: number; height: number } {
  const m = /^\s*(\d+)\s*[x×X*]\s*(\d+)\s*$/.exec(s);
  if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0) throw new ReplyError(`image size must look like 1920x1080, got ${JSON.stringify(s)}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

export interface FamilyInfo {
  family: string;
  description: string;
  coordinates: string;
  tools: boolean;
  serving?: string;
}

/** Every family, as `handeye families` lists it. */
export async function familyList(): Promise<FamilyInfo[]> {
  const { PROFILES } = await import('../families.ts');
  return Object.values(PROFILES).map((p) => ({
    family: p.family,
    description: p.description,
    coordinates: p.setOfMarks ? 'numbered elements' : p.coordinates,
    tools: !!p.request.tools,
    ...(p.serving ? { serving: p.serving } : {}),
  }));
}
