import { z } from 'zod';
import { ErrorCode, FastWorkflowError } from '../../errors.ts';
import { formatIssues } from '../../schema/zod-issues.ts';

const contextInfo = z.object({ base: z.array(z.string()), commands: z.array(z.string()), description: z.string().optional() });

const commandInfo = z.object({
  name: z.string(),
  description: z.string(),
  /** The context whose definition declares the command. */
  definedIn: z.string(),
  /** JSON Schemas generated from the command's zod input and output. */
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  utterances: z.array(z.string()),
  hidden: z.boolean().optional(),
});

/** `workflow.json`: the workflow's commands and context model as plain metadata. */
export const workflowFileSchema = z.object({
  workflow: z.string(),
  description: z.string(),
  contexts: z.record(z.string(), contextInfo),
  commands: z.array(commandInfo),
});

export type WorkflowMetadataFile = z.infer<typeof workflowFileSchema>;

/** JSON as the bundle writes it: two-space indent and a final newline (byte-stable for equal input). */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

export function encodeWorkflowFile(file: WorkflowMetadataFile): Uint8Array {
  return jsonBytes(file);
}

/** Read and check `workflow.json`; a clear error says what is wrong. */
export function decodeWorkflowFile(bytes: Uint8Array, where = 'workflow.json'): WorkflowMetadataFile {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new FastWorkflowError(ErrorCode.BundleInvalid, `${where} is not valid JSON (${(err as Error).message}). Re-train the bundle.`, { path: where });
  }
  const parsed = workflowFileSchema.safeParse(json);
  if (!parsed.success) throw new FastWorkflowError(ErrorCode.BundleInvalid, `${where} is malformed: ${formatIssues(parsed.error.issues)}. Re-train the bundle.`, { path: where });
  return parsed.data;
}
