/**
 * Query-driven reading (#23): a scripted step's decide time when the embedded agent reads only
 * the lines its target needs, against a full read + locate of the same screen, in one run.
 *
 *   node --import tsx test/bench/query-ocr.ts        (QUERY_BENCH_RUNS=n for the sparse-page runs)
 *
 * - first step: a click on the dense 1920x1080 page by an agent with a fresh engine (model load
 *   included) ÷ the same step by the full-reading agent with a fresh engine (model load included),
 *   and ÷ a full read + locate with the models loaded;
 * - next step: after the click changed the page a little, a row-anchored click on the new frame
 *   (reusing what the first step read) ÷ a full read + locate of that frame (models loaded);
 * - sparse page: a click, models loaded, query vs full (median of runs).
 * Recognition caches are off, so a line is reused only through the reading state of the run.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EmbeddedAgent } from '../../agents/embedded/embedded-agent.ts';
import { OcrEngine } from '../../agents/embedded/ocr/ocr-engine.ts';
import { cpuInt8Units } from '../../agents/embedded/ocr/cpu-features.ts';
import type { Decision, HistoryEntry } from '../../src/core/agent.ts';
import type { Frame } from '../../src/core/frame.ts';
import type { Step } from '../../src/core/task.ts';
import { PageRenderer } from '../agents/embedded/ocr/render-page.ts';
import { median, round } from './ocr.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/ocr/${name}`, import.meta.url), 'utf8');
const NO_CACHE = { pipeline: { recCacheSize: 0 } };

async function shoot(page: import('playwright-core').Page): Promise<Frame> {
  const png = await page.screenshot({ type: 'png' });
  const size = page.viewportSize()!;
  return { image: png, format: 'png', width: size.width, height: size.height, scale: 1, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
}

/** A new Frame object for the same image: the agent decodes it again, as it would a new capture. */
const copy = (f: Frame): Frame => ({ ...f, capturedAt: Date.now() });

async function timedDecide(agent: EmbeddedAgent, input: Parameters<EmbeddedAgent['decide']>[0]): Promise<{ ms: number; d: Decision }> {
  const t0 = performance.now();
  const d = await agent.decide(input);
  return { ms: performance.now() - t0, d };
}

const ocrNotes = (d: Decision): Record<string, unknown> => ((d.notes ?? {}) as { ocr?: Record<string, unknown> }).ocr ?? {};
const pointOf = (d: Decision): string => JSON.stringify((d.actions[0] as { target?: { point?: number[] } })?.target?.point?.map((v) => round(v, 1)) ?? d.actions[0]);

export async function runQueryOcrBench(): Promise<Record<string, unknown>> {
  const runs = Number(process.env.QUERY_BENCH_RUNS ?? 3);
  const renderer = await PageRenderer.start();
  let dense1: Frame, dense2: Frame, sparse: Frame, step2: Step;
  const step1: Step = { click: 'Customers' };
  const sparseStep: Step = { click: 'Cancel' };
  try {
    const page = await renderer.open(fixture('dense.html'), { width: 1920, height: 1080 }, 1);
    dense1 = await shoot(page);
    // What the click did: the nav item is now the current one; and a row to act on next.
    const row = await page.evaluate(() => {
      const nav = [...document.querySelectorAll('nav span')].find((s) => s.textContent === 'Customers') as HTMLElement;
      nav.style.textDecoration = 'underline';
      const cells = [...document.querySelectorAll('tr')][6].querySelectorAll('td');
      return { order: cells[0].textContent!, status: cells[2].textContent! };
    });
    dense2 = await shoot(page);
    step2 = { click: `"${row.status}" in the row with "${row.order}"` };
    await page.context().close();
    const sp = await renderer.open(fixture('sparse.html'), { width: 1280, height: 720 }, 1);
    sparse = await shoot(sp);
    await sp.context().close();
  } finally {
    await renderer.close();
  }
  const out: Record<string, unknown> = { step1, step2, sparseStep };

  // What loading the models costs on its own (a fresh engine, closed again: the query path loads anew).
  const loader = new OcrEngine(NO_CACHE);
  const tLoad = performance.now();
  await loader.warmUp();
  const loadMs = performance.now() - tLoad;
  await loader.close();

  // Query path: a fresh engine (model load in the first step), one run of two steps.
  const qEngine = new OcrEngine(NO_CACHE);
  const qAgent = new EmbeddedAgent({ ocr: qEngine });
  const history: HistoryEntry[] = [];
  const q1 = await timedDecide(qAgent, { step: step1, stepIndex: 0, stepCount: 2, frame: copy(dense1), history });
  history.push({ index: 0, step: step1, actions: q1.d.actions as HistoryEntry['actions'], outcome: 'done' });
  const q2 = await timedDecide(qAgent, { step: step2, stepIndex: 1, stepCount: 2, frame: copy(dense2), history });
  await qEngine.close();

  // Full path: a fresh engine again, then the same screens read whole with the models loaded.
  const fEngine = new OcrEngine(NO_CACHE);
  const fAgent = new EmbeddedAgent({ ocr: fEngine, queryOcr: false });
  const f1Cold = await timedDecide(fAgent, { step: step1, stepIndex: 0, stepCount: 2, frame: copy(dense1), history: [] });
  const f1 = await timedDecide(fAgent, { step: step1, stepIndex: 0, stepCount: 2, frame: copy(dense1), history: [] });
  const f2 = await timedDecide(fAgent, { step: step2, stepIndex: 1, stepCount: 2, frame: copy(dense2), history: [] });

  // Sparse page, models loaded: each run a new run of the agent (nothing read before).
  const qSparse = new EmbeddedAgent({ ocr: fEngine });
  const sq: number[] = [];
  const sf: number[] = [];
  let sqD: Decision | undefined;
  let sfD: Decision | undefined;
  for (let i = 0; i < runs; i++) {
    const a = await timedDecide(qSparse, { step: sparseStep, stepIndex: 0, stepCount: 2, frame: copy(sparse), history: [] });
    const b = await timedDecide(fAgent, { step: sparseStep, stepIndex: 0, stepCount: 2, frame: copy(sparse), history: [] });
    sq.push(a.ms);
    sf.push(b.ms);
    sqD = a.d;
    sfD = b.d;
  }
  await fEngine.close();

  const same = (a: Decision, b: Decision): boolean => pointOf(a) === pointOf(b);
  out.first = { queryMs: round(q1.ms), fullColdMs: round(f1Cold.ms), fullWarmMs: round(f1.ms), ocr: ocrNotes(q1.d), sameTarget: same(q1.d, f1.d), point: pointOf(q1.d) };
  out.next = { queryMs: round(q2.ms), fullWarmMs: round(f2.ms), ocr: ocrNotes(q2.d), sameTarget: same(q2.d, f2.d), point: pointOf(q2.d) };
  out.sparse = { queryMs: round(median(sq)), fullMs: round(median(sf)), ocr: ocrNotes(sqD!), sameTarget: same(sqD!, sfD!), runs };
  // Any reading that detects the whole frame first pays the model load and the detection: the
  // first step's floor, whatever it recognizes.
  const detectMs = Number(ocrNotes(q1.d).detectMs ?? NaN);
  out.floor = { loadMs: round(loadMs), detectMs: round(detectMs), vsFullCold: round((loadMs + detectMs) / f1Cold.ms, 3) };
  out.ratios = {
    firstVsFullCold: round(q1.ms / f1Cold.ms, 3),
    firstVsFullWarm: round(q1.ms / f1.ms, 3),
    nextVsFullWarm: round(q2.ms / f2.ms, 3),
    sparseQueryVsFull: round(median(sq) / median(sf), 3),
  };
  out.cpu = cpuInt8Units().model;
  return out;
}

function printReport(r: Record<string, unknown>): void {
  const first = r.first as Record<string, unknown>;
  const next = r.next as Record<string, unknown>;
  const sparse = r.sparse as Record<string, unknown>;
  const ratios = r.ratios as Record<string, number>;
  const counts = (o: Record<string, unknown>) => {
    const n = o.ocr as { recognized?: number; reused?: number; detected?: number; query?: string; ms?: number };
    return `${n.recognized ?? '?'} read + ${n.reused ?? 0} reused of ${n.detected ?? '?'} lines in ${n.ms ?? '?'} ms of OCR, query ${n.query ?? 'not used'}`;
  };
  console.log(`query-driven reading (CPU: ${r.cpu})`);
  console.log(`dense 1920x1080, first step ${JSON.stringify(r.step1)}: ${first.queryMs} ms (${counts(first)}); full path ${first.fullColdMs} ms with model load, ${first.fullWarmMs} ms loaded; same target: ${first.sameTarget}`);
  console.log(`  ratio ${ratios.firstVsFullCold}× the full path with model load (target ≤ 0.3), ${ratios.firstVsFullWarm}× a loaded full read + locate`);
  const floor = r.floor as { loadMs: number; detectMs: number; vsFullCold: number };
  console.log(`  floor: model load ${floor.loadMs} ms + whole-frame detection ${floor.detectMs} ms = ${floor.vsFullCold}× the full path, before any line is recognized`);
  console.log(`dense 1920x1080, next step ${JSON.stringify(r.step2)}: ${next.queryMs} ms (${counts(next)}); full read + locate ${next.fullWarmMs} ms; same target: ${next.sameTarget}`);
  console.log(`  ratio ${ratios.nextVsFullWarm}× (target ≤ 0.12)`);
  console.log(`sparse 1280x720 ${JSON.stringify(r.sparseStep)}: query ${sparse.queryMs} ms (${counts(sparse)}), full ${sparse.fullMs} ms, ratio ${ratios.sparseQueryVsFull} (target ≤ 1; median of ${sparse.runs}); same target: ${sparse.sameTarget}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printReport(await runQueryOcrBench());
}
