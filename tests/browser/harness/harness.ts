/**
 * Test harness for <fw-chat> (built only by the browser tests' global setup, served under /harness/):
 * a workflow with every field kind and a confirmation, an in-memory or a failing store, and a record of
 * the element's events on `window.fwEvents`.
 */
import { z } from 'zod';
import '../../../components/fw-chat.ts';
import { defineCommand, defineWorkflow, MemoryCorrectionStore, MemorySessionStore, type SessionStore } from '../../../src/index.ts';

const notes = ['a', 'b', 'c'];

const deleteNotes = defineCommand({
  name: 'delete_all_notes',
  description: 'Delete every note.',
  utterances: ['delete all notes', 'remove every note', 'wipe the notes'],
  confirm: () => `This deletes all ${notes.length} notes:\n${notes.map((n) => `- ${n}`).join('\n')}`,
  run: () => {
    const n = notes.length;
    notes.length = 0;
    return `Deleted ${n} notes.`;
  },
});

const createTicket = defineCommand({
  name: 'create_ticket',
  description: 'Open a support ticket.',
  input: z.object({
    code: z.string().regex(/^[A-Z]{3}-\d{3}$/).describe('Ticket code like ABC-123'),
    urgent: z.boolean().describe('Needs an answer today'),
    tags: z.array(z.string()).describe('Labels for the ticket'),
    count: z.number().int().min(1).max(5).describe('How many copies'),
  }),
  utterances: ['create a ticket', 'open a support ticket', 'new ticket'],
  run: (_ctx, input) => ({ text: `Ticket ${JSON.stringify(input)}`, data: input }),
});

const workflow = defineWorkflow({
  name: 'harness',
  description: 'Test harness.',
  contexts: [{ name: '*', commands: [deleteNotes, createTicket] }],
  createApp: () => ({}),
});

class BrokenStore implements SessionStore {
  async load(): Promise<undefined> {
    throw new Error('disk on fire (simulated by ?store=broken)');
  }
  async save(): Promise<void> {}
  async delete(): Promise<void> {}
  async list(): Promise<string[]> {
    return [];
  }
}

const events: { type: string; detail: unknown }[] = [];
(window as unknown as { fwEvents: typeof events }).fwEvents = events;
for (const type of ['fw-command', 'fw-error', 'fw-context-change'] as const) {
  // On document: the events must bubble out of the element and its shadow root.
  document.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
}

const chat = document.querySelector('fw-chat')!;
const params = new URLSearchParams(location.search);
chat.store = params.get('store') === 'broken' ? new BrokenStore() : new MemorySessionStore();
chat.corrections = new MemoryCorrectionStore();
// ?llm: the LLM settings panel; openai is loaded (as its own chunk) only when an LLM is configured.
if (params.has('llm')) chat.llmSettings = true;
chat.loadOpenAI = () => import('openai');
chat.workflow = workflow;
