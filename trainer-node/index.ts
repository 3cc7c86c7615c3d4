/** `fastworkflow-web/node`: the Node side — bundles from disk, the encoder, training, workflow loading. */
export { loadNodeBundleClassifier } from './bundle-node.ts';
export { FsBundleSource } from './bundle-fs-source.ts';
export { createNodeEncoder, nodeOrt, type NodeEncoder, type NodeRuntime } from './node-encoder.ts';
export { loadWorkflow, exampleNames } from './load-workflow.ts';
export { trainWorkflow, loadEncoder, type TrainSummary } from './train/train.ts';
export { cacheRoot, defaultBundleDir, defaultEncoderDir, modelsDir, projectRoot } from './paths.ts';
export { main as runCli } from './cli.ts';
export { llmConfigFromEnv, type LlmFlags } from './llm-env.ts';
export { FileCorrectionStore, defaultCorrectionsFile } from './file-correction-store.ts';
export { readCorrectionsFile, type VettedCorrections } from './read-corrections.ts';
