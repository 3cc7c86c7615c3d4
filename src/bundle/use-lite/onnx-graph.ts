/**
 * Reads the parts of an ONNX model that the built-in encoder needs: the graph's name, its
 * initializers (weights) and its nodes with their attributes. Not a general ONNX loader: tensors
 * must hold raw little-endian data (what onnx writers emit for weights), which is all the trainer's
 * own models use.
 */
import { ProtoFormatError, WireType, packedVarints, readFields, utf8 } from './protobuf-reader.ts';

/** ONNX TensorProto.DataType values read here. */
export const OnnxType = { FLOAT: 1, INT8: 3, INT64: 7 } as const;

export interface OnnxTensor {
  readonly name: string;
  readonly dataType: number;
  readonly dims: readonly number[];
  /** raw_data bytes, little-endian. */
  readonly raw: Uint8Array;
}

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Float and int attributes by name (the ones this reader needs). */
  readonly attributes: ReadonlyMap<string, number>;
}

export interface OnnxGraph {
  readonly name: string;
  readonly initializers: ReadonlyMap<string, OnnxTensor>;
  readonly nodes: readonly OnnxNode[];
}

/** Thrown for bytes that are not an ONNX model this reader understands. */
export class OnnxReadError extends Error {}

/** ModelProto.graph → GraphProto { node, name, initializer }. */
export function readOnnxGraph(model: Uint8Array): OnnxGraph {
  try {
    let graph: Uint8Array | undefined;
    for (const f of readFields(model)) if (f.field === 7 && f.wire === WireType.Bytes) graph = f.bytes;
    if (!graph) throw new OnnxReadError('the file has no graph (is it an ONNX model?)');
    let name = '';
    const initializers = new Map<string, OnnxTensor>();
    const nodes: OnnxNode[] = [];
    for (const f of readFields(graph)) {
      if (f.wire !== WireType.Bytes) continue;
      if (f.field === 1) nodes.push(readNode(f.bytes));
      else if (f.field === 2) name = utf8(f.bytes);
      else if (f.field === 5) {
        const tensor = readTensor(f.bytes);
        initializers.set(tensor.name, tensor);
      }
    }
    return { name, initializers, nodes };
  } catch (err) {
    if (err instanceof ProtoFormatError) throw new OnnxReadError(`not a readable ONNX model (${err.message})`);
    throw err;
  }
}

/** Only the graph's name: cheap enough to decide which runtime a model needs. */
export function onnxGraphName(model: Uint8Array): string | undefined {
  try {
    for (const f of readFields(model)) {
      if (f.field !== 7 || f.wire !== WireType.Bytes) continue;
      // The name follows the nodes in writers' output, but fields may come in any order.
      for (const g of readFields(f.bytes)) if (g.field === 2 && g.wire === WireType.Bytes) return utf8(g.bytes);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function readTensor(bytes: Uint8Array): OnnxTensor {
  let name = '';
  let dataType = 0;
  const dims: number[] = [];
  let raw: Uint8Array | undefined;
  for (const f of readFields(bytes)) {
    if (f.field === 1) dims.push(...packedVarints(f));
    else if (f.field === 2) dataType = f.int;
    else if (f.field === 8) name = utf8(f.bytes);
    else if (f.field === 9) raw = f.bytes;
  }
  if (!raw) throw new OnnxReadError(`initializer "${name}" keeps its values outside raw_data; this reader needs raw_data`);
  return { name, dataType, dims, raw };
}

function readNode(bytes: Uint8Array): OnnxNode {
  const inputs: string[] = [];
  const outputs: string[] = [];
  const attributes = new Map<string, number>();
  let name = '';
  let opType = '';
  for (const f of readFields(bytes)) {
    if (f.wire !== WireType.Bytes) continue;
    if (f.field === 1) inputs.push(utf8(f.bytes));
    else if (f.field === 2) outputs.push(utf8(f.bytes));
    else if (f.field === 3) name = utf8(f.bytes);
    else if (f.field === 4) opType = utf8(f.bytes);
    else if (f.field === 5) {
      const attr = readAttribute(f.bytes);
      if (attr) attributes.set(attr.name, attr.value);
    }
  }
  return { name, opType, inputs, outputs, attributes };
}

/** AttributeProto { name = 1, f = 2, i = 3 }: float and int attributes only. */
function readAttribute(bytes: Uint8Array): { name: string; value: number } | undefined {
  let name = '';
  let value: number | undefined;
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.wire === WireType.Bytes) name = utf8(f.bytes);
    else if (f.field === 2 && f.wire === WireType.Fixed32) value = new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true);
    else if (f.field === 3 && f.wire === WireType.Varint) value = f.int;
  }
  return value === undefined ? undefined : { name, value };
}

/** An initializer's values as float32 (copied, so the result is aligned). */
export function floats(tensor: OnnxTensor): Float32Array {
  if (tensor.dataType !== OnnxType.FLOAT) throw new OnnxReadError(`initializer "${tensor.name}" is not float32`);
  const out = new Float32Array(tensor.raw.byteLength / 4);
  new Uint8Array(out.buffer).set(tensor.raw);
  return out;
}

/** An initializer's values as int8 (a view). */
export function int8s(tensor: OnnxTensor): Int8Array {
  if (tensor.dataType !== OnnxType.INT8) throw new OnnxReadError(`initializer "${tensor.name}" is not int8`);
  return new Int8Array(tensor.raw.buffer, tensor.raw.byteOffset, tensor.raw.byteLength);
}

/** An initializer's values as numbers (int64). */
export function int64s(tensor: OnnxTensor): number[] {
  if (tensor.dataType !== OnnxType.INT64) throw new OnnxReadError(`initializer "${tensor.name}" is not int64`);
  const view = new DataView(tensor.raw.buffer, tensor.raw.byteOffset, tensor.raw.byteLength);
  return Array.from({ length: tensor.raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}
