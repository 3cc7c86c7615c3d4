/**
 * The corrections file: what the page downloads, `fastworkflow corrections export|import` write and
 * read, and `fastworkflow train --corrections` trains from. A JSON array, one object per correction:
 *
 * ```json
 * [
 *   { "workflow": "todo", "context": "TodoList", "utterance": "what's pending", "command": "list_items", "at": "2026-12-01T02:00:00.000Z" }
 * ]
 * ```
 * `at` (when it was learned, ISO 8601 or epoch milliseconds) is optional. Isomorphic: no DOM, no Node.
 */
import type { CompiledWorkflow } from '../workflow/compile.ts';
import type { Correction } from './corrections.ts';

/** One correction in the file. */
export interface CorrectionRecord {
  workflow: string;
  context: string;
  utterance: string;
  command: string;
  /** When it was learned (ISO 8601). */
  at?: string;
}

/** Why a file (or one of its entries) was refused; `line` is 1-based, `index` the entry's position in the array. */
export type CorrectionsFileProblem =
  | { reason: 'not_json'; line: number; message: string }
  | { reason: 'not_array'; line: number; message: string }
  | { reason: 'bad_entry'; index: number; line: number; message: string }
  | { reason: 'unknown_workflow' | 'unknown_context' | 'unknown_command'; index: number; line: number; message: string };

export type CorrectionsFileResult = { ok: true; corrections: (CorrectionRecord & { line: number })[] } | { ok: false; problems: CorrectionsFileProblem[] };

const FIELDS = ['workflow', 'context', 'utterance', 'command'] as const;
const EXPECTED = 'Expected a JSON array of {"workflow", "context", "utterance", "command", "at"?}.';

/** Parse a corrections file's text; every problem says its line and what is wrong. */
export function parseCorrectionsFile(raw: string): CorrectionsFileResult {
  const text = raw.replace(/^\uFEFF/, ''); // a byte-order mark some editors add
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, problems: [{ reason: 'not_json', line: syntaxErrorLine(text, message), message: `not JSON (${message}). ${EXPECTED}` }] };
  }
  if (!Array.isArray(json)) return { ok: false, problems: [{ reason: 'not_array', line: 1, message: `the file holds ${describe(json)}, not an array. ${EXPECTED}` }] };
  const lines = elementLines(text);
  const problems: CorrectionsFileProblem[] = [];
  const corrections: (CorrectionRecord & { line: number })[] = [];
  json.forEach((entry: unknown, index) => {
    const line = lines[index] ?? 1;
    const bad = entryProblem(entry);
    if (bad) {
      problems.push({ reason: 'bad_entry', index, line, message: `entry ${index + 1}: ${bad}` });
      return;
    }
    const e = entry as Record<string, unknown>;
    const at = e.at === undefined ? undefined : new Date(e.at as string | number).toISOString();
    corrections.push({ workflow: e.workflow as string, context: e.context as string, utterance: (e.utterance as string).trim(), command: e.command as string, ...(at ? { at } : {}), line });
  });
  return problems.length ? { ok: false, problems } : { ok: true, corrections };
}

/** Check parsed corrections against a workflow: its name, each context, and each command visible there. */
export function checkCorrections(corrections: readonly (CorrectionRecord & { line: number })[], workflow: CompiledWorkflow<any>): CorrectionsFileProblem[] {
  const problems: CorrectionsFileProblem[] = [];
  const contexts = workflow.contextNames();
  corrections.forEach((c, index) => {
    const where = { index, line: c.line };
    if (c.workflow !== workflow.name) {
      problems.push({ reason: 'unknown_workflow', ...where, message: `entry ${index + 1} is for workflow "${c.workflow}", not "${workflow.name}".` });
    } else if (!contexts.includes(c.context)) {
      problems.push({ reason: 'unknown_context', ...where, message: `entry ${index + 1} names context "${c.context}", which "${workflow.name}" does not have (it has ${contexts.join(', ')}).` });
    } else if (!workflow.commandIn(c.context, c.command)) {
      const here = workflow.commandsIn(c.context).map((x) => x.name);
      problems.push({ reason: 'unknown_command', ...where, message: `entry ${index + 1} names command "${c.command}", which is not available in context "${c.context}" (there: ${here.join(', ') || 'none'}).` });
    }
  });
  return problems;
}

/** One problem as a line for a terminal or a page: `file:line: message`. */
export function formatProblem(file: string, p: CorrectionsFileProblem): string {
  return `${file}:${p.line}: ${p.message}`;
}

/** Stored corrections → a record of the file. */
export function toRecord(c: Pick<Correction, 'workflow' | 'context' | 'utterance' | 'command' | 'at'>): CorrectionRecord {
  return { workflow: c.workflow, context: c.context, utterance: c.utterance, command: c.command, at: new Date(c.at).toISOString() };
}

/** The file's text: one correction per line, so problems and diffs point at lines. */
export function formatCorrectionsFile(corrections: readonly Pick<Correction, 'workflow' | 'context' | 'utterance' | 'command' | 'at'>[]): string {
  if (corrections.length === 0) return '[]\n';
  return `[\n${corrections.map((c) => `  ${JSON.stringify(toRecord(c))}`).join(',\n')}\n]\n`;
}

function entryProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `expected an object, found ${describe(entry)}`;
  const e = entry as Record<string, unknown>;
  for (const f of FIELDS) {
    if (typeof e[f] !== 'string' || !(e[f] as string).trim()) return `"${f}" must be a non-empty string${f in e ? `, not ${describe(e[f])}` : ' (missing)'}`;
  }
  if (e.at !== undefined) {
    const ok = (typeof e.at === 'string' || typeof e.at === 'number') && !Number.isNaN(new Date(e.at).getTime());
    if (!ok) return `"at" must be a date (ISO 8601) or epoch milliseconds, not ${describe(e.at)}`;
  }
  const extra = Object.keys(e).filter((k) => !(FIELDS as readonly string[]).includes(k) && k !== 'at');
  if (extra.length) return `unknown field(s) ${extra.map((k) => `"${k}"`).join(', ')}`;
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return `${typeof v} ${String(v)}`;
}

/** The line of a JSON.parse error (V8 says "line L column C" or "at position N"). */
function syntaxErrorLine(text: string, message: string): number {
  const lc = /line (\d+)/.exec(message);
  if (lc) return Number(lc[1]);
  const pos = /position (\d+)/.exec(message);
  return pos ? lineAt(text, Number(pos[1])) : 1;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/** The line where each top-level array element starts (the text is valid JSON holding an array). */
function elementLines(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectElement && !/\s/.test(ch) && ch !== ']') {
      out.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return out;
}
