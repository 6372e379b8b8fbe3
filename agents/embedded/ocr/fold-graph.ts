/**
 * Load-time rewrites of the PP-OCRv4 graphs that cut elementwise passes ORT does not fuse.
 *
 * Paddle2ONNX writes each activation of PPLCNetV3 as nine full-tensor passes: the conv's
 * "learnable affine block" (Mul by a scalar, Add a scalar), hardswish spelled out (Add 3,
 * Clip, Mul, Div 6), and a second affine block. On the recognizer these were 42% of the
 * kernel time, plus 12% spent converting layouts around them. The rewrites are exact up
 * to float rounding:
 *
 * - a conv (or transposed conv) followed by per-channel affines (×s → +b; the detector head's
 *   bias Adds and BatchNormalizations) becomes one with scaled weights and a bias;
 * - hardswish becomes x · HardSigmoid(x);
 * - an affine block feeding only convs moves into their weights (×s exactly; +b too when
 *   no conv pads, else +b/s stays as a 1×1 depthwise conv, so that the zero padding stays zero);
 * - squeeze-and-excitation residuals x + x·gate become x·(1 + gate).
 */
import { floatAttribute, floatAttributeValue, intAttribute, intsAttribute, intsAttributeField, type GraphNode, type OnnxGraph } from './onnx-graph.ts';

export interface FoldCounts {
  /** Per-channel Mul / Add / BatchNormalization nodes folded into the Conv before them. */
  convAffine: number;
  hardswish: number;
  affineIntoConv: number;
  /** The same folded into a ConvTranspose (ORT leaves these alone). */
  transposeAffine: number;
  /** Squeeze-and-excitation residuals x + x·gate rewritten as x·(1 + gate). */
  gateResidual: number;
}

const single = (consumers: Map<string, GraphNode[]>, value: string): GraphNode | undefined => {
  const c = consumers.get(value);
  return c && c.length === 1 ? c[0] : undefined;
};

/** `node`'s operand besides `value` if it is a scalar constant. */
function scalarOperand(g: OnnxGraph, node: GraphNode, value: string): number | undefined {
  if (node.inputs.length !== 2) return undefined;
  const other = node.inputs[0] === value ? node.inputs[1] : node.inputs[1] === value ? node.inputs[0] : undefined;
  return other === undefined ? undefined : g.scalar(other);
}

/** A (default-domain) node whose inputs after the first, its weights and bias, are constants it alone reads. */
function ownConstants(g: OnnxGraph, consumers: Map<string, GraphNode[]>, node: GraphNode): boolean {
  if (node.domain || node.inputs.length < 2) return false;
  return node.inputs.slice(1).every((v) => g.constants.get(v) !== undefined && consumers.get(v)?.length === 1);
}

function convBias(g: OnnxGraph, conv: GraphNode): Float32Array {
  // Conv weights are [C_out, C_in/group, ...], ConvTranspose weights [C_in, C_out/group, ...].
  const dims = g.constants.get(conv.inputs[1])!.dims;
  const outChannels = conv.opType === 'ConvTranspose' ? dims[1] * (intsAttribute(conv, 'group')?.[0] ?? 1) : dims[0];
  if (conv.inputs.length < 3 || !conv.inputs[2]) {
    const name = g.freshName(`${conv.outputs[0]}_bias`);
    g.addConstant(name, { dims: [outChannels], data: new Float32Array(outChannels) });
    conv.inputs[2] = name;
  }
  return g.constants.edit(conv.inputs[2])!.data;
}

/** A Clip's bounds, from attributes (opset < 11) or constant inputs; undefined if not both known. */
function clipRange(g: OnnxGraph, clip: GraphNode): [number, number] | undefined {
  if (clip.inputs.length === 1) {
    const lo = floatAttributeValue(clip, 'min');
    const hi = floatAttributeValue(clip, 'max');
    return lo === undefined || hi === undefined ? undefined : [lo, hi];
  }
  const lo = clip.inputs[1] ? g.scalar(clip.inputs[1]) : undefined;
  const hi = clip.inputs[2] ? g.scalar(clip.inputs[2]) : undefined;
  return lo === undefined || hi === undefined ? undefined : [lo, hi];
}

/** Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(6)  ⇒  Mul(x, HardSigmoid(x)). */
function foldHardswish(g: OnnxGraph): number {
  let count = 0;
  const consumers = g.consumers();
  const removed = new Set<GraphNode>();
  for (const add of [...g.nodes]) {
    if (add.opType !== 'Add') continue;
    const x = add.inputs.find((i) => !g.constants.has(i));
    if (x === undefined || scalarOperand(g, add, x) !== 3) continue;
    const clip = single(consumers, add.outputs[0]);
    if (clip?.opType !== 'Clip' || clipRange(g, clip)?.join() !== '0,6') continue;
    const mul = single(consumers, clip.outputs[0]);
    if (mul?.opType !== 'Mul' || !mul.inputs.includes(x)) continue;
    const div = single(consumers, mul.outputs[0]);
    if (div?.opType !== 'Div' || div.inputs[0] !== mul.outputs[0] || g.scalar(div.inputs[1]) !== 6) continue;
    const gate = g.freshName(`${x}_hardsigmoid`);
    add.opType = 'HardSigmoid';
    add.inputs = [x];
    add.outputs = [gate];
    add.attributes = new Map([
      ['alpha', floatAttribute('alpha', 1 / 6)],
      ['beta', floatAttribute('beta', 0.5)],
    ]);
    mul.inputs = [x, gate];
    mul.outputs = [div.outputs[0]];
    removed.add(clip).add(div);
    count++;
  }
  g.nodes = g.nodes.filter((n) => !removed.has(n));
  return count;
}

/** Whether a conv pads its input (any auto_pad counts, to be safe). */
const hasPadding = (conv: GraphNode): boolean => (intsAttribute(conv, 'pads') ?? []).some((p) => p !== 0) || conv.attributes.has('auto_pad');

/** Mul(s) → Add(b) read only by convs (as their data input)  ⇒  scaled conv weights, and Add(b/s) if one pads. */
function foldAffineIntoConvs(g: OnnxGraph): number {
  let count = 0;
  const consumers = g.consumers();
  const removed = new Set<GraphNode>();
  for (const mul of [...g.nodes]) {
    if (mul.opType !== 'Mul' || removed.has(mul)) continue;
    const x = mul.inputs.find((i) => !g.constants.has(i));
    if (x === undefined) continue;
    const s = scalarOperand(g, mul, x);
    const add = single(consumers, mul.outputs[0]);
    if (s === undefined || Math.abs(s) < 1e-6 || add?.opType !== 'Add') continue;
    const b = scalarOperand(g, add, mul.outputs[0]);
    const convs = consumers.get(add.outputs[0]) ?? [];
    if (b === undefined || !convs.length) continue;
    if (!convs.every((c) => c.opType === 'Conv' && c.inputs[0] === add.outputs[0] && c.inputs.indexOf(add.outputs[0], 1) < 0 && ownConstants(g, consumers, c))) continue;
    const padded = convs.some(hasPadding);
    for (const conv of convs) {
      const weights = g.constants.edit(conv.inputs[1])!;
      const bias = convBias(g, conv);
      const perOut = weights.data.length / weights.dims[0];
      for (let o = 0; o < weights.dims[0]; o++) {
        let sum = 0;
        for (let i = o * perOut; i < (o + 1) * perOut; i++) {
          sum += weights.data[i];
          weights.data[i] *= s;
        }
        if (!padded) bias[o] += b * sum;
      }
    }
    if (padded) {
      // conv_W(s·x + b) = conv_{W·s}(x + b/s), zero padding included.
      // The shift is a 1×1 depthwise conv rather than an Add: ORT runs convs in its blocked
      // (NCHWc) layout, and an Add between two convs costs a layout conversion on each side.
      const first = convs[0];
      const channels = g.constants.get(first.inputs[1])!.dims[1] * (intsAttribute(first, 'group')?.[0] ?? 1);
      const w = g.freshName(`${add.outputs[0]}_shift_w`);
      const bias = g.freshName(`${add.outputs[0]}_shift_b`);
      g.addConstant(w, { dims: [channels, 1, 1, 1], data: new Float32Array(channels).fill(1) });
      g.addConstant(bias, { dims: [channels], data: new Float32Array(channels).fill(b / s) });
      add.opType = 'Conv';
      add.inputs = [x, w, bias];
      add.attributes = new Map([
        ['group', intAttribute('group', channels)],
        ['kernel_shape', intsAttributeField('kernel_shape', [1, 1])],
      ]);
      removed.add(mul);
    } else {
      for (const conv of convs) conv.inputs[0] = x;
      removed.add(mul).add(add);
    }
    count++;
  }
  g.nodes = g.nodes.filter((n) => !removed.has(n));
  return count;
}

/**
 * `node` as y = x·scale[c] + shift[c] over the channels of its data input `x` (`channels` of
 * them): an Add or Mul of a constant broadcast per channel ([C], [1,C,1,1] or one value), or an
 * inference BatchNormalization; undefined for anything else.
 */
function channelAffine(g: OnnxGraph, node: GraphNode, x: string, channels: number): { scale: Float64Array; shift: Float64Array } | undefined {
  const perChannel = (name: string): Float64Array | undefined => {
    const c = g.constants.get(name);
    if (!c) return undefined;
    const n = c.data.length;
    const shapeOk = n === 1 || (n === channels && c.dims.filter((d) => d !== 1).length <= 1 && (c.dims.length <= 1 || c.dims[1] === channels));
    if (!shapeOk) return undefined;
    return Float64Array.from({ length: channels }, (_, i) => c.data[n === 1 ? 0 : i]);
  };
  const ones = new Float64Array(channels).fill(1);
  const zeros = new Float64Array(channels);
  if ((node.opType === 'Add' || node.opType === 'Mul') && node.inputs.length === 2 && node.inputs.includes(x)) {
    const other = node.inputs[0] === x ? node.inputs[1] : node.inputs[0];
    const v = perChannel(other);
    if (!v) return undefined;
    return node.opType === 'Add' ? { scale: ones, shift: v } : { scale: v, shift: zeros };
  }
  if (node.opType === 'BatchNormalization' && node.inputs[0] === x && node.outputs.length === 1) {
    const [gamma, beta, mean, variance] = node.inputs.slice(1).map((i) => g.constants.get(i));
    if (![gamma, beta, mean, variance].every((c) => c?.data.length === channels)) return undefined;
    const eps = floatAttributeValue(node, 'epsilon') ?? 1e-5;
    const scale = Float64Array.from({ length: channels }, (_, i) => gamma!.data[i] / Math.sqrt(variance!.data[i] + eps));
    return { scale, shift: Float64Array.from({ length: channels }, (_, i) => beta!.data[i] - mean!.data[i] * scale[i]) };
  }
  return undefined;
}

/**
 * Conv or ConvTranspose → per-channel Add / Mul / BatchNormalization, as many as follow  ⇒  one
 * conv with scaled weights and a bias. ORT fuses a BatchNormalization into a Conv itself, but
 * neither Paddle2ONNX's affine blocks after a Conv nor anything after a ConvTranspose.
 */
function foldOutputAffines(g: OnnxGraph): { conv: number; transpose: number } {
  const counts = { conv: 0, transpose: 0 };
  const consumers = g.consumers();
  const removed = new Set<GraphNode>();
  for (const conv of g.nodes) {
    const transpose = conv.opType === 'ConvTranspose';
    if ((conv.opType !== 'Conv' && !transpose) || !ownConstants(g, consumers, conv)) continue;
    // Conv weights are [C_out, C_in/group, kH, kW]: output channel o is the first axis.
    // ConvTranspose weights are [C_in, C_out/group, kH, kW]: the second (one group only here).
    if (transpose && (intsAttribute(conv, 'group')?.[0] ?? 1) !== 1) continue;
    const [d0, d1] = g.constants.get(conv.inputs[1])!.dims;
    const channels = transpose ? d1 : d0;
    for (;;) {
      const next = single(consumers, conv.outputs[0]);
      const affine = next && channelAffine(g, next, conv.outputs[0], channels);
      if (!next || !affine) break;
      const w = g.constants.edit(conv.inputs[1])!.data;
      const perKernel = w.length / (d0 * d1);
      for (let a = 0, k = 0; a < d0; a++) {
        for (let b = 0; b < d1; b++) {
          const scale = affine.scale[transpose ? b : a];
          for (const end = k + perKernel; k < end; k++) w[k] *= scale;
        }
      }
      const bias = convBias(g, conv);
      for (let o = 0; o < channels; o++) bias[o] = bias[o] * affine.scale[o] + affine.shift[o];
      conv.outputs[0] = next.outputs[0];
      removed.add(next);
      counts[transpose ? 'transpose' : 'conv']++;
    }
  }
  g.nodes = g.nodes.filter((n) => !removed.has(n));
  return counts;
}

/**
 * Add(x, Mul(x, gate)) with gate = HardSigmoid(…)  ⇒  Mul(x, Add(gate, 1)). In the detector's
 * squeeze-and-excitation blocks the gate is [N, C, 1, 1]: the +1 moves from a full feature map
 * to one value per channel.
 */
function foldGateResidual(g: OnnxGraph): number {
  let count = 0;
  const consumers = g.consumers();
  const producers = new Map(g.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  let one: string | undefined;
  for (const mul of g.nodes) {
    if (mul.opType !== 'Mul' || mul.inputs.length !== 2) continue;
    const gi = mul.inputs.findIndex((i) => producers.get(i)?.opType === 'HardSigmoid');
    if (gi < 0) continue;
    const gate = mul.inputs[gi];
    const x = mul.inputs[1 - gi];
    const add = single(consumers, mul.outputs[0]);
    if (add?.opType !== 'Add' || add.inputs.length !== 2 || !add.inputs.includes(x) || !add.inputs.includes(mul.outputs[0])) continue;
    if (!one) {
      one = g.freshName('handeye_one');
      g.addConstant(one, { dims: [1], data: Float32Array.of(1) });
    }
    const lifted = g.freshName(`${gate}_plus_one`);
    // Reuse the two nodes: the Mul becomes the (small) +1, the Add the multiplication.
    mul.opType = 'Add';
    mul.inputs = [gate, one];
    mul.outputs = [lifted];
    add.opType = 'Mul';
    add.inputs = [x, lifted];
    count++;
  }
  return count;
}

export function foldGraph(g: OnnxGraph): FoldCounts {
  const { conv: convAffine, transpose: transposeAffine } = foldOutputAffines(g);
  const hardswish = foldHardswish(g);
  const affineIntoConv = foldAffineIntoConvs(g);
  const gateResidual = foldGateResidual(g);
  return { convAffine, hardswish, affineIntoConv, transposeAffine, gateResidual };
}
