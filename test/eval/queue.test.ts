import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, main } from '../../src/cli/index.ts';
import { packageVersion } from '../../src/cli/version.ts';
import { EpisodeResultSchema, QUEUE_NAME, REFUSALS_KEY } from '../../src/eval/queue/jobs.ts';
import { olderThan } from '../../src/eval/queue/redis.ts';
import { isAlive } from '../support/process-tree.ts';
import { freePort } from '../support/free-port.ts';

/**
 * `handeye eval --queue` and `handeye worker` on real components: Debian's redis-server on a free
 * 127.0.0.1 port (append-only persistence, stopped by PID), worker processes started from the bin,
 * the suite's seeded pages in their Chromium, the embedded engine deciding.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-queue-'));
const TASKS = ['buttons', 'tabs'].map((t) => path.join(ROOT, 'tasks/suite', t));


const until = async (what: string, ok: () => boolean | Promise<boolean>, ms: number) => {
  const t0 = Date.now();
  while (!(await ok())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

class RedisServer {
  proc?: ChildProcess;
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until('redis to accept connections', () => /Ready to accept connections/.test(out), 10_000);
  }
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
  }
}

interface WorkerProc {
  proc: ChildProcess;
  log: string;
  id: string;
}

function startWorker(url: string, traceRoot: string): Promise<WorkerProc> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin/handeye.mjs'), 'worker', '--queue', url, '--trace-root', traceRoot, '--lock-ms', '3000'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const w: WorkerProc = { proc, log: '', id: '' };
  proc.stderr!.on('data', (d: Buffer) => (w.log += d.toString()));
  return until('the worker to start', () => /takes episodes from/.test(w.log), 30_000).then(() => {
    w.id = /worker (\S+) \(handeye/.exec(w.log)![1];
    return w;
  });
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let redis: RedisServer;
const workers: WorkerProc[] = [];

beforeAll(async () => {
  redis = new RedisServer(await freePort(), path.join(tmp, 'redis'));
  await redis.start();
});

afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  await redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('an eval on a queue', () => {
  it('runs ten episodes on two workers, each once, through a worker killed mid-episode and a Redis restart, and counts as a local eval does', async () => {
    const traceRoot = path.join(tmp, 'worker-traces');
    workers.push(await startWorker(redis.url, traceRoot), await startWorker(redis.url, traceRoot));
    const [a, b] = workers;
    const out = path.join(tmp, 'queued');
    const running = cli(['eval', ...TASKS, '--seeds', '5', '--mode', 'steps', '--queue', redis.url, '--collect', '--out', out]);

    // The first worker dies (SIGKILL) during its first episode: its job goes to the other after the stall check.
    await until('worker A to start an episode', () => /: started/.test(a.log), 60_000);
    const killedJob = /(\S+): started/.exec(a.log)![1];
    a.proc.kill('SIGKILL');
    // Redis restarts (persisted) while episodes are running.
    await until('a few episodes to finish', () => existsSync(path.join(out, 'summary.json')) && JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')).episodes.length >= 3, 120_000);
    await redis.stop();
    await redis.start();

    const r = await running;
    expect(r.code, r.err).toBe(EXIT.ok);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.episodes).toHaveLength(10);
    expect(new Set(summary.episodes.map((e: { task: string; seed: number }) => `${e.task}/${e.seed}`)).size).toBe(10);
    const killed = summary.episodes.find((e: { task: string; seed: number }) => killedJob.endsWith(`.${e.task}.${e.seed}`));
    expect(killed.worker).toBe(b.id);
    // Traces came back through Redis, so this folder's report covers the run.
    for (const e of summary.episodes) expect(existsSync(path.join(out, e.traceDir, 'summary.json')), e.traceDir).toBe(true);

    const local = path.join(tmp, 'local');
    const l = await cli(['eval', ...TASKS, '--seeds', '5', '--mode', 'steps', '--out', local]);
    expect(l.code, l.err).toBe(EXIT.ok);
    const localSummary = JSON.parse(readFileSync(path.join(local, 'summary.json'), 'utf8'));
    const outcome = (s: { episodes: { task: string; seed: number; success: boolean; kind: string }[] }) => s.episodes.map((e) => `${e.task}/${e.seed}:${e.kind}:${e.success}`).sort();
    expect(outcome(summary)).toEqual(outcome(localSummary));
    expect(summary.aggregates.overall).toEqual(localSummary.aggregates.overall);
  });

  it('leaves the queue consistent when the eval is stopped, and a rerun enqueues nothing twice and finishes', async () => {
    const out = path.join(tmp, 'resumed');
    const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
    const queue = new Queue(QUEUE_NAME, { connection });
    // No worker of this queue is running yet (the first test's have stopped or been killed).
    for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) {
      const exited = new Promise((r) => w.proc.once('exit', r));
      w.proc.kill('SIGTERM');
      await exited;
    }
    try {
      const stopAfter = (ms: number) => {
        const c = new AbortController();
        setTimeout(() => c.abort(), ms);
        return c.signal;
      };
      const args = [TASKS[0], '--seeds', '3', '--mode', 'steps', '--queue', redis.url, '--out', out];
      const { evalCommand } = await import('../../src/cli/eval.ts');
      const io = { out: () => {}, err: () => {} };
      const first = await evalCommand({ inputs: [TASKS[0]], seeds: 3, mode: 'steps', queue: redis.url, out, signal: stopAfter(1500) } as never, io);
      expect(first).not.toBe(EXIT.ok);
      const waiting = async () => (await queue.getJobs(['waiting', 'wait', 'prioritized'])).filter((j) => j.id?.includes('suite-buttons')).length;
      expect(await waiting()).toBe(3);
      await evalCommand({ inputs: [TASKS[0]], seeds: 3, mode: 'steps', queue: redis.url, out, signal: stopAfter(1500) } as never, io);
      expect(await waiting()).toBe(3);
      workers.push(await startWorker(redis.url, path.join(tmp, 'worker-traces')));
      const r = await cli(['eval', ...args]);
      expect(r.code, r.err).toBe(EXIT.ok);
      const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
      expect(summary.episodes.map((e: { seed: number }) => e.seed).sort()).toEqual([0, 1, 2]);
    } finally {
      await queue.close();
    }
  });

  it('refuses a job from another version, records a task file the worker cannot see and a browser server that refuses, as environment failures', async () => {
    const alive = (w: WorkerProc) => w.proc.exitCode === null && w.proc.signalCode === null;
    const worker = workers.find(alive) ?? (await startWorker(redis.url, path.join(tmp, 'worker-traces')));
    if (!workers.includes(worker)) workers.push(worker);
    const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
    const queue = new Queue(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    await events.waitUntilReady();
    try {
      const base = { version: packageVersion(), runId: 'bad-input', seed: 0, category: 'x', mode: 'steps' as const, engine: { engine: 'embedded' }, collect: false };
      // Another version: refused (said where the eval looks) and handed back, its attempts untouched.
      const other = await queue.add('episode', { ...base, version: '0.0.0-other', task: 'suite-buttons', taskFile: path.join(TASKS[0], 'buttons.task.yaml') }, { jobId: 'bad-input.version', attempts: 1 });
      const client = new Redis({ host: '127.0.0.1', port: redis.port });
      await until('the refusal', async () => !!(await client.hget(REFUSALS_KEY, 'bad-input.version')), 30_000);
      expect(await client.hget(REFUSALS_KEY, 'bad-input.version')).toMatch(new RegExp(`runs handeye ${packageVersion().replace(/\./g, '\\.')}; the eval runs 0\\.0\\.0-other`));
      expect(await other.isFailed()).toBe(false);
      await other.remove().catch(() => {});
      client.disconnect();
      // Retried once (another worker may see the file), then recorded as an environment failure.
      const missing = await queue.add('episode', { ...base, task: 'gone', taskFile: '/nonexistent/gone.task.yaml' }, { jobId: 'bad-input.missing', attempts: 2, backoff: { type: 'fixed', delay: 100 } });
      const m = EpisodeResultSchema.parse(await missing.waitUntilFinished(events, 30_000));
      expect(m.episode).toMatchObject({ kind: 'env-error' });
      expect(m.episode.detail).toContain('/nonexistent/gone.task.yaml');
      expect(worker.log).toContain('bad-input.missing: started (attempt 2)');
      const deadWs = `ws://127.0.0.1:${await freePort()}/nobody`;
      const refused = await queue.add('episode', { ...base, task: 'suite-buttons', taskFile: path.join(TASKS[0], 'buttons.task.yaml'), browserWs: deadWs }, { jobId: 'bad-input.ws', attempts: 1 });
      const w = EpisodeResultSchema.parse(await refused.waitUntilFinished(events, 30_000));
      expect(w.episode.kind).toBe('env-error');
      expect(w.episode.detail).toContain(deadWs);
    } finally {
      await events.close();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
    // SIGTERM: the worker stops and says so.
    const exited = new Promise((r) => worker.proc.once('exit', r));
    worker.proc.kill('SIGTERM');
    await exited;
    expect(isAlive(worker.proc.pid!)).toBe(false);
    expect(worker.log).toMatch(/stopped after \d+ episode/);
  });

  it('names a Redis nobody answers at (exit 2, within 10 s), and compares Redis versions', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const t0 = Date.now();
    const r = await cli(['eval', TASKS[0], '--seeds', '1', '--queue', url, '--out', path.join(tmp, 'nowhere')]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain(`cannot reach Redis at ${url}`);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const w = await cli(['worker', '--queue', 'http://127.0.0.1:1']);
    expect(w.code).toBe(EXIT.usage);
    expect(w.err).toMatch(/expects redis:\/\/HOST:PORT/);
    expect(olderThan('6.0.16', [6, 2, 0])).toBe(true);
    expect(olderThan('7.0.15', [6, 2, 0])).toBe(false);
    expect(olderThan('6.2.0', [6, 2, 0])).toBe(false);
  });
});
