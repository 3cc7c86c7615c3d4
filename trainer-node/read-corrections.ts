import { readFile } from 'node:fs/promises';
import { checkCorrections, correctionKey, compileWorkflow, ErrorCode, FastWorkflowError, formatProblem, parseCorrectionsFile, trainedCommandFor, type CorrectionRecord, type WorkflowDefinition } from '../src/index.ts';

/** A correction of the file that is used, or skipped because another command was trained on its phrase. */
export interface VettedCorrections {
  used: (CorrectionRecord & { line: number })[];
  skipped: { line: number; utterance: string; command: string; trainedFor: string }[];
}

/**
 * Read a corrections file (the page's download, `corrections export`) for a workflow. A file that is
 * not the format, or names an unknown workflow, context or command, is refused whole: the error lists
 * every problem as `file:line: reason`. A phrase another command was trained on is skipped, not learned
 * (it would silently override the developer's utterance).
 */
export async function readCorrectionsFile(file: string, workflow: WorkflowDefinition<any>, option = '--corrections'): Promise<VettedCorrections> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `${option} ${file} could not be read (${(err as Error).message}).`);
  }
  const compiled = compileWorkflow(workflow);
  const parsed = parseCorrectionsFile(text);
  const problems = parsed.ok ? checkCorrections(parsed.corrections, compiled) : parsed.problems;
  if (!parsed.ok || problems.length) {
    const lines = problems.slice(0, 20).map((p) => formatProblem(file, p));
    if (problems.length > 20) lines.push(`… and ${problems.length - 20} more.`);
    throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `${option} ${file} was refused; nothing was used:\n${lines.join('\n')}`);
  }
  const out: VettedCorrections = { used: [], skipped: [] };
  const seen = new Set<string>();
  for (const c of parsed.corrections) {
    const trainedFor = trainedCommandFor(compiled, c.context, c.utterance);
    if (trainedFor && trainedFor !== c.command) out.skipped.push({ line: c.line, utterance: c.utterance, command: c.command, trainedFor });
    else {
      // A later line about the same phrase in the same context replaces an earlier one (as in the stores).
      const key = phraseKey(c);
      if (seen.has(key)) out.used = out.used.filter((u) => phraseKey(u) !== key);
      seen.add(key);
      out.used.push(c);
    }
  }
  return out;
}

/** "skipped" lines for the terminal. */
export function describeSkipped(file: string, skipped: VettedCorrections['skipped']): string[] {
  return skipped.map((s) => `${file}:${s.line}: skipped "${s.utterance}" → ${s.command}: it is a training phrase of ${s.trainedFor}.`);
}

function phraseKey(c: { context: string; utterance: string }): string {
  return `${c.context}\u0000${correctionKey(c.utterance)}`;
}
