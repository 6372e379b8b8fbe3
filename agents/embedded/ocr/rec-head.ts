/**
 * The recognizer's greedy CTC head, moved into its graph: ArgMax and ReduceMax over the class
 * axis. A call then returns two [batch, timesteps] arrays instead of [batch, timesteps, classes]
 * probabilities, 6625 floats per timestep (167 MB for a dense 1080p page) that were copied out
 * of ORT only to be scanned for their maximum in JS.
 */
import { intAttribute, intsAttributeField, type OnnxGraph } from './onnx-graph.ts';
import { DATA_TYPE } from './onnx-proto.ts';

export const GREEDY_OUTPUTS = { classes: 'handeye_ctc_class', probs: 'handeye_ctc_prob' } as const;

export class RecHeadError extends Error {
  override name = 'RecHeadError';
}

/** Rewrites the graph's outputs; returns the class count when the model declares it. */
export function addGreedyHead(g: OnnxGraph): { classes: number | undefined } {
  const outputs = g.outputs();
  if (outputs.length !== 1 || outputs[0].dims.length !== 3) {
    throw new RecHeadError(
      `a CTC recognizer has one output [batch, timesteps, classes]; this model has ${outputs.length} output(s) of rank ${outputs.map((o) => o.dims.length).join(', ')}`,
    );
  }
  const probs = outputs[0].name;
  const argmax = g.freshName('handeye_ctc_argmax');
  g.addNode('ArgMax', [probs], [argmax], [intAttribute('axis', 2), intAttribute('keepdims', 0)]);
  g.addNode('Cast', [argmax], [GREEDY_OUTPUTS.classes], [intAttribute('to', DATA_TYPE.INT32)]);
  if (g.opset() >= 18) {
    // From opset 18 ReduceMax takes its axes as an input.
    const axes = g.freshName('handeye_ctc_axes');
    g.addInt64Constant(axes, [2]);
    g.addNode('ReduceMax', [probs, axes], [GREEDY_OUTPUTS.probs], [intAttribute('keepdims', 0)]);
  } else {
    g.addNode('ReduceMax', [probs], [GREEDY_OUTPUTS.probs], [intsAttributeField('axes', [2]), intAttribute('keepdims', 0)]);
  }
  g.setOutputs([
    { name: GREEDY_OUTPUTS.classes, elemType: DATA_TYPE.INT32 },
    { name: GREEDY_OUTPUTS.probs, elemType: DATA_TYPE.FLOAT },
  ]);
  return { classes: outputs[0].dims[2] };
}
