import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';

/** Traces larger than this (compressed) are not sent through Redis; the result says so. */
export const MAX_COLLECT_BYTES = 64 * 1024 * 1024;

/** A trace folder as one gzipped tar (frames included), or why it cannot be sent. */
export function packTrace(dir: string, maxBytes = MAX_COLLECT_BYTES): { data: Buffer } | { error: string } {
  const r = spawnSync('tar', ['-czf', '-', '-C', dir, '.'], { maxBuffer: maxBytes + 1024, encoding: 'buffer' });
  if (r.error) return { error: `tar failed: ${(r.error as Error).message.includes('maxBuffer') ? `the trace is over ${maxBytes} bytes compressed` : r.error.message}` };
  if (r.status !== 0) return { error: `tar failed: ${r.stderr.toString().trim().split('\n')[0]}` };
  if (r.stdout.length > maxBytes) return { error: `the trace is ${r.stdout.length} bytes compressed, over the ${maxBytes} the queue carries` };
  return { data: r.stdout };
}

/** Unpacks a packed trace into `dir` (emptied first). */
export function unpackTrace(data: Buffer, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('tar', ['-xzf', '-', '-C', dir], { input: data });
  if (r.status !== 0) throw new Error(`could not unpack the trace into ${dir}: ${r.stderr.toString().trim().split('\n')[0]}`);
}
