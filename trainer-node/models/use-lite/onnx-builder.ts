/**
 * A small, deterministic ONNX graph writer on top of the `onnx-proto` protobuf classes.
 * Names are chosen by the caller, initializers and nodes keep insertion order, and scalar
 * constants are shared, so the same calls always encode to the same bytes.
 */
import type * as OnnxProto from 'onnx-proto';
import { requirePeerSync } from '../../peer-deps.ts';

const { onnx } = requirePeerSync<typeof OnnxProto>('onnx-proto', 'build the built-in offline encoder');

type NodeProto = OnnxProto.onnx.INodeProto;
type TensorProto = OnnxProto.onnx.ITensorProto;
type AttributeProto = OnnxProto.onnx.IAttributeProto;
type ValueInfoProto = OnnxProto.onnx.IValueInfoProto;

export const DataType = {
  FLOAT: onnx.TensorProto.DataType.FLOAT,
  INT8: onnx.TensorProto.DataType.INT8,
  INT64: onnx.TensorProto.DataType.INT64,
} as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

/** Attribute values, tagged so that `1` can be told apart from `1.0`. */
export type AttributeValue = { int: number } | { float: number } | { ints: readonly number[] };

/** A graph input or output: element type plus dims (a string is a symbolic dim). */
export interface GraphIo {
  name: string;
  type: DataType;
  dims: ReadonlyArray<string | number>;
}

export interface ModelInfo {
  graphName: string;
  producerName: string;
  producerVersion: string;
  docString: string;
  opsetVersion: number;
  inputs: readonly GraphIo[];
  outputs: readonly GraphIo[];
}

/** ONNX IR version 8 is what opset 17 was released with; every onnxruntime since 1.10 reads it. */
const IR_VERSION = 8;

export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly names = new Set<string>();

  /** Adds a float32 initializer; the bytes are copied. */
  floatTensor(name: string, dims: readonly number[], values: Float32Array): string {
    return this.addInitializer(name, DataType.FLOAT, dims, bytesOf(values));
  }

  /** Adds an int8 initializer; the bytes are copied. */
  int8Tensor(name: string, dims: readonly number[], values: Int8Array): string {
    return this.addInitializer(name, DataType.INT8, dims, bytesOf(values));
  }

  /** Adds an int64 initializer. */
  int64Tensor(name: string, dims: readonly number[], values: readonly number[]): string {
    return this.addInitializer(name, DataType.INT64, dims, bytesOf(BigInt64Array.from(values, (v) => BigInt(v))));
  }

  /** A shared float32 scalar constant. */
  scalar(value: number): string {
    const name = `const/float/${value}`;
    return this.names.has(name) ? name : this.floatTensor(name, [], Float32Array.of(value));
  }

  /** A shared int64 vector constant (axes, shapes, split sizes). */
  int64s(values: readonly number[]): string {
    const name = `const/int64/${values.join('_')}`;
    return this.names.has(name) ? name : this.int64Tensor(name, [values.length], values);
  }

  /** Adds a node with one output, named `name`, and returns that output. */
  node(opType: string, inputs: readonly string[], name: string, attrs: Record<string, AttributeValue> = {}): string {
    return this.nodeWithOutputs(opType, inputs, name, [name], attrs)[0];
  }

  /** Adds a node whose outputs are `${name}/${suffix}` for each suffix, and returns them. */
  nodeOutputs(
    opType: string,
    inputs: readonly string[],
    name: string,
    suffixes: readonly string[],
    attrs: Record<string, AttributeValue> = {},
  ): string[] {
    return this.nodeWithOutputs(opType, inputs, name, suffixes.map((s) => `${name}/${s}`), attrs);
  }

  /** Encodes the graph as an ONNX model. */
  encode(info: ModelInfo): Uint8Array {
    const model: OnnxProto.onnx.IModelProto = {
      irVersion: IR_VERSION,
      producerName: info.producerName,
      producerVersion: info.producerVersion,
      docString: info.docString,
      opsetImport: [{ domain: '', version: info.opsetVersion }],
      graph: {
        name: info.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: info.inputs.map(valueInfo),
        output: info.outputs.map(valueInfo),
      },
    };
    return onnx.ModelProto.encode(model).finish();
  }

  private nodeWithOutputs(
    opType: string,
    inputs: readonly string[],
    name: string,
    outputs: readonly string[],
    attrs: Record<string, AttributeValue>,
  ): string[] {
    for (const output of outputs) this.claim(output);
    this.nodes.push({
      name,
      opType,
      input: [...inputs],
      output: [...outputs],
      attribute: Object.entries(attrs).map(([attrName, value]) => attribute(attrName, value)),
    });
    return [...outputs];
  }

  private addInitializer(name: string, dataType: DataType, dims: readonly number[], rawData: Uint8Array): string {
    this.claim(name);
    this.initializers.push({ name, dataType, dims: [...dims], rawData });
    return name;
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`ONNX value name used twice: ${name}`);
    this.names.add(name);
  }
}

function attribute(name: string, value: AttributeValue): AttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.INTS, ints: [...value.ints] };
}

function valueInfo(io: GraphIo): ValueInfoProto {
  return {
    name: io.name,
    type: {
      tensorType: {
        elemType: io.type,
        shape: { dim: io.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

/** Little-endian bytes of a typed array (ONNX raw_data is little-endian, as are all targets we run on). */
function bytesOf(values: Float32Array | Int8Array | BigInt64Array): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}
