/** How the bundle's encoder weights are stored: float32, or int8 with dynamic quantisation. */
export const ENCODER_DTYPES = ['fp32', 'q8'] as const;
export type EncoderDtype = (typeof ENCODER_DTYPES)[number];
