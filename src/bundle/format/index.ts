/** The bundle format in one place: what the trainer writes and the runtime reads. */
export { ENCODER_DTYPES, type EncoderDtype } from './dtype.ts';
export { bundleHash, encoderDigest } from './hash.ts';
export { contextFileBase, decodeHead, decodeMemoryLabels, dequantizeMemory, encodeHead, encodeMemoryLabels, MEMORY_SCALE, quantizeMemory } from './heads.ts';
export { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, READABLE_FORMAT_VERSIONS, manifestSchema, parseManifest, type BundleContextEntry, type BundleManifest } from './manifest.ts';
export { decodeWorkflowFile, encodeWorkflowFile, jsonBytes, workflowFileSchema, type WorkflowMetadataFile } from './workflow-file.ts';
