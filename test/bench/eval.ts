// Throughput of `handeye eval` with the embedded engine at concurrency 1 and 2: episodes per
// minute, and the share of episode time spent outside the model (browser, capture, act, settle).
// Run: node --import tsx test/bench/eval.ts [task-name …]   (default: 8 suite tasks × 1 seed)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EmbeddedAgent } from '../../agents/embedded/embedded-agent.ts';
import { runEval } from '../../src/eval/runner.ts';
import { loadSuite } from '../../src/eval/suite.ts';
import { OcrEngine } from '../../agents/embedded/ocr/ocr-engine.ts';

const SUITE = path.resolve(import.meta.dirname, '../../tasks/suite');
const DEFAULT_TASKS = ['buttons', 'links', 'form-contact', 'checkbox', 'radio', 'tabs', 'dialog-confirm', 'toolbar-strip'];

export interface EvalBenchRow {
  concurrency: number;
  episodes: number;
  wallS: number;
  episodesPerMin: number;
  /** Of all episode time (summed over episodes), the share not spent in the model. */
  outsideModelShare: number;
  meanEpisodeS: number;
  passed: number;
}

export async function runEvalBench(taskNames = DEFAULT_TASKS, seeds = [0], levels = [1, 2]): Promise<EvalBenchRow[]> {
  const { tasks } = await loadSuite(taskNames.map((t) => path.join(SUITE, t)));
  await OcrEngine.shared().warmUp(); // model loading is a one-off, not throughput
  const rows: EvalBenchRow[] = [];
  for (const concurrency of levels) {
    const out = mkdtempSync(path.join(tmpdir(), `handeye-evalbench-k${concurrency}-`));
    try {
      const t0 = performance.now();
      const s = await runEval({ tasks, seeds, out, concurrency, makeAgent: async () => new EmbeddedAgent(), engineLabel: 'embedded' });
      const wallS = (performance.now() - t0) / 1000;
      const total = s.episodes.reduce((a, e) => a + (e.durationMs ?? 0), 0);
      const model = s.episodes.reduce((a, e) => a + e.modelMs, 0);
      rows.push({
        concurrency,
        episodes: s.episodes.length,
        wallS: Math.round(wallS * 10) / 10,
        episodesPerMin: Math.round((s.episodes.length / wallS) * 60 * 10) / 10,
        outsideModelShare: Math.round((1 - model / total) * 1000) / 1000,
        meanEpisodeS: Math.round(total / s.episodes.length / 100) / 10,
        passed: s.aggregates.overall.successes,
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const names = process.argv.slice(2);
  const rows = await runEvalBench(names.length ? names : undefined);
  console.log('handeye eval throughput, embedded engine (episode = one task × one seed)');
  console.table(rows);
  await OcrEngine.shared().close();
}
