import { describe, expect, it } from 'vitest';
import { CompiledWorkflow, OutputKind, WorkflowSession, type WorkflowDefinition } from '../../../src/index.ts';
import { TaggedExtractor } from '../../../src/params/slots/tagged-extractor.ts';
import { SlotTagger } from '../../../src/params/slots/tagger.ts';
import { slotCommandsOf, trainSlotTagger } from '../../../trainer-node/train/slot-train.ts';
import messaging, { createMessagingApp } from '../../../demo/workflows/messaging/workflow.ts';
import todo from '../../../demo/workflows/todo/workflow.ts';
import { ScriptedClassifier } from '../support/scripted-classifier.ts';
import { useMockLlm } from '../llm/mock-server.ts';

/** The workflow's slot tagger, trained by the trainer's own code from the workflow's seeds. */
function extractorFor(workflow: WorkflowDefinition<any>): TaggedExtractor {
  const wf = new CompiledWorkflow(workflow);
  const file = trainSlotTagger(slotCommandsOf(wf.contextNames().flatMap((c) => wf.commandsIn(c, { includeHidden: true }))), { seed: 42 })!;
  return new TaggedExtractor(new SlotTagger(file));
}

const messagingExtractor = extractorFor(messaging);
const llm = useMockLlm();
const todoExtractor = extractorFor(todo);

// Intent detection is not under test here: the classifier is scripted.
const intents = new ScriptedClassifier({
  'send a message to bbo saying hi': { send_message: 0.9 },
  'send a priority message to bob: server down': { send_priority_message: 0.9 },
  'tell carol that lunch is ready': { send_message: 0.9 },
  'send a message to carol saying are you coming?': { send_message: 0.9 },
  'add a todo buy milk': { add_item: 0.9 },
  'ping carol re budget': { send_message: 0.9 },
  'remind me to water the plants': { add_item: 0.9 },
  'rename buy milk to buy oat milk': { rename_item: 0.9 },
  'rename it to buy oat milk': { rename_item: 0.9 },
});

describe('parameters from the slot tagger (transcripts)', () => {
  it('"send a message to bbo saying hi" → did you mean bob? → "bob" replaces only the recipient', async () => {
    const app = createMessagingApp();
    const s = await WorkflowSession.open({ workflow: messaging, app, classifier: intents, extractor: messagingExtractor });
    const ask = await s.send('send a message to bbo saying hi');
    expect(ask.kind).toBe(OutputKind.AskParameters);
    expect(ask.text).toContain('There is no user named "bbo"');
    expect(ask.text).toContain("Did you mean 'bob'");
    expect(ask.parameters).toEqual({ message: 'hi' });
    expect((await s.send('bob')).text).toBe('Sent to bob: hi');
    expect(app.sent).toEqual([{ from: 'alice', to: 'bob', text: 'hi', priority: false }]);
  });

  it('a clearly different request while the recipient is asked for leaves the question ("what\'s the weather in Paris" is no user name)', async () => {
    const app = createMessagingApp();
    const s = await WorkflowSession.open({ workflow: messaging, app, classifier: intents, extractor: messagingExtractor });
    expect((await s.send('send a message to bbo saying hi')).kind).toBe(OutputKind.AskParameters);
    const out = await s.send("what's the weather in Paris");
    expect(out.kind).toBe(OutputKind.OutOfScope);
    expect(out.text).toContain('(Left the question about send_message.)');
    expect(out.text).not.toContain('no user named');
    // The question is gone: a name alone is no longer read as its answer.
    expect((await s.send('bob')).kind).toBe(OutputKind.OutOfScope);
    expect(app.sent).toEqual([]);
  });

  it('a short answer that is no command stays the answer to the question', async () => {
    const app = createMessagingApp();
    const s = await WorkflowSession.open({ workflow: messaging, app, classifier: intents, extractor: messagingExtractor });
    await s.send('send a message to bbo saying hi');
    expect((await s.send('carol')).text).toBe('Sent to carol: hi');
  });

  it('the extraction LLM gets the confident values as given and fills only what is still wrong', async () => {
    llm.push({ reply: { content: JSON.stringify({ to: 'bob' }) } });
    const app = createMessagingApp();
    const s = await WorkflowSession.open({ workflow: messaging, app, classifier: intents, extractor: messagingExtractor, llm: { extraction: { baseURL: llm.baseURL, model: 'mock', maxRetries: 0 } } });
    expect((await s.send('send a message to bbo saying hi')).text).toBe('Sent to bob: hi');
    expect(llm.received).toHaveLength(1);
    const body = llm.received[0].body;
    expect(Object.keys(body.response_format.json_schema.schema.properties)).toEqual(['to']);
    expect(body.messages.at(-1).content).toContain('Already understood (given, do not fill them): message = "hi".');
  });

  it('"send a priority message to bob: server down" sends "server down" to bob', async () => {
    const app = createMessagingApp();
    const s = await WorkflowSession.open({ workflow: messaging, app, classifier: intents, extractor: messagingExtractor });
    expect((await s.send('send a priority message to bob: server down')).text).toBe('Sent priority message to bob: server down');
    expect(app.sent).toEqual([{ from: 'alice', to: 'bob', text: 'server down', priority: true }]);
  });

  it('an unseen message between known context words', async () => {
    const s = await WorkflowSession.open({ workflow: messaging, classifier: intents, extractor: messagingExtractor });
    expect((await s.send('tell carol that lunch is ready')).text).toBe('Sent to carol: lunch is ready');
  });

  it('a message that is a question keeps its question mark', async () => {
    const app = createMessagingApp();
    const s = await WorkflowSession.open({ workflow: messaging, app, classifier: intents, extractor: messagingExtractor });
    const out = await s.send('send a message to carol saying are you coming?');
    expect(out.text).toBe('Sent to carol: are you coming?');
  });

  it('"add a todo buy milk" adds "buy milk"', async () => {
    const s = await WorkflowSession.open({ workflow: todo, classifier: intents, extractor: todoExtractor });
    await s.send('/open_list');
    expect((await s.send('add a todo buy milk')).text).toContain('"buy milk"');
    expect((await s.send('remind me to water the plants')).text).toContain('"water the plants"');
  });

  it('a value below the threshold is not used: the question shows what was understood', async () => {
    const app = createMessagingApp();
    const s = await WorkflowSession.open({ workflow: messaging, app, classifier: intents, extractor: messagingExtractor });
    const ask = await s.send('ping carol re budget');
    expect(ask.kind).toBe(OutputKind.AskParameters);
    expect(ask.parameters).toEqual({});
    expect(ask.text).toMatch(/- message: The text of the message.*\(I understood 're budget' but I'm not sure\)/);
    expect(app.sent).toEqual([]);
    const next = await s.send('to=carol message=lunch at 12?');
    expect(next.text).toBe('Sent to carol: lunch at 12?');
  });

  it('two likely values for one field are not a guess: "rename buy milk to buy oat milk" asks, and "yes" keeps the offer', async () => {
    const s = await WorkflowSession.open({ workflow: todo, classifier: intents, extractor: todoExtractor });
    await s.send('/open_list');
    await s.send('/open_item item=2');
    const ask = await s.send('rename buy milk to buy oat milk');
    expect(ask.kind).toBe(OutputKind.AskParameters);
    expect(ask.text).toContain(`(I understood 'buy oat milk' but I'm not sure: reply "yes" to keep it)`);
    expect((await s.send('yes')).text).toMatch(/^Renamed ".+" to "buy oat milk"\.$/);
    // One value: no question.
    expect((await s.send('rename it to buy oat milk')).text).toMatch(/^Renamed "buy oat milk" to "buy oat milk"\.$/);
  });

  it('a field with its own threshold: the value is offered, and "yes" keeps it', async () => {
    const strict = new TaggedExtractor(todoExtractor.tagger, { thresholds: { title: 1.01 } }); // never sure enough
    const s = await WorkflowSession.open({ workflow: todo, classifier: intents, extractor: strict });
    await s.send('/open_list');
    const ask = await s.send('add a todo buy milk');
    expect(ask.kind).toBe(OutputKind.AskParameters);
    expect(ask.text).toContain(`(I understood 'buy milk' but I'm not sure: reply "yes" to keep it)`);
    expect((await s.send('yes')).text).toContain('Added #3 "buy milk"');
  });

  it('a session takes the extractor its classifier brings (a bundle with a slot tagger)', async () => {
    const withTagger = Object.assign(Object.create(intents) as ScriptedClassifier, { parameterExtractor: () => todoExtractor });
    const s = await WorkflowSession.open({ workflow: todo, classifier: withTagger });
    await s.send('/open_list');
    expect((await s.send('add a todo buy milk')).text).toContain('"buy milk"');
  });

  it('every value says where it comes from and how sure it is', () => {
    const cmd = new CompiledWorkflow(messaging).commandsIn('User').find((c) => c.name === 'send_message')!;
    const d = messagingExtractor.explain({ text: 'send a message to bbo saying hi', command: cmd.name, fields: cmd.fields, utterances: cmd.definition.utterances });
    expect(d.evidence.to).toMatchObject({ value: 'bbo', source: 'tagger' });
    expect(d.evidence.to.confidence).toBeGreaterThanOrEqual(messagingExtractor.threshold('to'));
    const kv = messagingExtractor.explain({ text: 'to=bob message=hi', command: cmd.name, fields: cmd.fields, utterances: cmd.definition.utterances });
    expect(kv.evidence).toEqual({ to: { value: 'bob', source: 'key-value', confidence: 1 }, message: { value: 'hi', source: 'key-value', confidence: 1 } });
  });
});
