import { describe, expect, it } from 'vitest';
import { examples } from '../../demo/workflows/index.ts';
import { checkCorrections, compileWorkflow, formatCorrectionsFile, parseCorrectionsFile, type CorrectionsFileResult } from '../../src/index.ts';

const todo = compileWorkflow(examples.todo);

function problems(r: CorrectionsFileResult) {
  return r.ok ? [] : r.problems.map((p) => ({ reason: p.reason, line: p.line }));
}

describe('the corrections file', () => {
  it('round-trips: what the page downloads and the CLI exports parses back, one entry per line', () => {
    const text = formatCorrectionsFile([
      { workflow: 'todo', context: 'TodoList', utterance: "what's pending", command: 'list_items', at: Date.UTC(2026, 11, 1) },
      { workflow: 'todo', context: 'TodoItem', utterance: 'zap it', command: 'mark_complete', at: Date.UTC(2026, 11, 2) },
    ]);
    const parsed = parseCorrectionsFile(text);
    expect(parsed).toEqual({
      ok: true,
      corrections: [
        { workflow: 'todo', context: 'TodoList', utterance: "what's pending", command: 'list_items', at: '2026-12-01T00:00:00.000Z', line: 2 },
        { workflow: 'todo', context: 'TodoItem', utterance: 'zap it', command: 'mark_complete', at: '2026-12-02T00:00:00.000Z', line: 3 },
      ],
    });
    expect(parsed.ok && checkCorrections(parsed.corrections, todo)).toEqual([]);
    expect(formatCorrectionsFile([])).toBe('[]\n');
    expect(parseCorrectionsFile(`\uFEFF${text}`)).toEqual(parsed); // a byte-order mark from an editor
  });

  it('refuses what is not JSON or not an array, with the line', () => {
    expect(problems(parseCorrectionsFile('[\n  {"workflow": "todo",\n  oops\n]'))).toEqual([{ reason: 'not_json', line: 3 }]);
    expect(problems(parseCorrectionsFile('{"mark_complete": ["done"]}'))).toEqual([{ reason: 'not_array', line: 1 }]);
    const r = parseCorrectionsFile('{}');
    expect(!r.ok && r.problems[0].message).toMatch(/not an array\. Expected a JSON array of \{"workflow", "context", "utterance", "command", "at"\?\}/);
  });

  it('refuses entries of the wrong shape, naming the entry, its line and the field', () => {
    const text = ['[', '  {"workflow": "todo", "context": "TodoList", "utterance": "x", "command": "list_items"},', '  {"workflow": "todo", "context": "TodoList", "command": "list_items"},', '  "just text",', '  {"workflow": "todo", "context": "TodoList", "utterance": "y", "command": "list_items", "at": "yesterday"},', '  {"workflow": "todo", "context": "TodoList", "utterance": "z", "command": "list_items", "score": 1}', ']'].join('\n');
    const r = parseCorrectionsFile(text);
    expect(problems(r)).toEqual([
      { reason: 'bad_entry', line: 3 },
      { reason: 'bad_entry', line: 4 },
      { reason: 'bad_entry', line: 5 },
      { reason: 'bad_entry', line: 6 },
    ]);
    expect(!r.ok && r.problems.map((p) => p.message)).toEqual([
      'entry 2: "utterance" must be a non-empty string (missing)',
      'entry 3: expected an object, found "just text"',
      'entry 4: "at" must be a date (ISO 8601) or epoch milliseconds, not "yesterday"',
      'entry 5: unknown field(s) "score"',
    ]);
  });

  it('refuses an unknown workflow, context or command (not visible in that context)', () => {
    const text = JSON.stringify(
      [
        { workflow: 'shop', context: 'TodoList', utterance: 'a', command: 'list_items' },
        { workflow: 'todo', context: 'Basket', utterance: 'b', command: 'list_items' },
        { workflow: 'todo', context: 'TodoList', utterance: 'c', command: 'mark_complete' },
        { workflow: 'todo', context: 'TodoItem', utterance: 'd', command: 'mark_complete' },
      ],
      null,
      1,
    );
    const parsed = parseCorrectionsFile(text);
    if (!parsed.ok) throw new Error('expected a well-formed file');
    const found = checkCorrections(parsed.corrections, todo);
    expect(found.map((p) => [p.reason, p.line])).toEqual([
      ['unknown_workflow', 2],
      ['unknown_context', 8],
      ['unknown_command', 14],
    ]);
    expect(found[2].message).toMatch(/"mark_complete", which is not available in context "TodoList" \(there: add_item, list_items, open_item/);
  });
});
