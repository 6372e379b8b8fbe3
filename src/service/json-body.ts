import type { IncomingMessage } from 'node:http';

/** Bodies past this are refused: no argument of any operation comes near it. */
const MAX_BODY = 4 * 1024 * 1024;

/** The request's JSON body (undefined when empty); throws past MAX_BODY bytes or on bad JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new Error(`the request body is over ${MAX_BODY} bytes`);
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}
