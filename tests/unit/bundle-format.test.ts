import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  decodeHead,
  decodeMemoryLabels,
  decodeWorkflowFile,
  dequantizeMemory,
  encodeHead,
  encodeMemoryLabels,
  encodeWorkflowFile,
  encoderDigest,
  quantizeMemory,
  MEMORY_SCALE,
} from '../../src/bundle/format/index.ts';
import { compileWorkflow, defineCommand, defineWorkflow } from '../../src/index.ts';

describe('bundle format: heads and memory', () => {
  it('round-trips a head and refuses one of the wrong size', () => {
    const weights = new Float32Array([0.5, -1.25, 3, 4, 5, 6]);
    const bias = new Float32Array([0.1, -0.2]);
    const bytes = encodeHead(weights, bias);
    expect(bytes.length).toBe(8 * 4);
    const head = decodeHead(bytes, 2, 3)!;
    expect([...head.weights]).toEqual([...weights]);
    expect([...head.bias]).toEqual([...bias]);
    expect(decodeHead(bytes, 2, 4)).toBeUndefined();
  });

  it('stores the memory as int8 × 127 (clamped) and reads it back within one step', () => {
    const memory = new Float32Array([1, -1, 0.5, -0.25, 0, 1.5, -3]);
    const bytes = quantizeMemory(memory);
    expect([...new Int8Array(bytes.buffer)]).toEqual([127, -127, 64, -32, 0, 127, -127]);
    const back = dequantizeMemory(bytes);
    for (let i = 0; i < 5; i++) expect(Math.abs(back[i] - memory[i])).toBeLessThanOrEqual(0.5 / MEMORY_SCALE);
    expect(back[5]).toBe(1);
    expect(back[6]).toBe(-1);
  });

  it('round-trips the memory labels', () => {
    const labels = new Uint16Array([0, 3, 65535]);
    expect([...decodeMemoryLabels(encodeMemoryLabels(labels))]).toEqual([0, 3, 65535]);
  });

  it('hashes the encoder files independently of their order', async () => {
    const a = await encoderDigest([{ path: 'x', sha256: '1' }, { path: 'y', sha256: '2' }]);
    const b = await encoderDigest([{ path: 'y', sha256: '2' }, { path: 'x', sha256: '1' }]);
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('bundle format: workflow.json', () => {
  const hello = defineWorkflow({
    name: 'hello',
    description: 'Adds.',
    contexts: [{ name: '*', commands: [defineCommand({ name: 'add', description: 'Add.', input: z.object({ a: z.number() }), run: () => 'ok' })] }],
    createApp: () => ({}),
  });

  it('reads back what the trainer writes', () => {
    const compiled = compileWorkflow(hello);
    const file = { workflow: 'hello', description: 'Adds.', ...compiled.metadata() };
    expect(decodeWorkflowFile(encodeWorkflowFile(file))).toEqual(file);
  });

  it('refuses a malformed file with a clear error', () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ workflow: 'hello', contexts: {}, commands: [{ name: 'add' }] }));
    expect(() => decodeWorkflowFile(bytes, 'b/workflow.json')).toThrow(/b\/workflow\.json is malformed: description: .*Re-train the bundle/);
    expect(() => decodeWorkflowFile(new TextEncoder().encode('{'), 'b/workflow.json')).toThrow(/not valid JSON/);
  });
});
