import type { ClassifierFactory } from '../../components/fw-chat.ts';

/**
 * Classifier choices of the demo (`?classifier=`). The default is none: `<fw-chat>` then uses the
 * engine's lexical classifier. `failing` simulates an intent model that cannot be loaded, so the error
 * path can be seen (and tested); the lead's `bundle` attribute will plug a Worker in at the same seam.
 */
export function demoClassifierFactory(name: string | undefined): ClassifierFactory | undefined {
  if (name === 'failing') {
    return async (signal) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      signal.throwIfAborted();
      throw new Error('the model file /models/demo/model.onnx was not found (simulated by ?classifier=failing).');
    };
  }
  return undefined;
}
