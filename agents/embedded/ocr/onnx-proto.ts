/**
 * Just enough of the protobuf wire format to edit an ONNX model's graph: messages decode to
 * their fields in order, unknown fields included, and encode back byte for byte. Only the
 * ONNX messages a rewrite touches are given names (see the *_FIELD tables below).
 */

/** One field of a message: its number, wire type and payload (varints and fixed64 as bigint). */
export interface ProtoField {
  no: number;
  wire: 0 | 1 | 2 | 5;
  value: bigint | Uint8Array;
}

export class ProtoError extends Error {
  override name = 'ProtoError';
}

function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new ProtoError('truncated varint');
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [result, pos];
    shift += 7n;
    if (shift > 70n) throw new ProtoError('varint longer than 10 bytes');
  }
}

export function decodeMessage(buf: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p] = readVarint(buf, pos);
    pos = p;
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [v, q] = readVarint(buf, pos);
      fields.push({ no, wire, value: v });
      pos = q;
    } else if (wire === 2) {
      const [len, q] = readVarint(buf, pos);
      const end = q + Number(len);
      if (end > buf.length) throw new ProtoError(`field ${no} runs past the end of its message`);
      fields.push({ no, wire, value: buf.subarray(q, end) });
      pos = end;
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (pos + n > buf.length) throw new ProtoError(`truncated fixed field ${no}`);
      fields.push({ no, wire, value: buf.subarray(pos, pos + n) });
      pos += n;
    } else {
      throw new ProtoError(`unsupported wire type ${wire} for field ${no}`);
    }
  }
  return fields;
}

function varintSize(v: bigint): number {
  // Negative int64 values are written as their two's complement (ten bytes).
  let x = v < 0n ? v + (1n << 64n) : v;
  let n = 1;
  while (x >= 0x80n) {
    x >>= 7n;
    n++;
  }
  return n;
}

function writeVarint(out: Uint8Array, pos: number, v: bigint): number {
  if (v >= 0n && v < 0x80n) {
    out[pos] = Number(v);
    return pos + 1;
  }
  let x = v < 0n ? v + (1n << 64n) : v;
  while (x >= 0x80n) {
    out[pos++] = Number(x & 0x7fn) | 0x80;
    x >>= 7n;
  }
  out[pos++] = Number(x);
  return pos;
}

const payloadSize = (f: ProtoField): number =>
  f.wire === 0 ? varintSize(f.value as bigint) : f.wire === 2 ? varintSize(BigInt((f.value as Uint8Array).length)) + (f.value as Uint8Array).length : (f.value as Uint8Array).length;

export function encodeMessage(fields: readonly ProtoField[]): Uint8Array {
  let size = 0;
  for (const f of fields) size += varintSize(BigInt((f.no << 3) | f.wire)) + payloadSize(f);
  const out = new Uint8Array(size);
  let pos = 0;
  for (const f of fields) {
    pos = writeVarint(out, pos, BigInt((f.no << 3) | f.wire));
    if (f.wire === 0) pos = writeVarint(out, pos, f.value as bigint);
    else {
      const bytes = f.value as Uint8Array;
      if (f.wire === 2) pos = writeVarint(out, pos, BigInt(bytes.length));
      out.set(bytes, pos);
      pos += bytes.length;
    }
  }
  return out;
}

const utf8 = new TextDecoder();
const utf8Enc = new TextEncoder();

export const str = (f: ProtoField): string => utf8.decode(f.value as Uint8Array);
export const strField = (no: number, s: string): ProtoField => ({ no, wire: 2, value: utf8Enc.encode(s) });
export const msgField = (no: number, fields: readonly ProtoField[]): ProtoField => ({ no, wire: 2, value: encodeMessage(fields) });
export const intField = (no: number, v: number | bigint): ProtoField => ({ no, wire: 0, value: BigInt(v) });
export const floatField = (no: number, v: number): ProtoField => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return { no, wire: 5, value: b };
};
export const fixedFloat = (f: ProtoField): number => {
  const b = f.value as Uint8Array;
  return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
};

/** Field numbers of the ONNX messages (onnx.proto3). */
export const MODEL = { graph: 7, opsetImport: 8 } as const;
export const GRAPH = { node: 1, initializer: 5, input: 11, output: 12, valueInfo: 13 } as const;
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
export const ATTR = { name: 1, f: 2, i: 3, s: 4, t: 5, floats: 7, ints: 8, type: 20 } as const;
export const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;
export const TENSOR = { dims: 1, dataType: 2, floatData: 4, int64Data: 7, name: 8, rawData: 9 } as const;
export const DATA_TYPE = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;
export const VALUE_INFO = { name: 1, type: 2 } as const;
/** TypeProto.tensor_type, and within it TypeProto.Tensor's elem_type and shape. */
export const TYPE = { tensorType: 1, elemType: 1, shape: 2 } as const;
