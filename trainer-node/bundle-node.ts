import { join, resolve } from 'node:path';
import { ErrorCode, FastWorkflowError, compileWorkflow, type WorkflowDefinition } from '../src/index.ts';
import { BundleClassifier, loadBundle } from '../src/bundle/index.ts';
import { createNodeEncoder } from './node-encoder.ts';
import { FsBundleSource } from './bundle-fs-source.ts';

/** Load a trained bundle from disk for a workflow: checked files, the encoder on ONNX Runtime (see node-encoder.ts). */
export async function loadNodeBundleClassifier(bundleDir: string, workflow?: WorkflowDefinition<any>): Promise<BundleClassifier> {
  const dir = resolve(bundleDir);
  const bundle = await loadBundle(new FsBundleSource(dir));
  if (workflow) {
    const compiled = compileWorkflow(workflow);
    if (bundle.manifest.workflow !== compiled.name) {
      throw new FastWorkflowError(ErrorCode.BundleInvalid, `The bundle in ${dir} was trained for workflow "${bundle.manifest.workflow}", not "${compiled.name}". Train it with \`fastworkflow train ${compiled.name}\`.`);
    }
    const missing = compiled.contextNames().filter((c) => !bundle.contexts.has(c));
    if (missing.length) throw new FastWorkflowError(ErrorCode.BundleInvalid, `The bundle in ${dir} has no model for context(s) ${missing.join(', ')}: the workflow changed since training. Re-train it.`);
  }
  const encoder = await createNodeEncoder(join(dir, bundle.manifest.encoder.dir), bundle.manifest.encoder.dtype);
  return new BundleClassifier(bundle, encoder);
}
