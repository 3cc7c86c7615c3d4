/**
 * A minimal protocol-buffers wire reader: enough to walk an ONNX file's messages field by field
 * without a schema compiler. Values are read on demand; length-delimited fields are returned as
 * views into the original bytes (nothing is copied).
 */

/** Wire types of the protobuf encoding. */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
  Fixed32 = 5,
}

export interface ProtoField {
  readonly field: number;
  readonly wire: WireType;
  /** Varint fields: the value (exact up to 2^53). */
  readonly int: number;
  /** Length-delimited fields: a view of the bytes. Fixed32/64 fields: their little-endian bytes. */
  readonly bytes: Uint8Array;
}

export class ProtoFormatError extends Error {}

/** Every field of one message, in the order written. */
export function* readFields(buf: Uint8Array): Generator<ProtoField> {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new ProtoFormatError('truncated varint');
      const b = buf[pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new ProtoFormatError('varint longer than 10 bytes');
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    switch (wire) {
      case WireType.Varint:
        yield { field, wire, int: varint(), bytes: EMPTY };
        break;
      case WireType.Bytes: {
        const length = varint();
        if (pos + length > buf.length) throw new ProtoFormatError(`field ${field} runs past the end of its message`);
        yield { field, wire, int: length, bytes: buf.subarray(pos, pos + length) };
        pos += length;
        break;
      }
      case WireType.Fixed32:
      case WireType.Fixed64: {
        const length = wire === WireType.Fixed32 ? 4 : 8;
        if (pos + length > buf.length) throw new ProtoFormatError(`field ${field} runs past the end of its message`);
        yield { field, wire, int: 0, bytes: buf.subarray(pos, pos + length) };
        pos += length;
        break;
      }
      default:
        throw new ProtoFormatError(`unsupported wire type ${wire} (field ${field})`);
    }
  }
}

/** A repeated varint field, packed (one length-delimited run) or not (one field each). */
export function packedVarints(field: ProtoField): number[] {
  if (field.wire === WireType.Varint) return [field.int];
  return [...readFields(prefixEach(field.bytes))].map((f) => f.int);
}

/** Turns a packed varint run into a message of field-1 varints, so readFields can split it. */
function prefixEach(packed: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < packed.length; ) {
    out.push(0x08);
    while (packed[i] >= 0x80) out.push(packed[i++]);
    out.push(packed[i++]);
  }
  return Uint8Array.from(out);
}

const decoder = new TextDecoder();
export const utf8 = (bytes: Uint8Array): string => decoder.decode(bytes);

const EMPTY = new Uint8Array(0);
