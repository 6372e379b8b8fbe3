// The queue's cost: the same episodes as a local eval at concurrency 2 and as a queue eval on two
// worker processes (one episode each at a time), on this machine; and the queue's own round trip
// (a job that does nothing: enqueue, pick up, answer, collected by the eval), which is what each
// episode pays for going through Redis.
// Run: node --import tsx test/bench/queue.ts [task-name …]   (default: 8 suite tasks × 2 seeds)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { EmbeddedAgent } from '../../agents/embedded/embedded-agent.ts';
import { OcrEngine } from '../../agents/embedded/ocr/ocr-engine.ts';
import { packageVersion } from '../../src/cli/version.ts';
import { queueDispatch } from '../../src/eval/queue/dispatch.ts';
import { QUEUE_NAME } from '../../src/eval/queue/jobs.ts';
import { runEval } from '../../src/eval/runner.ts';
import { loadSuite } from '../../src/eval/suite.ts';
import { freePort } from '../support/free-port.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEFAULT_TASKS = ['buttons', 'links', 'form-contact', 'checkbox', 'radio', 'tabs', 'dialog-confirm', 'toolbar-strip'];
const SEEDS = [0, 1];
const ROUND_TRIPS = 30;


async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function startProcess(cmd: string, args: string[], ready: RegExp, stream: 'stdout' | 'stderr'): Promise<ChildProcess> {
  const p = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  p[stream]!.on('data', (d: Buffer) => (text += d.toString()));
  return waitFor(`${cmd} to start`, () => ready.test(text), 30_000).then(() => p);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<void> {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT_TASKS;
  const { tasks } = await loadSuite(names.map((t) => path.join(ROOT, 'tasks/suite', t)));
  await OcrEngine.shared().warmUp();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'handeye-queuebench-'));
  const redis = await startProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], /Ready to accept/, 'stdout');
  const url = `redis://127.0.0.1:${port}`;
  const workers: ChildProcess[] = [];
  try {
    const episodes = tasks.length * SEEDS.length;
    const t0 = performance.now();
    const local = await runEval({ tasks, seeds: SEEDS, out: path.join(dir, 'local'), concurrency: 2, makeAgent: async () => new EmbeddedAgent(), engineLabel: 'embedded', mode: 'steps' });
    const localS = (performance.now() - t0) / 1000;

    for (let i = 0; i < 2; i++) workers.push(await startProcess(process.execPath, [path.join(ROOT, 'bin/handeye.mjs'), 'worker', '--queue', url, '--trace-root', path.join(dir, 'worker-traces')], /takes episodes/, 'stderr'));
    // The workers' first episode loads their OCR models: warm them on one throwaway run first.
    await runEval({ tasks: tasks.slice(0, 1), seeds: [98, 99], out: path.join(dir, 'warm'), makeAgent: async () => new EmbeddedAgent(), mode: 'steps', dispatch: queueDispatch({ queue: url, out: path.join(dir, 'warm'), version: packageVersion(), mode: 'steps', engine: { engine: 'embedded' } }) });
    const t1 = performance.now();
    const queued = await runEval({ tasks, seeds: SEEDS, out: path.join(dir, 'queued'), makeAgent: async () => new EmbeddedAgent(), engineLabel: 'embedded', mode: 'steps', dispatch: queueDispatch({ queue: url, out: path.join(dir, 'queued'), version: packageVersion(), mode: 'steps', engine: { engine: 'embedded' } }) });
    const queueS = (performance.now() - t1) / 1000;

    // The round trip of a job that does no work (its task file does not exist: an answer at once).
    const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
    const queue = new Queue(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    await events.waitUntilReady();
    const trips: number[] = [];
    const pickups: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const s = performance.now();
      const job = await queue.add('episode', { version: packageVersion(), runId: 'bench', task: 'none', seed: i, taskFile: '/nonexistent.task.yaml', category: 'bench', mode: 'steps', engine: { engine: 'embedded' }, collect: false }, { jobId: `bench.none.${i}`, attempts: 1 });
      await job.waitUntilFinished(events, 10_000);
      trips.push(performance.now() - s);
      const done = await queue.getJob(job.id!);
      if (done?.processedOn && done.timestamp) pickups.push(done.processedOn - done.timestamp);
    }
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();

    const row = (label: string, s: number, r: typeof local) => `| ${label} | ${episodes} | ${s.toFixed(1)} | ${((episodes / s) * 60).toFixed(1)} | ${r.aggregates.overall.successes}/${r.aggregates.overall.n} |`;
    console.log(`CPU: ${cpus()[0]?.model ?? '?'} × ${cpus().length}; embedded engine, steps mode, ${names.length} suite tasks × seeds ${SEEDS.join(',')}`);
    console.log('| run | episodes | wall s | episodes/min | passed |');
    console.log('|---|---|---|---|---|');
    console.log(row('local eval, concurrency 2', localS, local));
    console.log(row('queue, 2 workers × 1', queueS, queued));
    const perEpisodeMs = ((queueS - localS) * 1000) / episodes;
    console.log(`\nqueue minus local, per episode: ${perEpisodeMs.toFixed(0)} ms (wall; includes the eval's ${300} ms poll at the end and process differences)`);
    console.log(`queue round trip of an empty job (enqueue → worker → result seen), median of ${ROUND_TRIPS}: ${median(trips).toFixed(1)} ms; pick-up latency median ${median(pickups).toFixed(1)} ms (target ≤ 50 ms)`);
    const perWorkerEpm = (episodes / queueS) * 60;
    console.log(`projection (not measured): N machines like this one, 2 workers each, ≈ ${perWorkerEpm.toFixed(1)} × N episodes/min while Redis and the model servers keep up`);
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))));
    redis.kill('SIGTERM');
    await new Promise((r) => redis.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
