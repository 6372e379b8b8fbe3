/**
 * Desktop executor bench: capture+encode per capture path at 1920×1080 and 3840×2160 (our own
 * Xvfb at that size), and action latency (move+click, typing 100 characters).
 * Run: node --import tsx test/bench/desktop.ts
 */
import { fileURLToPath } from 'node:url';
import { parseAction } from '../../src/core/actions.ts';
import { DesktopExecutor } from '../../src/executors/desktop/desktop-executor.ts';
import type { CapturePath } from '../../src/executors/desktop/driver-protocol.ts';
import { startXvfb } from '../../src/executors/desktop/xvfb.ts';

export interface DesktopBenchRow {
  what: string;
  size: string;
  medianMs: number;
  minMs: number;
  runs: number;
}

async function time(runs: number, f: () => Promise<unknown>): Promise<{ medianMs: number; minMs: number }> {
  await f(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: ms[Math.floor(ms.length / 2)], minMs: ms[0] };
}

export async function runDesktopBench(options: { runs?: number } = {}): Promise<DesktopBenchRow[]> {
  const runs = options.runs ?? 7;
  const rows: DesktopBenchRow[] = [];
  for (const size of [[1920, 1080], [3840, 2160]] as [number, number][]) {
    const xvfb = await startXvfb({ size });
    const label = `${size[0]}x${size[1]}`;
    try {
      for (const capturePath of ['nut', 'screenshot-desktop'] as CapturePath[]) {
        const ex = await DesktopExecutor.open({ display: xvfb.display, capturePath });
        try {
          for (const format of ['jpeg', 'png'] as const) {
            rows.push({ what: `capture ${capturePath} ${format}`, size: label, runs, ...(await time(runs, () => ex.capture({ format }))) });
          }
          if (capturePath === 'nut') {
            const half = await DesktopExecutor.open({ display: xvfb.display, captureScale: 0.5 });
            rows.push({ what: 'capture nut jpeg at scale 0.5', size: label, runs, ...(await time(runs, () => half.capture()) ) });
            await half.close();
            rows.push({ what: 'thumbnail (settle)', size: label, runs, ...(await time(runs, () => ex.thumbnail())) });
            const frame = await ex.capture();
            let i = 0;
            rows.push({
              what: 'move+click',
              size: label,
              runs: runs * 3,
              ...(await time(runs * 3, () => ex.perform(parseAction({ action: 'click', target: { point: [100 + (i++ % 50) * 7, 200] } }), frame))),
            });
            const text = 'abcdefghij'.repeat(10);
            rows.push({ what: 'type 100 ASCII chars', size: label, runs: 3, ...(await time(3, () => ex.perform(parseAction({ action: 'type', text }), frame))) });
            rows.push({ what: 'type 20 Chinese chars (keysym)', size: label, runs: 3, ...(await time(3, () => ex.perform(parseAction({ action: 'type', text: '中文输入测试'.repeat(3) + '你好' }), frame))) });
          }
        } finally {
          await ex.close();
        }
      }
    } finally {
      await xvfb.stop();
    }
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await runDesktopBench();
  console.log('| what | screen | median ms | min ms | runs |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.what} | ${r.size} | ${r.medianMs.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.runs} |`);
}
