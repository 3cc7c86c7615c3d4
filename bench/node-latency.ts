/** Intent and turn latency in Node (onnxruntime-node when installed), on a trained bundle. */
import { join } from 'node:path';
import { WorkflowSession } from '../src/index.ts';
import { createNodeEncoder } from '../trainer-node/node-encoder.ts';
import { examples } from '../demo/workflows/index.ts';
import { loadNodeBundleClassifier } from '../trainer-node/bundle-node.ts';
import { summary, UTTERANCES } from './stats.ts';

export async function benchNode(bundlesDir: string, rounds = 20) {
  const dir = join(bundlesDir, 'todo');
  const t0 = performance.now();
  const classifier = await loadNodeBundleClassifier(dir, examples.todo);
  const coldStart = performance.now() - t0;
  const encoder = await createNodeEncoder(join(dir, 'model'), 'q8');

  const encode: number[] = [];
  const intent: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const u of UTTERANCES) {
      const text = `${u} ${r}`; // defeat the classifier's embedding cache
      let t = performance.now();
      await encoder.embed([text]);
      encode.push(performance.now() - t);
      t = performance.now();
      await classifier.classify(text, 'TodoItem');
      intent.push(performance.now() - t);
    }
  }

  // End-to-end turns of a deterministic command (no LLM): intent + extraction + validation + handler.
  const session = await WorkflowSession.open({ workflow: examples.todo, classifier });
  await session.send('open item 1');
  const turn: number[] = [];
  const slash: number[] = [];
  for (let r = 0; r < rounds * 5; r++) {
    let t = performance.now();
    await session.send(`make this ${r % 2 ? 'high' : 'low'} priority, take ${r}`); // distinct texts: no embedding cache
    turn.push(performance.now() - t);
    t = performance.now();
    await session.send(`/set_priority priority=${r % 2 ? 'high' : 'low'}`);
    slash.push(performance.now() - t);
  }
  return { coldStartMs: Math.round(coldStart), encoder: summary(encode), intent: summary(intent), turn: summary(turn), slashTurn: summary(slash) };
}
