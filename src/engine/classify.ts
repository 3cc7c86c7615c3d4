import { ErrorCode, FastWorkflowError, toErrorData } from '../errors.ts';
import type { IntentPrediction } from '../intent/classifier.ts';
import { replies } from './replies.ts';
import type { TurnRuntime } from './runtime.ts';

/** The classifier's prediction for a context; a failure becomes a `classifier_failed` error that says what to do. */
export async function classify<App>(rt: TurnRuntime<App>, text: string, context: string, signal: AbortSignal): Promise<IntentPrediction> {
  try {
    return await rt.classifier.classify(text, context, { signal });
  } catch (err) {
    const data = toErrorData(err, ErrorCode.ClassifierFailed);
    if (data.code === ErrorCode.Aborted) throw new FastWorkflowError(ErrorCode.Aborted, replies.classifierFailed(data.message));
    throw new FastWorkflowError(ErrorCode.ClassifierFailed, replies.classifierFailed(data.message));
  }
}
