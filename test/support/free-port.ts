import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that nothing listens on right now: for a server a test starts, or for an
 * address that must refuse connections.
 */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}
