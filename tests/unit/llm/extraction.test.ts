import { describe, expect, it } from 'vitest';
import { OutputKind, WorkflowSession } from '../../../src/index.ts';
import retail, { createRetailApp } from '../../../demo/workflows/retail/workflow.ts';
import { useMockLlm } from './mock-server.ts';

const llm = useMockLlm();

const open = (withLlm = true) =>
  WorkflowSession.open({ workflow: retail, app: createRetailApp(), ...(withLlm ? { llm: { extraction: { baseURL: llm.baseURL, model: 'mock-extractor', maxRetries: 0 } } } : {}) });

const AVA = 'hi, this is Ava Lee from zip code 10001';

describe('LLM parameter extraction (retail, local OpenAI-compatible server)', () => {
  it('without an LLM the names are not found and asked (as today)', async () => {
    const s = await open(false);
    const out = await s.send(AVA);
    expect(out).toMatchObject({ kind: OutputKind.AskParameters, command: 'find_user_by_name_zip', parameters: { zip: '10001' } });
  });

  it('fills the names the deterministic extractor missed: one strict json_schema request, then the gate, then the command runs', async () => {
    llm.push({ reply: { content: JSON.stringify({ first_name: 'Ava', last_name: 'Lee' }) } });
    const s = await open();
    const out = await s.send(AVA);
    expect(out).toMatchObject({ kind: OutputKind.Result, command: 'find_user_by_name_zip', data: { user_id: 'ava_lee_1234' }, context: 'User' });
    expect(llm.received).toHaveLength(1);
    const body = llm.received[0].body;
    expect(body.model).toBe('mock-extractor');
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    const schema = body.response_format.json_schema.schema;
    // Just the missing fields, nullable, all required, described with their examples.
    expect(Object.keys(schema.properties)).toEqual(['first_name', 'last_name']);
    expect(schema).toMatchObject({ required: ['first_name', 'last_name'], additionalProperties: false });
    expect(schema.properties.first_name.type).toEqual(['string', 'null']);
    expect(schema.properties.first_name.description).toContain("The customer's first name");
    expect(schema.properties.first_name.description).toContain('"Ava"');
    expect(JSON.stringify(body.messages)).toContain(AVA);
  });

  it('an LLM value that fails the gate is asked about, not run', async () => {
    // "Zed Quux" passes zod but the name + zip lookup finds nobody: asked, nothing run.
    llm.push({ reply: { content: JSON.stringify({ first_name: 'Zed', last_name: 'Quux' }) } });
    const s = await open();
    const out = await s.send(AVA);
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.text).toContain("I couldn't find a customer named Zed Quux");
    expect(out.context).toBe('*');
    expect(s.app.customerId).toBeUndefined();
  });

  it('an LLM value failing the schema is dropped and asked for', async () => {
    // An over-long first name fails zod (max 50): asked for, the valid last name kept.
    llm.push({ reply: { content: JSON.stringify({ first_name: 'A'.repeat(80), last_name: 'Lee' }) } });
    const s = await open();
    const out = await s.send(AVA);
    expect(out).toMatchObject({ kind: OutputKind.AskParameters, parameters: { zip: '10001', last_name: 'Lee' }, context: '*' });
    expect(out.clarification?.type === 'parameters' && out.clarification.problems.map((p) => p.field)).toEqual(['first_name']);
  });

  it('nulls (the text does not say) are asked for; the model is not asked when nothing is missing', async () => {
    llm.push({ reply: { content: JSON.stringify({ first_name: null, last_name: null }) } });
    const s = await open();
    expect((await s.send(AVA)).kind).toBe(OutputKind.AskParameters);
    const s2 = await open();
    expect(await s2.send("I'm Ava Lee, zip 98101")).toMatchObject({ kind: OutputKind.Result, data: { user_id: 'ava_lee_7788' } });
    expect(llm.received).toHaveLength(1);
  });

  it.each([
    ['a 500', { status: 500 }, /failed \(HTTP 500\)/],
    ['a 401', { status: 401 }, /refused the credentials \(HTTP 401\)/],
    ['malformed JSON content', { reply: { content: '{"first_name": "Ava", ' } }, /not valid JSON/],
    ['an empty reply', { reply: { content: '' } }, /empty reply/],
  ] as const)('%s: a clear message, the usual question, and the session stays usable', async (_name, fault, message) => {
    llm.push(fault as never);
    const s = await open();
    const out = await s.send(AVA);
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.responses[0].text).toMatch(message);
    expect(out.context).toBe('*');
    // Answering the question works.
    llm.push({ reply: { content: JSON.stringify({ first_name: 'Ava', last_name: 'Lee' }) } });
    expect(await s.send('first_name=Ava last_name=Lee')).toMatchObject({ kind: OutputKind.Result, context: 'User' });
  });
});
