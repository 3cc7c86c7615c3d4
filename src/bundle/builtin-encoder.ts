/** The manifest's `encoder.source` of bundles trained with the built-in encoder (USE-Lite). */
export const BUILTIN_ENCODER_SOURCE = 'builtin:use-lite-en';
