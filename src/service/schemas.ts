import { z } from 'zod';
import {
  ActResultSchema,
  ClickOptionsSchema,
  LocatedSchema,
  ScrollDirectionSchema,
  ScrollOptionsSchema,
  SelectOptionsSchema,
  StepResultSchema,
  TypeOptionsSchema,
  WaitForOptionsSchema,
} from '../api/types.ts';
import { DesktopAppSchema } from '../core/task.ts';
import { frameSizeProblem } from '../core/frame-limits.ts';
import { SummarySchema } from '../core/trace-schema.ts';
import { TraceLocationSchema } from '../api/errors.ts';

/**
 * The inputs and results of the service's operations, defined once: `handeye mcp` gives them to
 * the MCP SDK as tool schemas, `handeye serve` validates request bodies with them and writes its
 * OpenAPI document from them. The step options are the library's own (src/api/types.ts).
 */

const SessionRef = {
  /** Optional while exactly one session is open. */
  session: z.string().min(1).optional().describe('the session id that open returned (may be left out while exactly one session is open)'),
};

const Target = z.string().min(1).max(500);

/** The largest edge a screenshot may be sent at: a 4K frame downscaled, never upscaled. */
export const MAX_SCREENSHOT_EDGE = 3840;

export const OpenInputSchema = z
  .object({
    url: z.string().min(1).optional().describe('web page to open: an http(s) URL, or a path under the served tasks folder such as /login/index.html'),
    viewport: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional().describe('[width, height] in CSS pixels (default [1280, 720])'),
    deviceScaleFactor: z.number().positive().max(4).optional(),
    isMobile: z.boolean().optional().describe('a phone-like page: touch events, mobile viewport'),
    cdp: z.string().min(1).optional().describe('attach to a running Chromium at this CDP endpoint (http://127.0.0.1:9222) instead of launching one; needs url'),
    desktop: DesktopAppSchema.extend({
      xvfb: z.boolean().optional().describe('start a private virtual display for this session (stopped when it closes)'),
    })
      .strict()
      .optional()
      .describe('a desktop session instead of a page: the display, an app to launch, a window to wait for'),
    name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'must be letters, digits, "-", "_" or "."').optional().describe('name written into the trace'),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.desktop && o.url) ctx.addIssue({ code: 'custom', path: ['desktop'], message: 'give either url (a web page) or desktop, not both' });
    if (!o.desktop && !o.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'give url (a web page to open) or desktop (a desktop session)' });
    const tooBig = o.viewport && frameSizeProblem(o.viewport[0], o.viewport[1], o.deviceScaleFactor ?? 1);
    if (tooBig) ctx.addIssue({ code: 'custom', path: ['viewport'], message: tooBig });
    if (o.desktop && (o.viewport || o.deviceScaleFactor || o.isMobile || o.cdp)) ctx.addIssue({ code: 'custom', path: ['desktop'], message: 'viewport, deviceScaleFactor, isMobile and cdp are for web sessions' });
  });
export type OpenInput = z.infer<typeof OpenInputSchema>;

export const SessionInfoSchema = z.object({
  session: z.string(),
  kind: z.enum(['browser', 'desktop']),
  /** The page's address when it was opened (web), or the display (desktop). */
  opened: z.string(),
  url: z.string().optional(),
  engine: z.string(),
  traceDir: z.string(),
  createdAt: z.string(),
  /** Seconds since the last call ended (or the session opened). */
  idleSeconds: z.number(),
  /** Calls running or waiting their turn. */
  pending: z.number().int(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const SessionOnlySchema = z.object(SessionRef).strict();
export const ActInputSchema = z.object({ ...SessionRef, goal: z.string().min(1).max(4000).describe('what to achieve, in words') }).strict();
export const ClickInputSchema = z.object({ ...SessionRef, target: Target.describe('the visible target: its label or text, in words'), ...ClickOptionsSchema.shape }).strict();
export const HoverInputSchema = z.object({ ...SessionRef, target: Target }).strict();
export const TypeInputSchema = z.object({ ...SessionRef, text: z.string().max(10_000).describe('text to type; {{secret:NAME}} types a secret the server declared'), ...TypeOptionsSchema.shape }).strict();
export const PressInputSchema = z.object({ ...SessionRef, keys: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(6)]).describe('a key or chord: "Enter", "ctrl+a", ["Control", "a"]') }).strict();
export const ScrollInputSchema = z.object({ ...SessionRef, direction: ScrollDirectionSchema, ...ScrollOptionsSchema.shape }).strict();
export const SelectInputSchema = z.object({ ...SessionRef, option: Target, ...SelectOptionsSchema.shape }).strict();
export const DragInputSchema = z.object({ ...SessionRef, from: Target, to: Target }).strict();
export const LocateInputSchema = HoverInputSchema;
export const AssertInputSchema = z.object({ ...SessionRef, statement: z.string().min(1).max(2000).describe('what must hold on screen; with the embedded engine, text that must show') }).strict();
export const WaitForInputSchema = z.object({ ...SessionRef, statement: z.string().min(1).max(2000), ...WaitForOptionsSchema.shape }).strict();
export const QueryInputSchema = z
  .object({
    ...SessionRef,
    question: z.string().min(1).max(4000),
    schema: z.record(z.string(), z.unknown()).optional().describe('JSON Schema the answer must match (default: {"type":"string"})'),
  })
  .strict();
export const ScreenshotInputSchema = z
  .object({
    ...SessionRef,
    format: z.enum(['png', 'jpeg']).optional().describe('default png'),
    quality: z.number().int().min(1).max(100).optional().describe('JPEG quality (default 80)'),
    maxWidth: z.number().int().min(16).max(MAX_SCREENSHOT_EDGE).optional().describe(`downscale to at most this width (default: the frame's width, at most 1920)`),
  })
  .strict();
export const RunTaskInputSchema = z
  .object({
    file: z.string().min(1).optional().describe('a task file (YAML) on the server'),
    task: z.record(z.string(), z.unknown()).optional().describe('a task written inline, in the task file format'),
  })
  .strict()
  .refine((o) => !!o.file !== !!o.task, { message: 'give a task file or an inline task, one of them', path: ['file'] });

export const OpenResultSchema = SessionInfoSchema;
export const CloseResultSchema = z.object({ session: z.string(), traceDir: z.string(), closed: z.literal(true) });
export const ListResultSchema = z.object({ sessions: z.array(SessionInfoSchema) });
export const QueryResultSchema = z.object({ answer: z.unknown(), trace: TraceLocationSchema });
export const ScreenshotResultSchema = z.object({ mimeType: z.enum(['image/png', 'image/jpeg']), width: z.number().int(), height: z.number().int(), frameWidth: z.number().int(), frameHeight: z.number().int(), bytes: z.number().int() });
export const RunTaskResultSchema = SummarySchema;

/** The session id every session-bound result carries, so a client juggling several can tell them apart. */
const withSession = <S extends z.ZodObject>(s: S) => s.extend({ session: z.string() });
export const StepOutputSchema = withSession(StepResultSchema);
export const ActOutputSchema = withSession(ActResultSchema);
export const LocateOutputSchema = withSession(LocatedSchema);
export const QueryOutputSchema = withSession(QueryResultSchema);

