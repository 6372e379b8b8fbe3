import { HandeyeError, type HandeyeErrorCode } from '../api/errors.ts';

/** What the service itself refuses, beside the library's own HandeyeError codes. */
export const SERVICE_ERROR_CODES = [
  'bad-request',
  'unauthorized',
  'unknown-session',
  'session-closed',
  'no-session',
  'too-many-sessions',
  'desktop-busy',
  'forbidden',
  'timeout',
  'aborted',
  'open-failed',
  'not-found',
  'internal',
] as const;
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];

/** An error the service answers with (an MCP tool error, an HTTP status and JSON body). */
export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** HTTP status of each library error code: the client's mistake (4xx) or what the screen did not allow (422). */
const LIBRARY_STATUS: Record<HandeyeErrorCode, number> = {
  usage: 400,
  closed: 410,
  'page-closed': 410,
  busy: 409,
  'step-failed': 422,
  'assertion-failed': 422,
  'wait-timeout': 422,
  'not-found': 422,
  'vision-required': 422,
  'query-failed': 502,
};

/** The wire form of any error: code, message, and for library errors the call and the trace. */
export interface ErrorBody {
  code: string;
  message: string;
  call?: string;
  trace?: { dir: string; step?: number; frame?: string };
}

export function errorBody(e: unknown): { status: number; body: ErrorBody } {
  if (e instanceof HandeyeError) return { status: LIBRARY_STATUS[e.code] ?? 500, body: { code: e.code, message: e.message, call: e.call, trace: e.trace } };
  if (e instanceof ServiceError) return { status: e.status, body: { code: e.code, message: e.message } };
  const message = (e as Error)?.message?.split('\n')[0] ?? String(e);
  return { status: 500, body: { code: 'internal', message } };
}
