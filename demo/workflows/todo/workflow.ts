import { z } from 'zod';
import { commandFor, defineContext, defineWorkflow } from '../../../src/index.ts';

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface TodoItem {
  id: string;
  title: string;
  priority: Priority;
  done: boolean;
}
export interface TodoList {
  name: string;
  items: TodoItem[];
  nextId: number;
}
export interface TodoApp {
  list: TodoList;
}

const listCommand = commandFor<TodoApp, TodoList>();
const itemCommand = commandFor<TodoApp, TodoItem>();
const globalCommand = commandFor<TodoApp, null>();

const priority = z.enum(PRIORITIES).describe('How urgent the item is');
const itemRef = z.string().min(1).describe('The item number or its title').meta({ examples: ['1', 'buy milk', 'the second item', 'the last one'] });

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/** An item by number ("2", "#2"), position ("the second item", "last one") or title. */
function findItem(list: TodoList, ref: string): TodoItem | undefined {
  const r = ref.trim().toLowerCase().replace(/^(item|number|no\.?|task)\s+/, '').replace(/^#/, '');
  const byId = list.items.find((i) => i.id === r) ?? list.items.find((i) => i.title.toLowerCase() === r);
  if (byId) return byId;
  const words = r.replace(/[^a-z0-9 ]/g, ' ').split(/\s+/);
  const ordinal = words.map((w) => ORDINALS.indexOf(w)).find((i) => i >= 0);
  if (ordinal !== undefined) return list.items[ordinal];
  if (words.includes('last')) return list.items[list.items.length - 1];
  return list.items.find((i) => r.includes(i.title.toLowerCase()));
}

/** The item a reference names (its id), or the list to choose from. */
function lookupItem(list: TodoList, ref: string) {
  const found = findItem(list, ref);
  if (found) return { found: true as const, value: found.id };
  return { found: false as const, suggestions: list.items.map((i) => `${i.id} (${i.title})`).slice(0, 5), message: `There is no item "${ref}" on the list.` };
}

// --- TodoList commands --------------------------------------------------------------------------

const addItem = listCommand({
  name: 'add_item',
  description: 'Add an item to the list.',
  input: z.object({
    title: z.string().min(1).describe('What needs doing').meta({ examples: ['buy milk', 'call the bank'] }),
    priority: priority.default('medium'),
  }),
  utterances: ['add {title}', 'add item {title}', 'add {title} to the list', 'put {title} on the list', 'remind me to {title}', 'new task {title}', 'add a {priority} priority item {title}'],
  run: (ctx, { title, priority }) => {
    const item: TodoItem = { id: String(ctx.object.nextId++), title, priority, done: false };
    ctx.object.items.push(item);
    return { text: `Added #${item.id} "${title}" (${priority}).`, data: item, nextActions: [{ command: 'open_item', parameters: { item: item.id } }] };
  },
});

const listItems = listCommand({
  name: 'list_items',
  description: 'Show the items on the list.',
  utterances: ['list items', 'show the list', 'what is on my list', 'show my todos', 'what do i have to do'],
  run: (ctx) => {
    const items = ctx.object.items;
    if (!items.length) return 'The list is empty.';
    return items.map((i) => `#${i.id} [${i.done ? 'x' : ' '}] ${i.title} (${i.priority})`).join('\n');
  },
});

const openItem = listCommand({
  name: 'open_item',
  description: 'Open an item to work on it.',
  input: z.object({ item: itemRef }),
  utterances: ['open item {item}', 'go to item {item}', 'open {item}', 'select item {item}', 'work on {item}'],
  lookups: { item: (ref, ctx) => lookupItem(ctx.object, ref) },
  run: (ctx, { item }) => {
    const found = findItem(ctx.object, item)!;
    ctx.setContext('TodoItem', found);
    return `Opened #${found.id} "${found.title}". You can mark it complete, rename it or change its priority.`;
  },
});

const removeItem = listCommand({
  name: 'remove_item',
  description: 'Delete an item from the list.',
  input: z.object({ item: itemRef }),
  utterances: ['delete {item}', 'remove {item}', 'delete item {item}', 'remove item {item}', 'remove {item} from the list', 'get rid of {item}', 'take {item} off the list'],
  lookups: { item: (ref, ctx) => lookupItem(ctx.object, ref) },
  confirm: ({ item }, ctx) => `This deletes #${item} "${findItem(ctx.object, item)?.title ?? item}" from the list.`,
  run: (ctx, { item }) => {
    const found = findItem(ctx.object, item)!;
    ctx.object.items.splice(ctx.object.items.indexOf(found), 1);
    return { text: `Deleted #${found.id} "${found.title}".`, data: { ...found } };
  },
});

// --- TodoItem commands (only available on an item) -----------------------------------------------

const markComplete = itemCommand({
  name: 'mark_complete',
  description: 'Mark this item as done.',
  utterances: ['mark complete', 'mark it as done', 'done', 'complete this item', 'i finished it', 'tick it off', 'this one is done', 'finished'],
  run: (ctx) => {
    ctx.object.done = true;
    return `Marked "${ctx.object.title}" as done.`;
  },
});

const renameItem = itemCommand({
  name: 'rename_item',
  description: 'Give this item a new title.',
  input: z.object({ title: z.string().min(1).describe('The new title').meta({ examples: ['buy oat milk'] }) }),
  utterances: ['rename to {title}', 'rename it to {title}', 'change the title to {title}', 'call it {title}'],
  run: (ctx, { title }) => {
    const old = ctx.object.title;
    ctx.object.title = title;
    return `Renamed "${old}" to "${title}".`;
  },
});

const setPriority = itemCommand({
  name: 'set_priority',
  description: 'Change the priority of this item.',
  input: z.object({ priority }),
  utterances: ['set priority to {priority}', 'make it {priority} priority', 'change priority to {priority}', 'priority {priority}'],
  run: (ctx, { priority }) => {
    ctx.object.priority = priority;
    return `"${ctx.object.title}" is now ${priority} priority.`;
  },
});

const showItem = itemCommand({
  name: 'show_item',
  description: 'Show the details of this item.',
  utterances: ['show details', 'show this item', 'what is this item', 'details'],
  run: (ctx) => ({ text: `#${ctx.object.id} ${ctx.object.title} — ${ctx.object.priority} priority, ${ctx.object.done ? 'done' : 'open'}.`, data: { ...ctx.object } }),
});

export function createTodoApp(): TodoApp {
  return {
    list: {
      name: 'My list',
      nextId: 3,
      items: [
        { id: '1', title: 'buy milk', priority: 'medium', done: false },
        { id: '2', title: 'call the bank', priority: 'high', done: false },
      ],
    },
  };
}

const openList = globalCommand({
  name: 'open_list',
  description: 'Open the to-do list (startup).',
  hidden: true,
  run: (ctx) => {
    ctx.setContext('TodoList', ctx.app.list);
    return `Opened ${ctx.app.list.name}.`;
  },
});

export default defineWorkflow<TodoApp>({
  name: 'todo',
  description: 'A to-do list: add items, open one to work on it, go up to the list.',
  contexts: [
    { name: '*', commands: [openList] },
    defineContext<TodoApp, TodoList>({
      name: 'TodoList',
      description: 'The to-do list.',
      commands: [addItem, listItems, openItem, removeItem],
      displayName: (l) => `list "${l.name}"`,
      key: () => 'main',
      resolve: (_key, app) => app.list,
    }),
    defineContext<TodoApp, TodoItem>({
      name: 'TodoItem',
      description: 'One item of the list.',
      commands: [markComplete, renameItem, setPriority, showItem],
      parent: (_item, app) => ({ context: 'TodoList', object: app.list }),
      displayName: (i) => `item #${i.id} "${i.title}"`,
      key: (i) => i.id,
      resolve: (key, app) => app.list.items.find((i) => i.id === key),
    }),
  ],
  createApp: createTodoApp,
  startupAction: { command: 'open_list' },
});
