import { Redis } from 'ioredis';

/** The oldest Redis BullMQ's scripts are known to run on. */
export const MIN_REDIS_VERSION = [6, 2, 0] as const;

export class QueueConfigError extends Error {
  override name = 'QueueConfigError';
}

/** What BullMQ and ioredis both take to connect (plain fields: their option types differ between versions). */
export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  password?: string;
  username?: string;
  tls?: Record<string, never>;
  maxRetriesPerRequest: null;
}

/** redis://[:password@]HOST:PORT[/DB] as connection options; `label` names it without the password. */
export function redisOptions(url: string): RedisConnection & { label: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueConfigError(`--queue expects redis://HOST:PORT[/DB], got ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new QueueConfigError(`--queue expects redis://HOST:PORT[/DB], got ${JSON.stringify(url)}`);
  const db = u.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) throw new QueueConfigError(`--queue: the database in ${JSON.stringify(url)} must be a number (redis://HOST:PORT/2)`);
  const label = `${u.protocol}//${u.hostname}:${u.port || 6379}${db ? `/${db}` : ''}`;
  return {
    label,
    host: u.hostname,
    port: Number(u.port || 6379),
    db: db ? Number(db) : 0,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's workers block on Redis: a request must wait for a reconnect, not fail after 20 tries.
    maxRetriesPerRequest: null,
  };
}

/** Connects once (within timeoutMs), checks the server's version, and closes: a clear error before any job is sent. */
export async function checkRedis(url: string, timeoutMs = 8000): Promise<{ version: string }> {
  const { label, ...options } = redisOptions(url);
  const client = new Redis({ ...options, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 1, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => {});
  try {
    await withTimeout(client.connect(), timeoutMs, `no answer within ${timeoutMs} ms`);
    const info = await withTimeout(client.info('server'), timeoutMs, `no answer to INFO within ${timeoutMs} ms`);
    const version = /redis_version:([\d.]+)/.exec(info)?.[1] ?? '0';
    if (olderThan(version, MIN_REDIS_VERSION)) throw new QueueConfigError(`Redis at ${label} is version ${version}; the queue needs Redis ${MIN_REDIS_VERSION.join('.')} or newer`);
    return { version };
  } catch (e) {
    if (e instanceof QueueConfigError) throw e;
    throw new QueueConfigError(`cannot reach Redis at ${label}: ${(e as Error).message.split('\n')[0] || 'connection refused'}`);
  } finally {
    client.disconnect();
  }
}

/** Whether a dotted version is older than `min` ([major, minor, patch]). */
export function olderThan(version: string, min: readonly number[]): boolean {
  const v = version.split('.').map((x) => Number(x) || 0);
  for (let i = 0; i < min.length; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) < min[i];
  return false;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
