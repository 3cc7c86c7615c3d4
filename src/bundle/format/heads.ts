/**
 * The binary files of one context: the head (Float32 weights then biases), the nearest-neighbour
 * memory (normalised embeddings as int8, value × 127) and its labels (Uint16). Little-endian, as
 * typed arrays are on every platform the runtime supports.
 */

/** Scale of the int8 memory: a component of a normalised embedding in [-1, 1] is stored × 127. */
export const MEMORY_SCALE = 127;

/** File names of a context's head and memory (`i` is the context's position in the manifest). */
export function contextFileBase(index: number, context: string): string {
  return `heads/${String(index).padStart(2, '0')}-${context === '*' ? 'global' : context.replace(/[^\w.-]+/g, '_')}`;
}

export function encodeHead(weights: Float32Array, bias: Float32Array): Uint8Array {
  const head = new Float32Array(weights.length + bias.length);
  head.set(weights);
  head.set(bias, weights.length);
  return bytesOf(head);
}

/** Split a head into weights [labels × width] and biases [labels]; undefined when the size is wrong. */
export function decodeHead(bytes: Uint8Array, labels: number, width: number): { weights: Float32Array; bias: Float32Array } | undefined {
  const head = new Float32Array(new Uint8Array(bytes).buffer);
  if (head.length !== labels * width + labels) return undefined;
  return { weights: head.subarray(0, labels * width), bias: head.subarray(labels * width) };
}

export function quantizeMemory(memory: Float32Array): Uint8Array {
  const q = new Int8Array(memory.length);
  for (let k = 0; k < memory.length; k++) q[k] = Math.max(-MEMORY_SCALE, Math.min(MEMORY_SCALE, Math.round(memory[k] * MEMORY_SCALE)));
  return new Uint8Array(q.buffer);
}

export function dequantizeMemory(bytes: Uint8Array): Float32Array {
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const memory = new Float32Array(signed.length);
  for (let i = 0; i < signed.length; i++) memory[i] = signed[i] / MEMORY_SCALE;
  return memory;
}

export function encodeMemoryLabels(labels: Uint16Array): Uint8Array {
  return bytesOf(labels);
}

export function decodeMemoryLabels(bytes: Uint8Array): Uint16Array {
  return new Uint16Array(new Uint8Array(bytes).buffer);
}

function bytesOf(a: Float32Array | Uint16Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
