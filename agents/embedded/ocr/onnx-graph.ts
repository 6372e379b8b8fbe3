/**
 * An ONNX model's node list, editable: nodes in order with their inputs, outputs and raw
 * attributes, and the float constants (Constant nodes and initializers) they read. Everything
 * a rewrite does not touch is written back as it was read.
 */
import {
  ATTR,
  ATTR_TYPE,
  DATA_TYPE,
  GRAPH,
  MODEL,
  NODE,
  TENSOR,
  TYPE,
  VALUE_INFO,
  decodeMessage,
  encodeMessage,
  fixedFloat,
  floatField,
  intField,
  msgField,
  str,
  strField,
  type ProtoField,
} from './onnx-proto.ts';

export interface GraphNode {
  opType: string;
  name: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  /** Attribute name → its encoded AttributeProto fields. */
  attributes: Map<string, ProtoField[]>;
}

/** A float tensor constant: what Conv weights, biases and scalar operands are here. */
export interface FloatConstant {
  dims: number[];
  data: Float32Array;
}

function packedVarints(bytes: Uint8Array): bigint[] {
  const out: bigint[] = [];
  let v = 0n;
  let shift = 0n;
  for (const b of bytes) {
    v |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      out.push(BigInt.asIntN(64, v));
      v = 0n;
      shift = 0n;
    } else shift += 7n;
  }
  return out;
}

function tensorDims(t: ProtoField[]): number[] {
  return t.filter((f) => f.no === TENSOR.dims).flatMap((f) => (f.wire === 0 ? [Number(f.value)] : packedVarints(f.value as Uint8Array).map(Number)));
}

/** A float TensorProto's dims and values; undefined for other types. */
export function decodeFloatTensor(bytes: Uint8Array): FloatConstant | undefined {
  const t = decodeMessage(bytes);
  if (Number(t.find((f) => f.no === TENSOR.dataType)?.value ?? 0) !== DATA_TYPE.FLOAT) return undefined;
  const dims = tensorDims(t);
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = t.find((f) => f.no === TENSOR.rawData)?.value as Uint8Array | undefined;
  const data = new Float32Array(count);
  if (raw) {
    if (raw.length !== count * 4) return undefined;
    new Uint8Array(data.buffer).set(raw);
    return { dims, data };
  }
  const floats = t.filter((f) => f.no === TENSOR.floatData);
  let i = 0;
  for (const f of floats) {
    if (f.wire === 5) data[i++] = fixedFloat(f);
    else {
      const b = f.value as Uint8Array;
      const view = new DataView(b.buffer, b.byteOffset, b.length);
      for (let k = 0; k + 4 <= b.length; k += 4) data[i++] = view.getFloat32(k, true);
    }
  }
  return i === count ? { dims, data } : undefined;
}

export function encodeFloatTensor(c: FloatConstant, name?: string): Uint8Array {
  const fields: ProtoField[] = c.dims.map((d) => intField(TENSOR.dims, d));
  fields.push(intField(TENSOR.dataType, DATA_TYPE.FLOAT));
  if (name) fields.push(strField(TENSOR.name, name));
  fields.push({ no: TENSOR.rawData, wire: 2, value: new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength).slice() });
  return encodeMessage(fields);
}

function decodeNode(bytes: Uint8Array): GraphNode {
  const f = decodeMessage(bytes);
  const attributes = new Map<string, ProtoField[]>();
  for (const a of f.filter((x) => x.no === NODE.attribute)) {
    const fields = decodeMessage(a.value as Uint8Array);
    attributes.set(str(fields.find((x) => x.no === ATTR.name)!), fields);
  }
  const one = (no: number): string => {
    const x = f.find((y) => y.no === no);
    return x ? str(x) : '';
  };
  return {
    opType: one(NODE.opType),
    name: one(NODE.name),
    domain: one(NODE.domain),
    inputs: f.filter((x) => x.no === NODE.input).map(str),
    outputs: f.filter((x) => x.no === NODE.output).map(str),
    attributes,
  };
}

function encodeNode(n: GraphNode): ProtoField[] {
  const fields: ProtoField[] = [];
  for (const i of n.inputs) fields.push(strField(NODE.input, i));
  for (const o of n.outputs) fields.push(strField(NODE.output, o));
  if (n.name) fields.push(strField(NODE.name, n.name));
  fields.push(strField(NODE.opType, n.opType));
  for (const a of n.attributes.values()) fields.push(msgField(NODE.attribute, a));
  if (n.domain) fields.push(strField(NODE.domain, n.domain));
  return fields;
}

/** A Constant node's `value` attribute holding an encoded TensorProto. */
const valueAttribute = (tensor: Uint8Array): ProtoField[] => [strField(ATTR.name, 'value'), { no: ATTR.t, wire: 2, value: tensor }, intField(ATTR.type, ATTR_TYPE.TENSOR)];

export function floatAttribute(name: string, v: number): ProtoField[] {
  return [strField(ATTR.name, name), floatField(ATTR.f, v), intField(ATTR.type, ATTR_TYPE.FLOAT)];
}

export function intAttribute(name: string, v: number): ProtoField[] {
  return [strField(ATTR.name, name), intField(ATTR.i, v), intField(ATTR.type, ATTR_TYPE.INT)];
}

export function intsAttributeField(name: string, vs: number[]): ProtoField[] {
  return [strField(ATTR.name, name), ...vs.map((v) => intField(ATTR.ints, v)), intField(ATTR.type, ATTR_TYPE.INTS)];
}

/** An INT or INTS attribute's values; undefined when absent. */
export function intsAttribute(n: GraphNode, name: string): number[] | undefined {
  const a = n.attributes.get(name);
  if (!a) return undefined;
  return a.flatMap((f) => (f.no === ATTR.i ? [Number(BigInt.asIntN(64, f.value as bigint))] : f.no === ATTR.ints ? (f.wire === 0 ? [Number(BigInt.asIntN(64, f.value as bigint))] : packedVarints(f.value as Uint8Array).map(Number)) : []));
}

export function floatAttributeValue(n: GraphNode, name: string): number | undefined {
  const f = n.attributes.get(name)?.find((x) => x.no === ATTR.f);
  return f ? fixedFloat(f) : undefined;
}

/**
 * A graph's float constants by the name of the value they define, decoded on first use;
 * `edit` marks one to be written back (the others keep their original bytes).
 */
export class FloatConstants {
  private readonly entries = new Map<string, { tensor?: Uint8Array; value?: FloatConstant; dirty: boolean }>();

  /** Registers a TensorProto if it holds floats. */
  register(name: string, tensor: Uint8Array): void {
    const fields = decodeMessage(tensor);
    if (Number(fields.find((f) => f.no === TENSOR.dataType)?.value ?? 0) === DATA_TYPE.FLOAT) this.entries.set(name, { tensor, dirty: false });
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The constant's dims and values (do not modify: see edit); undefined if not a float constant or undecodable. */
  get(name: string): FloatConstant | undefined {
    const e = this.entries.get(name);
    if (!e) return undefined;
    if (!e.value) {
      e.value = decodeFloatTensor(e.tensor!);
      if (!e.value) this.entries.delete(name);
    }
    return e.value;
  }

  /** The constant, to be modified in place and written back. */
  edit(name: string): FloatConstant | undefined {
    const c = this.get(name);
    if (c) this.entries.get(name)!.dirty = true;
    return c;
  }

  set(name: string, value: FloatConstant): void {
    this.entries.set(name, { value, dirty: true });
  }

  /** The constant's new TensorProto if it was edited or set, else undefined. */
  encoded(name: string, tensorName?: string): Uint8Array | undefined {
    const e = this.entries.get(name);
    return e?.dirty && e.value ? encodeFloatTensor(e.value, tensorName) : undefined;
  }
}

export class OnnxGraph {
  nodes: GraphNode[];
  readonly constants = new FloatConstants();
  private readonly modelFields: ProtoField[];
  private readonly graphFields: ProtoField[];
  private names?: Set<string>;

  constructor(bytes: Uint8Array) {
    this.modelFields = decodeMessage(bytes);
    const graph = this.modelFields.find((f) => f.no === MODEL.graph);
    if (!graph) throw new Error('not an ONNX model: no graph');
    this.graphFields = decodeMessage(graph.value as Uint8Array);
    this.nodes = this.graphFields.filter((f) => f.no === GRAPH.node).map((f) => decodeNode(f.value as Uint8Array));
    for (const n of this.nodes) {
      if (n.opType !== 'Constant' || n.outputs.length !== 1) continue;
      const t = n.attributes.get('value')?.find((f) => f.no === ATTR.t);
      if (t) this.constants.register(n.outputs[0], t.value as Uint8Array);
    }
    for (const f of this.graphFields.filter((x) => x.no === GRAPH.initializer)) {
      const name = decodeMessage(f.value as Uint8Array).find((x) => x.no === TENSOR.name);
      if (name) this.constants.register(str(name), f.value as Uint8Array);
    }
  }

  /** The graph's outputs: names, and dims where static (undefined for a named or unknown dim). */
  outputs(): Array<{ name: string; dims: Array<number | undefined> }> {
    return this.graphFields
      .filter((f) => f.no === GRAPH.output)
      .map((f) => {
        const info = decodeMessage(f.value as Uint8Array);
        const type = info.find((x) => x.no === VALUE_INFO.type);
        const tensor = type && decodeMessage(type.value as Uint8Array).find((x) => x.no === TYPE.tensorType);
        const shape = tensor && decodeMessage(tensor.value as Uint8Array).find((x) => x.no === TYPE.shape);
        const dims = shape
          ? decodeMessage(shape.value as Uint8Array)
              .filter((x) => x.no === 1)
              .map((d) => {
                const v = decodeMessage(d.value as Uint8Array).find((x) => x.no === 1);
                return v ? Number(v.value) : undefined;
              })
          : [];
        return { name: str(info.find((x) => x.no === VALUE_INFO.name)!), dims };
      });
  }

  /** Replaces the graph's outputs (element types as ONNX DataType numbers, shapes left to inference). */
  setOutputs(outputs: Array<{ name: string; elemType: number }>): void {
    const fields = outputs.map((o) =>
      msgField(GRAPH.output, [
        strField(VALUE_INFO.name, o.name),
        msgField(VALUE_INFO.type, [msgField(TYPE.tensorType, [intField(TYPE.elemType, o.elemType)])]),
      ]),
    );
    const at = this.graphFields.findIndex((f) => f.no === GRAPH.output);
    const rest = this.graphFields.filter((f) => f.no !== GRAPH.output);
    rest.splice(at < 0 ? rest.length : at, 0, ...fields);
    this.graphFields.splice(0, this.graphFields.length, ...rest);
  }

  /** The version of the default (ai.onnx) operator set the model imports. */
  opset(): number {
    for (const f of this.modelFields.filter((x) => x.no === MODEL.opsetImport)) {
      const id = decodeMessage(f.value as Uint8Array);
      const domain = id.find((x) => x.no === 1);
      if (!domain || str(domain) === '' || str(domain) === 'ai.onnx') return Number(id.find((x) => x.no === 2)?.value ?? 0);
    }
    return 0;
  }

  /** Appends a node. */
  addNode(opType: string, inputs: string[], outputs: string[], attributes: ProtoField[][] = []): void {
    this.nodes.push({
      opType,
      name: '',
      domain: '',
      inputs,
      outputs,
      attributes: new Map(attributes.map((a) => [str(a.find((f) => f.no === ATTR.name)!), a])),
    });
  }

  /** Declares an int64 constant (as a Constant node placed first). */
  addInt64Constant(name: string, values: number[]): void {
    const raw = new Uint8Array(values.length * 8);
    values.forEach((v, i) => new DataView(raw.buffer).setBigInt64(i * 8, BigInt(v), true));
    const tensor = encodeMessage([intField(TENSOR.dims, values.length), intField(TENSOR.dataType, DATA_TYPE.INT64), { no: TENSOR.rawData, wire: 2, value: raw }]);
    this.prependConstant(name, new Map([['value', valueAttribute(tensor)]]));
  }

  /** Declares a constant of any element type from its little-endian bytes (a Constant node placed first). */
  addTensorConstant(name: string, dataType: number, dims: number[], raw: Uint8Array): void {
    const tensor = encodeMessage([...dims.map((d) => intField(TENSOR.dims, d)), intField(TENSOR.dataType, dataType), { no: TENSOR.rawData, wire: 2, value: raw }]);
    this.prependConstant(name, new Map([['value', valueAttribute(tensor)]]));
  }

  /** Sets the version of the default (ai.onnx) operator set the model imports. */
  setOpset(version: number): void {
    const at = this.modelFields.findIndex((f) => {
      if (f.no !== MODEL.opsetImport) return false;
      const d = decodeMessage(f.value as Uint8Array).find((x) => x.no === 1);
      return !d || str(d) === '' || str(d) === 'ai.onnx';
    });
    const field = msgField(MODEL.opsetImport, [strField(1, ''), intField(2, version)]);
    if (at < 0) this.modelFields.push(field);
    else this.modelFields[at] = field;
  }

  /** Imports an operator set of another domain (e.g. com.microsoft), unless already imported. */
  addOpsetImport(domain: string, version: number): void {
    const has = this.modelFields.some((f) => f.no === MODEL.opsetImport && str(decodeMessage(f.value as Uint8Array).find((x) => x.no === 1) ?? { no: 1, wire: 2, value: new Uint8Array() }) === domain);
    if (!has) this.modelFields.push(msgField(MODEL.opsetImport, [strField(1, domain), intField(2, version)]));
  }

  /** A constant's value if `name` is a float constant with a single element. */
  scalar(name: string): number | undefined {
    const c = this.constants.get(name);
    return c && c.data.length === 1 ? c.data[0] : undefined;
  }

  /** Nodes reading each value (a node reading one value twice is listed twice). */
  consumers(): Map<string, GraphNode[]> {
    const m = new Map<string, GraphNode[]>();
    for (const n of this.nodes) {
      for (const i of n.inputs) {
        const list = m.get(i);
        if (list) list.push(n);
        else m.set(i, [n]);
      }
    }
    return m;
  }

  /** Declares a new float constant (as a Constant node placed first). */
  addConstant(name: string, c: FloatConstant): void {
    this.constants.set(name, c);
    // Its value attribute is written by encode(), from `constants`.
    this.prependConstant(name, new Map());
  }

  private prependConstant(name: string, attributes: Map<string, ProtoField[]>): void {
    this.nodes.unshift({ opType: 'Constant', name: '', domain: '', inputs: [], outputs: [name], attributes });
  }

  /** A fresh value name starting with `base`. */
  freshName(base: string): string {
    this.names ??= new Set(this.nodes.flatMap((n) => [...n.inputs, ...n.outputs]));
    for (let i = 0; ; i++) {
      const name = `${base}_${i}`;
      if (!this.names.has(name)) {
        this.names.add(name);
        return name;
      }
    }
  }

  encode(): Uint8Array {
    // Constant nodes carry their (possibly rewritten) values; nodes no longer read are dropped.
    const read = new Set(this.nodes.flatMap((n) => n.inputs));
    for (const o of this.graphFields.filter((f) => f.no === GRAPH.output)) {
      read.add(str(decodeMessage(o.value as Uint8Array).find((x) => x.no === 1)!));
    }
    const nodes = this.nodes.filter((n) => n.opType !== 'Constant' || n.outputs.some((o) => read.has(o)));
    const nodeFields = nodes.map((n) => {
      const tensor = n.opType === 'Constant' ? this.constants.encoded(n.outputs[0]) : undefined;
      if (tensor) n.attributes.set('value', valueAttribute(tensor));
      return msgField(GRAPH.node, encodeNode(n));
    });
    const initializers = this.graphFields
      .filter((f) => f.no === GRAPH.initializer)
      .map((f): ProtoField => {
        const nameField = decodeMessage(f.value as Uint8Array).find((x) => x.no === TENSOR.name);
        const name = nameField ? str(nameField) : '';
        const tensor = this.constants.encoded(name, name);
        return tensor ? { no: f.no, wire: f.wire, value: tensor } : f;
      });
    const rest = this.graphFields.filter((f) => f.no !== GRAPH.node && f.no !== GRAPH.initializer);
    const graph = encodeMessage([...nodeFields, ...initializers, ...rest]);
    return encodeMessage(this.modelFields.map((f) => (f.no === MODEL.graph ? { no: f.no, wire: 2, value: graph } : f)));
  }
}
