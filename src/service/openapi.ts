import { z } from 'zod';
import { OPERATIONS, type Operation } from './operations.ts';
import { SERVICE_ERROR_CODES } from './service-errors.ts';
import { HANDEYE_ERROR_CODES } from '../api/errors.ts';

/** The error every failed request answers with. */
export const ErrorResponseSchema = z.object({
  error: z.object({
    code: z.enum([...HANDEYE_ERROR_CODES, ...SERVICE_ERROR_CODES]),
    message: z.string(),
    call: z.string().optional(),
    trace: z.object({ dir: z.string(), step: z.number().int().optional(), frame: z.string().optional() }).optional(),
  }),
});

type JsonSchema = Record<string, unknown>;

const json = (s: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

/** An input schema without the session field, which the path carries. */
function bodySchema(op: Operation): JsonSchema {
  const s = json(op.input, 'input');
  const props = { ...((s.properties as JsonSchema | undefined) ?? {}) };
  if (!op.http.path.includes('{session}')) return s;
  delete props.session;
  return { ...s, properties: props, ...(Array.isArray(s.required) ? { required: (s.required as string[]).filter((r) => r !== 'session') } : {}) };
}

function operationObject(op: Operation): JsonSchema {
  const parameters: JsonSchema[] = [];
  if (op.http.path.includes('{session}')) parameters.push({ name: 'session', in: 'path', required: true, schema: { type: 'string' }, description: 'the id open returned' });
  const body = bodySchema(op);
  if (op.http.method !== 'POST') {
    for (const [name, schema] of Object.entries((body.properties as Record<string, JsonSchema>) ?? {})) parameters.push({ name, in: 'query', required: false, schema });
  }
  const ok = op.image
    ? {
        description: 'the image (or, with Accept: application/json, the result with the image base64 in data)',
        content: { 'image/png': { schema: { type: 'string', format: 'binary' } }, 'image/jpeg': { schema: { type: 'string', format: 'binary' } }, 'application/json': { schema: json(op.output, 'output') } },
      }
    : {
        description: op.title,
        content: {
          'application/json': { schema: json(op.output, 'output') },
          'text/event-stream': { schema: { type: 'string', description: 'with Accept: text/event-stream: progress events ({step, line}), then one result event (the JSON above) or one error event ({status, error})' } },
        },
      };
  const errors = { description: 'the call failed: the error code says why (400 bad arguments, 401 no token, 404/410 no such session, 422 the screen did not allow it, 429 too many sessions, 504 past the request timeout)', content: { 'application/json': { schema: json(ErrorResponseSchema, 'output') } } };
  return {
    operationId: op.name,
    summary: op.title,
    description: op.description,
    ...(parameters.length ? { parameters } : {}),
    ...(op.http.method === 'POST' ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses: { [String(op.http.status ?? 200)]: ok, default: errors },
  };
}

/** OpenAPI 3.1 for `handeye serve`, written from the same zod schemas that validate the requests. */
export function openApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) (paths[op.http.path] ??= {})[op.http.method.toLowerCase()] = operationObject(op);
  paths['/health'] = { get: { operationId: 'health', summary: 'Whether the server is up, and how many sessions are open', responses: { 200: { description: 'up' } } } };
  return {
    openapi: '3.1.0',
    info: { title: 'handeye', version, description: 'Drive web pages and desktops by what is on screen. Sessions by id; every result names its trace.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{}, { bearer: [] }],
    paths,
  };
}
