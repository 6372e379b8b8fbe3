import path from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import type { Handeye } from '../api/handeye.ts';
import { HandeyeUsageError } from '../api/errors.ts';
import * as S from './schemas.ts';
import type { CallContext, SessionManager } from './session-manager.ts';
import type { ServiceSession } from './service-session.ts';
import { runTaskForClient } from './task-runner.ts';

/**
 * The service's operations, described once as data: the MCP server registers each as a tool and
 * the HTTP API mounts each on its route, with the same input and output schemas. Adding an
 * operation here adds it to both, and to /openapi.json.
 */
export interface Operation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** The MCP tool's name. */
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  http: { method: 'GET' | 'POST' | 'DELETE'; path: string; status?: number };
  /** Reads the screen without changing it. */
  readOnly?: boolean;
  /** Returns an image besides its JSON (screenshot). */
  image?: boolean;
  run(m: SessionManager, args: z.infer<I>, ctx: CallContext): Promise<z.infer<O> & { image?: Buffer }>;
}

const op = <I extends z.ZodType, O extends z.ZodType>(o: Operation<I, O>): Operation => o as unknown as Operation;

/** A step call on the session the arguments name, its result tagged with the session id. */
function onSession<R extends object>(m: SessionManager, args: { session?: string }, ctx: CallContext, call: (h: Handeye, s: ServiceSession) => Promise<R>) {
  return m.call(args.session, async (s) => ({ ...(await call(s.handeye, s)), session: s.id }), ctx);
}

const sessionPath = (name: string) => `/sessions/{session}/${name}`;
const without = <T extends { session?: string }, K extends keyof T>(args: T, ...keys: K[]) => {
  const out: Partial<T> = { ...args };
  delete out.session;
  for (const k of keys) delete out[k];
  return out;
};

export const OPERATIONS: Operation[] = [
  op({
    name: 'open',
    title: 'Open a session',
    description: 'Opens a session on a web page (launched, or in a running Chromium over CDP) or on a desktop. Returns the session id the other tools take, and where its trace is written.',
    input: S.OpenInputSchema,
    output: S.OpenResultSchema,
    http: { method: 'POST', path: '/sessions', status: 201 },
    run: async (m, args, ctx) => (await m.open(args, ctx)).info(),
  }),
  op({
    name: 'list_sessions',
    title: 'List sessions',
    description: 'The open sessions: id, what each opened, its trace, how long it has been idle.',
    input: z.object({}).strict(),
    output: S.ListResultSchema,
    http: { method: 'GET', path: '/sessions' },
    readOnly: true,
    run: async (m) => ({ sessions: m.list().map((s) => s.info()) }),
  }),
  op({
    name: 'act',
    title: 'Work toward a goal',
    description: 'Works toward a goal in words until the agent finishes, fails or runs out of budget. Returns the actions taken (targets in frame pixels), the answer if any, and the trace.',
    input: S.ActInputSchema,
    output: S.ActOutputSchema,
    http: { method: 'POST', path: sessionPath('act') },
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => h.act(a.goal)),
  }),
  op({
    name: 'click',
    title: 'Click a visible target',
    description: 'Clicks what the target names, as a person would see it: "Sign in", "the search field". Returns the click (box and point in frame pixels) and the trace step.',
    input: S.ClickInputSchema,
    output: S.StepOutputSchema,
    http: { method: 'POST', path: sessionPath('click') },
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => h.click(a.target, without(a, 'target'))),
  }),
  op({
    name: 'hover',
    title: 'Hover over a visible target',
    description: 'Moves the pointer over what the target names.',
    input: S.HoverInputSchema,
    output: S.StepOutputSchema,
    http: { method: 'POST', path: sessionPath('hover') },
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => h.hover(a.target)),
  }),
  op({
    name: 'type',
    title: 'Type text',
    description: 'Types text into the field named by into (clicked first), or at the focus. clear empties the field first; submit presses Enter after.',
    input: S.TypeInputSchema,
    output: S.StepOutputSchema,
    http: { method: 'POST', path: sessionPath('type') },
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => h.type(a.text, without(a, 'text'))),
  }),
  op({
    name: 'press',
    title: 'Press keys',
    description: 'Presses a key or a chord: "Enter", "Escape", "ctrl+a", ["Control", "a"].',
    input: S.PressInputSchema,
    output: S.StepOutputSchema,
    http: { method: 'POST', path: sessionPath('press') },
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => h.press(a.keys)),
  }),
  op({
    name: 'scroll',
    title: 'Scroll',
    description: 'Scrolls the page (or over the target at) by amount notches, or until the text until shows.',
    input: S.ScrollInputSchema,
    output: S.StepOutputSchema,
    http: { method: 'POST', path: sessionPath('scroll') },
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => h.scroll(a.direction, without(a, 'direction'))),
  }),
  op({
    name: 'select',
    title: 'Choose an option',
    description: 'Chooses an option of a select, a dropdown or a radio list, optionally in the list labelled in.',
    input: S.SelectInputSchema,
    output: S.StepOutputSchema,
    http: { method: 'POST', path: sessionPath('select') },
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => h.select(a.option, without(a, 'option'))),
  }),
  op({
    name: 'drag',
    title: 'Drag and drop',
    description: 'Drags what from names and drops it on what to names.',
    input: S.DragInputSchema,
    output: S.StepOutputSchema,
    http: { method: 'POST', path: sessionPath('drag') },
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => h.drag(a.from, a.to)),
  }),
  op({
    name: 'locate',
    title: 'Find a target',
    description: 'Finds a target without acting: its box and click point in page coordinates (CSS px; screen points on a desktop) and in frame pixels.',
    input: S.LocateInputSchema,
    output: S.LocateOutputSchema,
    http: { method: 'POST', path: sessionPath('locate') },
    readOnly: true,
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => h.locate(a.target)),
  }),
  op({
    name: 'assert',
    title: 'Check the screen',
    description: 'Checks that a statement holds on screen (with the embedded engine: that the text shows). Fails with assertion-failed when it does not.',
    input: S.AssertInputSchema,
    output: S.StepOutputSchema,
    http: { method: 'POST', path: sessionPath('assert') },
    readOnly: true,
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => h.assert(a.statement)),
  }),
  op({
    name: 'wait_for',
    title: 'Wait for the screen',
    description: 'Waits until a statement holds on screen, up to timeout ms (default 10000).',
    input: S.WaitForInputSchema,
    output: S.StepOutputSchema,
    http: { method: 'POST', path: sessionPath('wait_for') },
    readOnly: true,
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => h.waitFor(a.statement, without(a, 'statement'))),
  }),
  op({
    name: 'query',
    title: 'Ask the model about the screen',
    description: 'Asks the vision-language model a question about the screen; the answer is validated against schema (JSON Schema, default a string). Needs the openai engine.',
    input: S.QueryInputSchema,
    output: S.QueryOutputSchema,
    http: { method: 'POST', path: sessionPath('query') },
    readOnly: true,
    run: (m, a, ctx) => onSession(m, a, ctx, async (h, s) => ({ answer: await h.query(a.question, answerSchema(a.schema, h)), trace: { dir: path.resolve(s.traceDir) } })),
  }),
  op({
    name: 'screenshot',
    title: 'Take a screenshot',
    description: 'The screen as an image (PNG by default, downscaled to maxWidth, at most 1920 wide unless asked).',
    input: S.ScreenshotInputSchema,
    output: S.ScreenshotResultSchema.extend({ session: z.string() }),
    http: { method: 'GET', path: sessionPath('screenshot') },
    readOnly: true,
    image: true,
    run: (m, a, ctx) => onSession(m, a, ctx, (h) => screenshot(h, a)),
  }),
  op({
    name: 'run_task',
    title: 'Run a task file',
    description: 'Runs a task (a task file on the server, or one written inline) end to end in its own browser or desktop, and returns its summary.',
    input: S.RunTaskInputSchema,
    output: S.RunTaskResultSchema,
    http: { method: 'POST', path: '/tasks/run' },
    run: (m, a, ctx) => runTaskForClient(m, a, ctx),
  }),
  op({
    name: 'close',
    title: 'Close a session',
    description: 'Finishes the session\'s trace (summary.json) and closes its page or desktop.',
    input: S.SessionOnlySchema,
    output: S.CloseResultSchema,
    http: { method: 'DELETE', path: '/sessions/{session}' },
    run: async (m, a) => {
      const s = await m.close(a.session);
      return { session: s.id, traceDir: path.resolve(s.traceDir), closed: true as const };
    },
  }),
];

/** The JSON Schema a client gave for query's answer, as the zod schema query() validates with. */
function answerSchema(schema: Record<string, unknown> | undefined, h: Handeye): z.ZodType {
  if (!schema) return z.string();
  try {
    return z.fromJSONSchema(schema as never) as z.ZodType;
  } catch (e) {
    throw new HandeyeUsageError(`agent.query`, `schema is not a JSON Schema zod can read: ${(e as Error).message.split('\n')[0]}`, { dir: path.resolve(h.traceDir) });
  }
}

/** The screen, encoded as asked, never larger than the frame or MAX_SCREENSHOT_EDGE. */
async function screenshot(h: Handeye, a: z.infer<typeof S.ScreenshotInputSchema>) {
  const format = a.format ?? 'png';
  const frame = await h.executor.capture({ format: 'png' });
  const width = Math.min(frame.width, a.maxWidth ?? Math.min(frame.width, 1920));
  let img = sharp(frame.image);
  if (width < frame.width) img = img.resize({ width });
  const out = await (format === 'png' ? img.png() : img.jpeg({ quality: a.quality ?? 80 })).toBuffer({ resolveWithObject: true });
  return {
    mimeType: format === 'png' ? ('image/png' as const) : ('image/jpeg' as const),
    width: out.info.width,
    height: out.info.height,
    frameWidth: frame.width,
    frameHeight: frame.height,
    bytes: out.data.length,
    image: out.data,
  };
}

export function operation(name: string): Operation | undefined {
  return OPERATIONS.find((o) => o.name === name);
}
