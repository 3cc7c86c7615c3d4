/**
 * The marker scheme that lets `fastworkflow build` run again over files the user edited:
 *
 *   // <fastworkflow:generated NAME>
 *   …generated code…
 *   // </fastworkflow:generated NAME>
 *
 * On a re-run, each region of the new text replaces the region of the same name in the existing file;
 * a new region is inserted after the region that precedes it in the new text; a region whose part of
 * the application is gone is removed. Everything outside the markers is the user's and is kept. A
 * region whose markers the user deleted is theirs: it is not written again. Taken-over regions are
 * known from the names the previous build wrote (kept in `.fastworkflow-build.json` next to the files);
 * without that record, a region counts as taken over when the name it declares (`const addBookCommand`)
 * appears outside any region.
 */

const OPEN = /^[ \t]*\/\/ <fastworkflow:generated ([^>]+)>[ \t]*$/;
const CLOSE = /^[ \t]*\/\/ <\/fastworkflow:generated ([^>]+)>[ \t]*$/;

export function region(name: string, body: string): string {
  return `// <fastworkflow:generated ${name}>\n${body}\n// </fastworkflow:generated ${name}>`;
}

/** A file split into the user's text and generated regions, in order. */
export type Part = { kind: 'text'; text: string } | { kind: 'region'; name: string; body: string };

export function parseRegions(text: string): Part[] {
  const parts: Part[] = [];
  const lines = text.split('\n');
  let buffer: string[] = [];
  const flush = () => {
    if (buffer.length) parts.push({ kind: 'text', text: buffer.join('\n') });
    buffer = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]);
    const end = open ? lines.findIndex((l, j) => j > i && CLOSE.exec(l)?.[1] === open[1]) : -1;
    if (!open || end < 0) {
      buffer.push(lines[i]);
      continue;
    }
    flush();
    parts.push({ kind: 'region', name: open[1], body: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  flush();
  return parts;
}

function render(parts: Part[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : region(p.name, p.body))).join('\n');
}

export interface MergeResult {
  text: string;
  changed: string[];
  added: string[];
  removed: string[];
  /** Regions the user took over (markers deleted): left alone. */
  owned: string[];
}

/** The existing file with its generated regions brought up to date; the user's text untouched. */
export function mergeRegions(existing: string, generated: string, writtenBefore?: ReadonlySet<string>): MergeResult {
  const old = parseRegions(existing);
  const fresh = parseRegions(generated).filter((p): p is Extract<Part, { kind: 'region' }> => p.kind === 'region');
  const freshNames = new Set(fresh.map((r) => r.name));
  const userText = old.filter((p) => p.kind === 'text').map((p) => (p as { text: string }).text).join('\n');
  const result: MergeResult = { text: '', changed: [], added: [], removed: [], owned: [] };

  // Update or drop the existing regions.
  const parts: Part[] = [];
  for (const p of old) {
    if (p.kind === 'text') parts.push(p);
    else if (!freshNames.has(p.name)) result.removed.push(p.name);
    else {
      const body = fresh.find((r) => r.name === p.name)!.body;
      if (body !== p.body) result.changed.push(p.name);
      parts.push({ ...p, body });
    }
  }
  // Insert the new ones after their predecessor in the generated order.
  fresh.forEach((r, i) => {
    if (parts.some((p) => p.kind === 'region' && p.name === r.name)) return;
    const declared = /(?:const|function|class|let)\s+([A-Za-z_$][\w$]*)/.exec(r.body)?.[1];
    const takenOver = writtenBefore
      ? writtenBefore.has(r.name)
      : !!declared && new RegExp(`(?:const|function|class|let)\\s+${declared.replace(/\$/g, '\\$')}\\b`).test(userText);
    if (takenOver) {
      result.owned.push(r.name);
      return;
    }
    let at = -1;
    for (let j = i - 1; j >= 0 && at < 0; j--) at = parts.findIndex((p) => p.kind === 'region' && p.name === fresh[j].name);
    const insert: Part[] = [{ kind: 'text', text: '' }, r];
    if (at >= 0) parts.splice(at + 1, 0, ...insert);
    else {
      const next = parts.findIndex((p) => p.kind === 'region');
      if (next >= 0) parts.splice(next, 0, r, { kind: 'text', text: '' });
      else parts.push(...insert);
    }
    result.added.push(r.name);
  });
  result.text = render(parts);
  return result;
}
