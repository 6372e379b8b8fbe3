/**
 * Reads onnxruntime profiles (OcrEngineOptions.profileDir) into where the time went, by kind of
 * operation, with the multiply-adds of the GEMM-like ones counted from the recorded shapes.
 *
 * The kinds matter for what could make a model faster on a CPU:
 * - `conv` (dense convolutions, group < channels) and `matmul` are GEMMs: their time is bound by
 *   the multiply-add rate, which int8 can raise;
 * - `depthwise` convolutions and everything `other` (layout reorders, elementwise ops, pooling,
 *   softmax, resize) touch each value a few times: bound by memory, as slow in int8.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const OP_KINDS = ['conv', 'matmul', 'depthwise', 'other'] as const;
export type OpKind = (typeof OP_KINDS)[number];

export interface ProfileSummary {
  /** Model runs summarized (after the skipped ones). */
  runs: number;
  /** Wall time of those runs, as the session measured it. */
  runMs: number;
  /** Per kind: node kernel time and floating-point operations (2 per multiply-add). */
  kinds: Record<OpKind, { ms: number; gflop: number; nodes: number }>;
}

interface TraceEvent {
  cat?: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string; input_type_shape?: Array<Record<string, number[]>>; output_type_shape?: Array<Record<string, number[]>> };
}

const noKinds = (): ProfileSummary['kinds'] =>
  Object.fromEntries(OP_KINDS.map((k) => [k, { ms: 0, gflop: 0, nodes: 0 }])) as ProfileSummary['kinds'];

const shapeOf = (list: Array<Record<string, number[]>> | undefined, i: number): number[] | undefined => {
  const entry = list?.[i];
  return entry ? Object.values(entry)[0] : undefined;
};
const product = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);

/** Kind and flops of one node from its op type and recorded shapes. */
export function classifyNode(e: TraceEvent): { kind: OpKind; flop: number } {
  const op = e.args?.op_name ?? '';
  const ins = e.args?.input_type_shape;
  const out = shapeOf(e.args?.output_type_shape, 0);
  if (op === 'Conv' || op === 'FusedConv') {
    const w = shapeOf(ins, 1);
    if (!w || !out || w.length !== 4) return { kind: 'conv', flop: 0 };
    // Weights [Cout, Cin/group, kh, kw]: one input channel per group is depthwise.
    const flop = 2 * product(out) * w[1] * w[2] * w[3];
    return { kind: w[1] === 1 ? 'depthwise' : 'conv', flop };
  }
  if (op === 'ConvTranspose') {
    // Its weights are prepacked (no shape recorded); with kernel = stride, as in the detector's
    // head, each output value takes Cin multiply-adds.
    const x = shapeOf(ins, 0);
    return { kind: 'conv', flop: x && out ? 2 * product(out) * x[1] : 0 };
  }
  if (op === 'MatMul' || op === 'FusedMatMul' || op === 'Gemm') {
    const a = shapeOf(ins, 0);
    const b = shapeOf(ins, 1);
    return { kind: 'matmul', flop: a && b ? 2 * product(a) * b[b.length - 1] : 0 };
  }
  return { kind: 'other', flop: 0 };
}

/** Summarizes one profile's events, leaving out its first `skipRuns` model runs (warm-up). */
export function summarizeEvents(events: TraceEvent[], skipRuns = 0): ProfileSummary {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const from = runs[skipRuns]?.ts ?? Infinity;
  const kept = runs.slice(skipRuns);
  const kinds = noKinds();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < from) continue;
    const { kind, flop } = classifyNode(e);
    kinds[kind].ms += e.dur / 1000;
    kinds[kind].gflop += flop / 1e9;
    kinds[kind].nodes++;
  }
  return { runs: kept.length, runMs: kept.reduce((s, r) => s + r.dur, 0) / 1000, kinds };
}

/** The profiles a profileDir holds, by session name (`det`, `rec`, `rec-w1`, ...). */
export function readProfiles(dir: string): Map<string, TraceEvent[]> {
  const out = new Map<string, TraceEvent[]>();
  for (const f of readdirSync(dir).sort()) {
    const m = /^(.+)_\d{4}-\d{2}-\d{2}_[\d-]+_\d+\.json$/.exec(f);
    if (!m) continue;
    const events = JSON.parse(readFileSync(join(dir, f), 'utf8')) as TraceEvent[];
    out.set(m[1], [...(out.get(m[1]) ?? []), ...events]);
  }
  return out;
}

/** Adds summaries (the sessions of one page). */
export function addSummaries(parts: ProfileSummary[]): ProfileSummary {
  const kinds = noKinds();
  for (const p of parts) {
    for (const k of OP_KINDS) {
      kinds[k].ms += p.kinds[k].ms;
      kinds[k].gflop += p.kinds[k].gflop;
      kinds[k].nodes += p.kinds[k].nodes;
    }
  }
  return { runs: parts.reduce((s, p) => s + p.runs, 0), runMs: parts.reduce((s, p) => s + p.runMs, 0), kinds };
}
