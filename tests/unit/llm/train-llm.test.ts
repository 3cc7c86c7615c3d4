import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainCommand } from '../../../trainer-node/train-command.ts';
import { startMockLlm, type MockLlm } from './mock-server.ts';

let llm: MockLlm;
let root: string;
beforeAll(async () => {
  llm = await startMockLlm();
  root = await mkdtemp(join(tmpdir(), 'fw-train-llm-'));
});
afterAll(async () => {
  await llm.close();
  await rm(root, { recursive: true, force: true });
});

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[join(entry.parentPath, entry.name).slice(dir.length)] = createHash('sha256').update(await readFile(join(entry.parentPath, entry.name))).digest('hex');
  }
  return out;
}

describe('fastworkflow train --llm', () => {
  it('asks the LLM once per command, then re-trains offline from the cache into a byte-identical bundle', async () => {
    const cache = join(root, 'paraphrases');
    llm.push({ reply: { content: JSON.stringify({ paraphrases: ['what do 12 and 30 make', 'sum up 7 and 8 for me', 'could you total 3 and 4'] }) } });
    const common = ['hello_world', '--llm', '--llm-model', 'para-model', '--paraphrases-dir', cache, '--quiet'];
    expect(await trainCommand([...common, '--llm-base-url', llm.baseURL, '--out', join(root, 'a')])).toBe(0);
    expect(llm.received).toHaveLength(1);
    expect(JSON.stringify(llm.received[0].body.messages)).toContain('add_two_numbers');

    // No endpoint this time: everything from the cache.
    expect(await trainCommand([...common, '--out', join(root, 'b')])).toBe(0);
    expect(llm.received).toHaveLength(1);
    const [a, b] = [await hashes(join(root, 'a')), await hashes(join(root, 'b'))];
    expect(Object.keys(a)).toContain('/manifest.json');
    expect(b).toEqual(a);
    // …and the paraphrases were trained on: without --llm the heads differ.
    expect(await trainCommand(['hello_world', '--quiet', '--out', join(root, 'c')])).toBe(0);
    expect((await hashes(join(root, 'c')))['/manifest.json']).not.toBe(a['/manifest.json']);
  }, 180_000);
});
