/**
 * How fast could the OCR be on this machine? Profiles the two models on the OCR bench's pages and
 * sets their work against what this CPU can do:
 *
 *   node --import tsx test/bench/ocr-floor.ts        (OCR_FLOOR_RUNS=n, default 3)
 *
 * - the page's multiply-adds in GEMM-like operations (dense convolutions, matmuls), counted
 *   from the shapes onnxruntime recorded, and the time the models spent on them;
 * - the time spent in memory-bound operations (depthwise convolutions, layout reorders,
 *   elementwise ops), which int8 would not shorten;
 * - this machine's best fp32 GEMM rate (onnxruntime MatMul, 1024^3), and what int8 buys on the
 *   recognizer's largest convolution (QuantizeLinear/DequantizeLinear around it, which
 *   onnxruntime runs as QLinearConv).
 *
 * From these it prints two lower bounds for the models' part of a page: the GEMM work at the
 * machine's best fp32 rate, and the memory-bound time plus the GEMM work at that rate times the
 * int8 gain. Profiling adds a little time to each node, so the times are slightly high; the
 * operation counts are exact.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { OcrEngine } from '../../agents/embedded/ocr/ocr-engine.ts';
import { defaultThreads } from '../../agents/embedded/ocr/ocr-models.ts';
import { intAttribute } from '../../agents/embedded/ocr/onnx-graph.ts';
import { DATA_TYPE, encodeMessage, GRAPH, intField, MODEL, msgField, NODE, strField, TENSOR, TYPE, VALUE_INFO, type ProtoField } from '../../agents/embedded/ocr/onnx-proto.ts';
import { PageRenderer, screenshotRgb } from '../agents/embedded/ocr/render-page.ts';
import { median, PAGES, round } from './ocr.ts';
import { addSummaries, readProfiles, summarizeEvents, type ProfileSummary } from './ort-profile.ts';

// --- Tiny models, written with the project's own protobuf codec.
const tensor = (name: string, type: number, dims: number[], raw: Uint8Array): ProtoField[] => [
  ...dims.map((d) => intField(TENSOR.dims, d)),
  intField(TENSOR.dataType, type),
  strField(TENSOR.name, name),
  { no: TENSOR.rawData, wire: 2, value: raw },
];
const floats = (a: ArrayLike<number>): Uint8Array => new Uint8Array(Float32Array.from(a).buffer);
const valueInfo = (name: string, dims: number[]): ProtoField[] => [
  strField(VALUE_INFO.name, name),
  msgField(VALUE_INFO.type, [
    // TensorShapeProto.dim (1), each a Dimension with dim_value (1).
    msgField(TYPE.tensorType, [intField(TYPE.elemType, DATA_TYPE.FLOAT), msgField(TYPE.shape, dims.map((d) => msgField(1, [intField(1, d)])))]),
  ]),
];
const node = (op: string, inputs: string[], outputs: string[], attrs: ProtoField[][] = []): ProtoField[] => [
  ...inputs.map((i) => strField(NODE.input, i)),
  ...outputs.map((o) => strField(NODE.output, o)),
  strField(NODE.opType, op),
  ...attrs.map((a) => msgField(NODE.attribute, a)),
];
function model(nodes: ProtoField[][], inits: ProtoField[][], input: [string, number[]], output: [string, number[]]): Uint8Array {
  return encodeMessage([
    intField(1, 8), // ir_version
    msgField(MODEL.opsetImport, [strField(1, ''), intField(2, 17)]), // default domain, opset 17
    msgField(MODEL.graph, [
      ...nodes.map((n) => msgField(GRAPH.node, n)),
      strField(2, 'probe'), // graph name
      ...inits.map((t) => msgField(GRAPH.initializer, t)),
      msgField(GRAPH.input, valueInfo(...input)),
      msgField(GRAPH.output, valueInfo(...output)),
    ]),
  ]);
}

const random = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => (Math.random() - 0.5) * 2 * scale);

async function bestMs(bytes: Uint8Array, threads: number, feed: Float32Array, dims: number[], runs = 12): Promise<number> {
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run({ x: new ort.Tensor('float32', feed, dims) });
    best = Math.min(best, performance.now() - t0);
  }
  await session.release();
  return best;
}

/** Best fp32 MatMul rate (GFLOP/s) with `threads` threads. */
async function gemmRate(threads: number): Promise<number> {
  const n = 1024;
  const bytes = model([node('MatMul', ['x', 'w'], ['y'])], [tensor('w', DATA_TYPE.FLOAT, [n, n], floats(random(n * n)))], ['x', [n, n]], ['y', [n, n]]);
  return (2 * n ** 3) / (await bestMs(bytes, threads, random(n * n), [n, n])) / 1e6;
}

/** fp32 and int8 (QDQ → QLinearConv) times of a 1x1 convolution of the recognizer's largest shape. */
async function int8Gain(threads: number): Promise<{ fp32Ms: number; int8Ms: number }> {
  const c = 480;
  const dims = [8, c, 6, 96];
  const w = random(c * c, 0.05);
  const bias = tensor('b', DATA_TYPE.FLOAT, [c], floats(new Float32Array(c)));
  const fp32 = model([node('Conv', ['x', 'w', 'b'], ['y'])], [tensor('w', DATA_TYPE.FLOAT, [c, c, 1, 1], floats(w)), bias], ['x', dims], ['y', dims]);
  const wq = Int8Array.from(w, (v) => Math.round((v / 0.05) * 127));
  const int8 = model(
    [
      node('QuantizeLinear', ['x', 'sx', 'zx'], ['xq']),
      node('DequantizeLinear', ['xq', 'sx', 'zx'], ['xd']),
      node('DequantizeLinear', ['wq', 'sw', 'zw'], ['wd'], [intAttribute('axis', 0)]),
      node('Conv', ['xd', 'wd', 'b'], ['yc']),
      node('QuantizeLinear', ['yc', 'sy', 'zy'], ['yq']),
      node('DequantizeLinear', ['yq', 'sy', 'zy'], ['y']),
    ],
    [
      tensor('sx', DATA_TYPE.FLOAT, [], floats([0.02])),
      tensor('zx', DATA_TYPE.UINT8, [], Uint8Array.of(128)),
      tensor('sy', DATA_TYPE.FLOAT, [], floats([0.05])),
      tensor('zy', DATA_TYPE.UINT8, [], Uint8Array.of(128)),
      tensor('wq', DATA_TYPE.INT8, [c, c, 1, 1], new Uint8Array(wq.buffer)),
      tensor('sw', DATA_TYPE.FLOAT, [c], floats(new Float32Array(c).fill(0.05 / 127))),
      tensor('zw', DATA_TYPE.INT8, [c], new Uint8Array(c)),
      bias,
    ],
    ['x', dims],
    ['y', dims],
  );
  const x = random(8 * c * 6 * 96);
  return { fp32Ms: await bestMs(fp32, threads, x, dims), int8Ms: await bestMs(int8, threads, x, dims) };
}

async function profilePage(rgb: Parameters<OcrEngine['recognize']>[0], runs: number): Promise<{ wallMs: number; models: ProfileSummary }> {
  const dir = mkdtempSync(join(tmpdir(), 'handeye-ocr-profile-'));
  try {
    const engine = new OcrEngine({ pipeline: { recCacheSize: 0 }, profileDir: dir });
    await engine.recognize(rgb); // warm-up: left out of the summary below
    const walls: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await engine.recognize(rgb);
      walls.push(performance.now() - t0);
    }
    await engine.close();
    const parts = [...readProfiles(dir).values()].map((events) => {
      const all = summarizeEvents(events).runs;
      // Every pass makes the same model calls: the first pass's share is the warm-up.
      return summarizeEvents(events, all / (runs + 1));
    });
    const total = addSummaries(parts);
    // Per page: divide by the profiled passes.
    for (const k of Object.values(total.kinds)) {
      k.ms /= runs;
      k.gflop /= runs;
      k.nodes /= runs;
    }
    return { wallMs: median(walls), models: { ...total, runs: total.runs / runs, runMs: total.runMs / runs } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runOcrFloorBench(log: (msg: string) => void = () => {}): Promise<Record<string, unknown>> {
  const runs = Number(process.env.OCR_FLOOR_RUNS ?? 3);
  const threads = defaultThreads();
  const out: Record<string, unknown> = { runs, threads };
  const renderer = await PageRenderer.start();
  const shots: Array<{ name: string; targetMs: number; rgb: Awaited<ReturnType<typeof screenshotRgb>>['rgb'] }> = [];
  try {
    for (const p of PAGES) {
      const page = await renderer.open(readFileSync(new URL(`../fixtures/ocr/${p.html}`, import.meta.url), 'utf8'), p.viewport, 1);
      shots.push({ name: p.name, targetMs: p.targetMs, rgb: (await screenshotRgb(page)).rgb });
      await page.context().close();
    }
  } finally {
    await renderer.close();
  }
  const machine = {
    gemmGflops1Thread: round(await gemmRate(1), 1),
    gemmGflops: round(await gemmRate(threads), 1),
    ...(await int8Gain(threads)),
  };
  const int8Speedup = machine.fp32Ms / machine.int8Ms;
  out.machine = { ...machine, fp32Ms: round(machine.fp32Ms, 1), int8Ms: round(machine.int8Ms, 1), int8Speedup: round(int8Speedup, 2) };
  log(`machine: fp32 GEMM ${machine.gemmGflops} GFLOP/s (${threads} threads), ${machine.gemmGflops1Thread} (1 thread); int8 1x1 conv ×${round(int8Speedup, 2)}`);
  for (const s of shots) {
    const { wallMs, models } = await profilePage(s.rgb, runs);
    const k = models.kinds;
    const gemmGflop = k.conv.gflop + k.matmul.gflop;
    const gemmMs = k.conv.ms + k.matmul.ms;
    const memoryBoundMs = k.depthwise.ms + k.other.ms;
    const fp32FloorMs = (gemmGflop / machine.gemmGflops) * 1000;
    const int8FloorMs = memoryBoundMs + fp32FloorMs / int8Speedup;
    out[s.name] = {
      wallMs: round(wallMs),
      targetMs: s.targetMs,
      modelRuns: models.runs,
      modelRunMs: round(models.runMs),
      outsideModelsMs: round(wallMs - models.runMs),
      gemm: { gflop: round(gemmGflop, 1), ms: round(gemmMs), gflops: round(gemmGflop / (gemmMs / 1000), 1) },
      depthwiseMs: round(k.depthwise.ms),
      otherMs: round(k.other.ms),
      floors: {
        fp32GemmAtBestRateMs: round(fp32FloorMs),
        int8MemoryBoundPlusGemmMs: round(int8FloorMs),
      },
    };
    log(
      `${s.name}: ${round(wallMs)} ms (models ${round(models.runMs)} ms in ${models.runs} runs); ` +
        `GEMM ${round(gemmGflop, 1)} GFLOP in ${round(gemmMs)} ms, memory-bound ${round(memoryBoundMs)} ms; ` +
        `floors: fp32 ${round(fp32FloorMs)} ms, int8 ${round(int8FloorMs)} ms (target ${s.targetMs})`,
    );
  }
  return out;
}

interface PageFloor {
  wallMs: number;
  targetMs: number;
  modelRuns: number;
  modelRunMs: number;
  gemm: { gflop: number; ms: number; gflops: number };
  depthwiseMs: number;
  otherMs: number;
  floors: { fp32GemmAtBestRateMs: number; int8MemoryBoundPlusGemmMs: number };
}

function printTable(r: Record<string, unknown>): void {
  const pages = PAGES.map((p) => [p.name, r[p.name] as PageFloor] as const);
  const m = r.machine as { gemmGflops: number; gemmGflops1Thread: number; int8Speedup: number; fp32Ms: number; int8Ms: number };
  const rows: string[][] = [
    ['', ...pages.map(([name]) => name)],
    ['OCR, median', ...pages.map(([, p]) => `${p.wallMs} ms`)],
    ['model runs', ...pages.map(([, p]) => `${p.modelRunMs} ms in ${p.modelRuns}`)],
    ['GEMM work (convs, matmuls)', ...pages.map(([, p]) => `${p.gemm.gflop} GFLOP in ${p.gemm.ms} ms (${p.gemm.gflops} GFLOP/s)`)],
    ['memory-bound ops', ...pages.map(([, p]) => `${p.depthwiseMs + p.otherMs} ms (depthwise ${p.depthwiseMs})`)],
    ['floor: fp32 GEMM at best rate', ...pages.map(([, p]) => `${p.floors.fp32GemmAtBestRateMs} ms`)],
    ['floor: int8 GEMM + memory-bound', ...pages.map(([, p]) => `${p.floors.int8MemoryBoundPlusGemmMs} ms`)],
    ['target', ...pages.map(([, p]) => `${p.targetMs} ms`)],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  console.log(
    `this machine: fp32 MatMul ${m.gemmGflops} GFLOP/s on ${r.threads} threads (${m.gemmGflops1Thread} on one); ` +
      `int8 (QLinearConv) ×${m.int8Speedup} on the recognizer's largest 1x1 conv (${m.fp32Ms} → ${m.int8Ms} ms); ${r.runs} profiled runs`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable(await runOcrFloorBench((msg) => console.error(msg)));
}
