/**
 * What a faithful server of a family does, as data the tests loop over: read a chat-completions
 * request back the way the family lays it out (refusing one that breaks the layout), and write
 * answers in the family's grammar and coordinates. Each family folder holds its own simulator;
 * the parsers are checked against the official replies in test/fixtures, not against these.
 */

/** A box in pixels of the image the server received. */
export type SimBox = [number, number, number, number];

export type SimAnswer =
  | { kind: 'click'; box: SimBox; label?: string; button?: 'left' | 'right'; count?: 1 | 2 }
  | { kind: 'type'; text: string; box?: SimBox; label?: string; submit?: boolean }
  | { kind: 'key'; keys: string[] }
  | { kind: 'scroll'; direction: 'up' | 'down'; box?: SimBox }
  | { kind: 'long_press'; box: SimBox; label?: string }
  /** A finger swipe: the direction it moves, over a region (the whole screen when absent), and the two points for grammars that write them. */
  | { kind: 'swipe'; direction: 'up' | 'down' | 'left' | 'right'; region?: SimBox; from: [number, number]; to: [number, number] }
  | { kind: 'wait' }
  | { kind: 'finish'; answer?: string }
  | { kind: 'fail'; reason: string };

export interface EncodeOptions {
  /** Size of the image the model received. */
  width: number;
  height: number;
  /** Box tokens kept (the request set skip_special_tokens: false). */
  specialTokens: boolean;
  /** GLM: write boxes [x1,y1,x2,y2] instead of centre points. */
  boxes?: boolean;
  /** Set-of-marks: element number for a label. */
  elementFor?: (label: string | undefined, box: SimBox | undefined) => number;
  /** Coordinates pushed out of range (fault injection). */
  outOfRange?: boolean;
  /** The model's visible explanation of its step. */
  explanation: string;
}

/** A simulated reply: text, and the function calls a tool-call parser would have split off. */
export interface SimReply {
  content: string;
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }>;
}

/** What the server reads back out of a request. */
export interface RequestView {
  /** The task exactly as the family's layout carries it. */
  task: string;
  /** The current screenshot's data URL. */
  current: string;
  /** Earlier steps the request carries. */
  historySteps: number;
  /** Set-of-marks: the element list the prompt gives. */
  elements?: Array<{ id: number; text: string }>;
}

export interface FamilySimulator {
  /** Reads a request body; throws RequestContractError naming what the family's layout expects. */
  read(body: ChatBody): RequestView;
  /** Writes the answers (one step's actions, in order) as the model does. */
  answer(answers: SimAnswer[], o: EncodeOptions): SimReply;
  /** Replies the parser must refuse: one that breaks the grammar, one that names an action the grammar lacks. */
  faults: { malformed: string; unknownAction: string };
  /** The model thinks before it answers (the server sends the thinking first). */
  thinks: boolean;
  /** The model does not answer in one reply when a step needs a click then typing (one action per step). */
  oneActionPerReply: boolean;
}

/** The parts of an OpenAI chat-completions body the simulators read. */
export interface ChatBody {
  messages?: Array<{ role?: string; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown }>;
  tools?: unknown;
  [key: string]: unknown;
}

export class RequestContractError extends Error {
  override name = 'RequestContractError';
}

export function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new RequestContractError(what);
}

export type BodyPart = { type: 'text'; text: string } | { type: 'image'; url: string };

/** A message's content as text and image parts, in order (a string content is one text part). */
export function partsOf(m: { content?: unknown }): BodyPart[] {
  if (typeof m.content === 'string') return [{ type: 'text', text: m.content }];
  expect(Array.isArray(m.content), 'message content must be a string or a list of parts');
  return (m.content as Array<Record<string, any>>).map((p, i) => {
    if (p.type === 'text' && typeof p.text === 'string') return { type: 'text', text: p.text };
    if (p.type === 'image_url' && typeof p.image_url?.url === 'string') return { type: 'image', url: p.image_url.url };
    throw new RequestContractError(`content part ${i} is neither text nor image_url`);
  });
}

export function messages(body: ChatBody): NonNullable<ChatBody['messages']> {
  expect(Array.isArray(body.messages) && body.messages.length > 0, 'the request has no messages');
  return body.messages!;
}

export const imagesIn = (parts: BodyPart[]): string[] => parts.filter((p) => p.type === 'image').map((p) => (p as { url: string }).url);
export const textIn = (parts: BodyPart[]): string => parts.filter((p) => p.type === 'text').map((p) => (p as { text: string }).text).join('');

/** The text between a line that starts with `before` and the next line that starts with `after` (or the end). */
export function between(text: string, before: string, after?: string): string {
  const i = text.indexOf(before);
  expect(i >= 0, `the prompt has no ${JSON.stringify(before)}`);
  const from = i + before.length;
  const j = after === undefined ? -1 : text.indexOf(after, from);
  expect(after === undefined || j >= 0, `the prompt has no ${JSON.stringify(after)} after ${JSON.stringify(before)}`);
  return text.slice(from, j < 0 ? undefined : j);
}

export const thousandths = (v: number, size: number) => Math.round((v / size) * 1000);
export const centre = (b: SimBox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];

/** A Python string literal in single quotes, as the models write call arguments. */
export const pyQuote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
