/**
 * Static int8 quantization of the (folded) OCR graphs, in QDQ form: each convolution reads its
 * input through QuantizeLinear → DequantizeLinear (uint8, asymmetric, one scale per tensor), its
 * weights through DequantizeLinear of int8 constants (symmetric, one scale per output channel),
 * its bias through DequantizeLinear of int32 constants (scale = input scale × weight scale, as
 * QLinearConv requires), and its output through QuantizeLinear → DequantizeLinear. onnxruntime
 * recognizes DQ → Conv → Q groups and runs them as QLinearConv (uint8 × int8: the VNNI/AMX
 * u8s8 dot products); a conv's output Q/DQ pair doubles as the next conv's input pair, so chains
 * of convs stay in uint8.
 *
 * The Q/DQ nodes are the com.microsoft contrib ops: the detector imports ai.onnx opset 11 and
 * the recognizer opset 9, and the per-channel DequantizeLinear of ai.onnx needs opset 13, where
 * Squeeze, Softmax and others change form or meaning. onnxruntime's QDQ fusion matches the
 * contrib ops too (checked: every quantized conv becomes a QLinearConv, int8.test.ts), but the
 * fused QLinearConv is an ai.onnx op of opset 10: the recognizer is raised to 10 (raiseOpsetTo10).
 *
 * Not quantized: the first and the last conv of each model (see quantizeGraph), ConvTranspose
 * (the detector's two upsampling layers), MatMul (the recognizer's SVTR neck: 120-wide, a few
 * % of its time), and everything elementwise (it runs in fp32 between DQ and Q).
 */
import { floatAttributeValue, intAttribute, intsAttribute, type GraphNode, type OnnxGraph } from './onnx-graph.ts';
import { DATA_TYPE } from './onnx-proto.ts';
import { GREEDY_OUTPUTS } from './rec-head.ts';

export const MS_DOMAIN = 'com.microsoft';

/** An activation's observed range over the calibration screens. */
export interface ValueRange {
  min: number;
  max: number;
}

export interface QuantizeCounts {
  convs: number;
  /** Activations given a Q/DQ pair. */
  activations: number;
}

/**
 * QLinearConv exists from opset 10; the recognizer imports opset 9. The one operator of these
 * graphs whose form changed at 10 is Slice (its starts/ends/axes moved from attributes to
 * inputs): those are rewritten, then the import is raised.
 */
export function raiseOpsetTo10(g: OnnxGraph): void {
  if (g.opset() >= 10) return;
  // A copy: adding constants prepends nodes.
  for (const n of [...g.nodes]) {
    if (n.opType !== 'Slice' || n.domain) continue;
    const starts = intsAttribute(n, 'starts');
    const ends = intsAttribute(n, 'ends');
    if (!starts || !ends) throw new Error(`Slice ${n.name} has no starts/ends attributes at opset ${g.opset()}`);
    const axes = intsAttribute(n, 'axes') ?? starts.map((_, i) => i);
    const names = [starts, ends, axes].map((vs, i) => {
      const name = g.freshName(`${n.outputs[0]}_${['starts', 'ends', 'axes'][i]}`);
      g.addInt64Constant(name, vs);
      return name;
    });
    n.inputs = [n.inputs[0], ...names];
    for (const a of ['starts', 'ends', 'axes']) n.attributes.delete(a);
  }
  g.setOpset(10);
}

/** Convolutions worth quantizing: constant 4-D weights, default domain. */
function quantizableConvs(g: OnnxGraph): GraphNode[] {
  return g.nodes.filter((n) => n.opType === 'Conv' && !n.domain && n.inputs.length >= 2 && g.constants.get(n.inputs[1])?.dims.length === 4);
}

/** The activations a quantization needs ranges for: each quantizable conv's input and output (graph outputs excepted). */
export function activationsToCalibrate(g: OnnxGraph): string[] {
  const outputs = new Set(g.outputs().map((o) => o.name));
  const values = new Set<string>();
  for (const c of quantizableConvs(g)) {
    values.add(c.inputs[0]);
    if (!outputs.has(c.outputs[0])) values.add(c.outputs[0]);
  }
  return [...values];
}

/** Exposes `values` as extra float outputs of the graph, for calibration. */
export function exposeActivations(g: OnnxGraph, values: string[]): void {
  const existing = g.outputs().map((o) => ({ name: o.name, elemType: o.name === GREEDY_OUTPUTS.classes ? DATA_TYPE.INT32 : DATA_TYPE.FLOAT }));
  g.setOutputs([...existing, ...values.filter((v) => !existing.some((e) => e.name === v)).map((name) => ({ name, elemType: DATA_TYPE.FLOAT }))]);
}

/** uint8 affine parameters covering [min, max] (which always contains 0, so that 0 is exact: zero padding). */
export function activationParams(r: ValueRange): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, r.min);
  const hi = Math.max(0, r.max);
  const scale = hi - lo > 0 ? (hi - lo) / 255 : 1;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-lo / scale))) };
}

/**
 * The part of an activation's range its readers can tell apart: a value read only by Relu is
 * the same below 0, one read only by HardSigmoid(αx + β) the same below -β/α and above
 * (1 - β)/α, one read only by hardswish (x · HardSigmoid(x)) the same below -β/α. Clipping the
 * calibrated range there is exact and spends the 256 steps where they matter: the
 * convolutions before hardswish reach -30 and more, where everything reads as 0.
 */
export function readableRange(g: OnnxGraph, consumers: Map<string, GraphNode[]>, v: string, r: ValueRange): ValueRange {
  const readers = consumers.get(v) ?? [];
  if (!readers.length) return r;
  // The union of what each reader tells apart.
  let lo = Infinity;
  let hi = -Infinity;
  for (const n of readers) {
    if (n.opType === 'Relu' && !n.domain) {
      lo = Math.min(lo, 0);
      hi = Infinity;
    } else if (n.opType === 'HardSigmoid' && !n.domain) {
      const alpha = floatAttributeValue(n, 'alpha') ?? 0.2;
      const beta = floatAttributeValue(n, 'beta') ?? 0.5;
      if (!(alpha > 0)) return r;
      lo = Math.min(lo, -beta / alpha);
      hi = Math.max(hi, (1 - beta) / alpha);
    } else if (n.opType === 'Mul' && !n.domain && readers.some((h) => h.opType === 'HardSigmoid' && !h.domain && h.inputs[0] === v && n.inputs.includes(h.outputs[0]))) {
      // hardswish's Mul(v, HardSigmoid(v)): 0 wherever the HardSigmoid is, the identity above.
      const h = readers.find((x) => x.opType === 'HardSigmoid' && n.inputs.includes(x.outputs[0]))!;
      const alpha = floatAttributeValue(h, 'alpha') ?? 0.2;
      if (!(alpha > 0)) return r;
      lo = Math.min(lo, -(floatAttributeValue(h, 'beta') ?? 0.5) / alpha);
      hi = Infinity;
    } else return r;
  }
  // Keep 0 inside (activationParams keeps it exact) and never widen the observed range.
  return { min: Math.min(0, Math.max(r.min, lo)), max: Math.max(0, Math.min(r.max, hi)) };
}

const f32 = (v: number[] | Float32Array): Uint8Array => new Uint8Array(Float32Array.from(v).buffer);

export interface QuantizeOptions {
  /**
   * 7-bit weights (±63). Without VNNI, onnxruntime's u8×s8 kernels add pairs of products in
   * 16 bits with saturation (AVX2 vpmaddubsw): 2·255·127 overflows, 2·255·63 does not.
   * onnxruntime's own quantizer calls this reduce_range, "for better accuracy on non-VNNI CPUs".
   */
  reduceRange?: boolean;
}

/**
 * Rewrites `g` in place. `ranges` holds each activation's calibrated range (activationsToCalibrate);
 * a conv with a value lacking one stays fp32.
 */
export function quantizeGraph(g: OnnxGraph, ranges: ReadonlyMap<string, ValueRange>, opts: QuantizeOptions = {}): QuantizeCounts {
  const wMax = opts.reduceRange ? 63 : 127;
  const outputs = new Set(g.outputs().map((o) => o.name));
  // A conv runs as QLinearConv only with both its input and its output quantized (DQ → Conv →
  // Q): one whose output the caller reads stays fp32.
  // The first conv (it reads the image) and the last stay fp32, a small share of the time:
  // measured on the dense screen's 173 lines, the recognizer's per-timestep classes then
  // differed from fp32 on 88 lines instead of 137 (text on 33), the detector mask on 6% of text pixels.
  const convs = quantizableConvs(g)
    .slice(1, -1)
    .filter((c) => ranges.has(c.inputs[0]) && ranges.has(c.outputs[0]) && !outputs.has(c.outputs[0]));
  const quantized = new Set(convs.flatMap((c) => [c.inputs[0], c.outputs[0]]));
  raiseOpsetTo10(g);
  g.addOpsetImport(MS_DOMAIN, 1);
  const node: NodeMaker = (opType, inputs, outs, axis) => ({
    opType,
    name: '',
    domain: MS_DOMAIN,
    inputs,
    outputs: outs,
    attributes: axis === undefined ? new Map() : new Map([['axis', intAttribute('axis', axis)]]),
  });

  // One Q/DQ pair per activation: its scale and zero point, and the name its readers now use.
  const pairs = new Map<string, { nodes: GraphNode[]; dq: string; scale: number }>();
  const consumers = g.consumers();
  for (const v of quantized) {
    const { scale, zeroPoint } = activationParams(readableRange(g, consumers, v, ranges.get(v)!));
    const s = g.freshName(`${v}_qscale`);
    const z = g.freshName(`${v}_qzero`);
    const q = g.freshName(`${v}_q`);
    const dq = g.freshName(`${v}_dq`);
    g.addTensorConstant(s, DATA_TYPE.FLOAT, [], f32([scale]));
    g.addTensorConstant(z, DATA_TYPE.UINT8, [], Uint8Array.of(zeroPoint));
    pairs.set(v, { nodes: [node('QuantizeLinear', [v, s, z], [q]), node('DequantizeLinear', [q, s, z], [dq])], dq, scale });
  }

  // Weights and biases: int8 / int32 constants and their DequantizeLinear, placed before the conv.
  const before = new Map<GraphNode, GraphNode[]>();
  for (const c of convs) before.set(c, quantizeConvParams(g, c, pairs.get(c.inputs[0])!.scale, wMax, node));

  placeQdq(g, pairs, before);
  return { convs: convs.length, activations: pairs.size };
}

type NodeMaker = (opType: string, inputs: string[], outs: string[], axis?: number) => GraphNode;

/**
 * A conv's weights as int8 with one scale per output channel and its bias as int32 (scale: the
 * input's × the channel's), each behind a DequantizeLinear; returns those nodes, to run before it.
 */
function quantizeConvParams(g: OnnxGraph, c: GraphNode, inputScale: number, wMax: number, node: NodeMaker): GraphNode[] {
    const w = g.constants.get(c.inputs[1])!;
    const outCh = w.dims[0];
    const per = w.data.length / outCh;
    const wScale = new Float32Array(outCh);
    const wq = new Int8Array(w.data.length);
    for (let o = 0; o < outCh; o++) {
      let m = 0;
      for (let i = o * per; i < (o + 1) * per; i++) m = Math.max(m, Math.abs(w.data[i]));
      // An all-zero channel: any scale reads back zeros.
      const sc = m > 0 ? m / wMax : 1;
      wScale[o] = sc;
      for (let i = o * per; i < (o + 1) * per; i++) wq[i] = Math.max(-wMax, Math.min(wMax, Math.round(w.data[i] / sc)));
    }
    const ws = g.freshName(`${c.inputs[1]}_wscale`);
    const wz = g.freshName(`${c.inputs[1]}_wzero`);
    const wqName = g.freshName(`${c.inputs[1]}_wq`);
    const wdq = g.freshName(`${c.inputs[1]}_wdq`);
    g.addTensorConstant(ws, DATA_TYPE.FLOAT, [outCh], f32(wScale));
    g.addTensorConstant(wz, DATA_TYPE.INT8, [outCh], new Uint8Array(outCh));
    g.addTensorConstant(wqName, DATA_TYPE.INT8, w.dims, new Uint8Array(wq.buffer));
    const extra: GraphNode[] = [node('DequantizeLinear', [wqName, ws, wz], [wdq], 0)];
    const bias = c.inputs[2] ? g.constants.get(c.inputs[2]) : undefined;
    let bdq: string | undefined;
    if (bias) {
      const bScale = new Float32Array(outCh);
      const bq = new Int32Array(outCh);
      for (let o = 0; o < outCh; o++) {
        bScale[o] = inputScale * wScale[o];
        bq[o] = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(bias.data[o] / bScale[o])));
      }
      const bs = g.freshName(`${c.inputs[2]}_bscale`);
      const bz = g.freshName(`${c.inputs[2]}_bzero`);
      const bqName = g.freshName(`${c.inputs[2]}_bq`);
      bdq = g.freshName(`${c.inputs[2]}_bdq`);
      g.addTensorConstant(bs, DATA_TYPE.FLOAT, [outCh], f32(bScale));
      g.addTensorConstant(bz, DATA_TYPE.INT32, [outCh], new Uint8Array(outCh * 4));
      g.addTensorConstant(bqName, DATA_TYPE.INT32, [outCh], new Uint8Array(bq.buffer));
      extra.push(node('DequantizeLinear', [bqName, bs, bz], [bdq], 0));
    }
    c.inputs[1] = wdq;
    if (bdq) c.inputs[2] = bdq;
    return extra;
}

/** Puts the Q/DQ pairs and the weights' DQ nodes into the graph, in an order that runs. */
function placeQdq(g: OnnxGraph, pairs: Map<string, { nodes: GraphNode[]; dq: string; scale: number }>, before: Map<GraphNode, GraphNode[]>): void {
  // Readers of a quantized activation read its DQ output instead (its own Q excepted).
  // (The pairs are not in g.nodes yet, so their own Q keeps reading the activation.)
  for (const n of g.nodes) {
    n.inputs = n.inputs.map((i) => pairs.get(i)?.dq ?? i);
  }
  // Topological order: a pair right after its producer (graph inputs: at the start, after constants).
  const producedHere = new Set(g.nodes.flatMap((n) => n.outputs));
  const out: GraphNode[] = [];
  const constants = g.nodes.filter((n) => n.opType === 'Constant');
  out.push(...constants);
  for (const [v, p] of pairs) if (!producedHere.has(v)) out.push(...p.nodes);
  for (const n of g.nodes) {
    if (n.opType === 'Constant') continue;
    out.push(...(before.get(n) ?? []), n);
    for (const o of n.outputs) {
      const p = pairs.get(o);
      if (p) out.push(...p.nodes);
    }
  }
  g.nodes = out;
}
