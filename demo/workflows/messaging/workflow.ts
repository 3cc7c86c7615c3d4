import { z } from 'zod';
import { commandFor, defineContext, defineWorkflow, type ContextInheritanceModel } from '../../../src/index.ts';
import inheritance from './context_inheritance_model.json' with { type: 'json' };

/** The application's own objects. */
export interface User {
  name: string;
  premium: boolean;
}
export interface Message {
  from: string;
  to: string;
  text: string;
  priority: boolean;
}
export interface MessagingApp {
  users: Map<string, User>;
  sent: Message[];
}

const userCommand = commandFor<MessagingApp, User>();
const globalCommand = commandFor<MessagingApp, null>();

const recipient = z.string().describe('Name of the user who receives the message').meta({ examples: ['alice', 'bob'] });
const messageText = z.string().min(1).describe('The text of the message').meta({ examples: ['hello there'] });

/** Recipients must exist: unknown names get "did you mean" suggestions. */
const lookupUser = (to: string, app: MessagingApp) => {
  if (app.users.has(to.toLowerCase())) return { found: true as const, value: to.toLowerCase() };
  const suggestions = [...app.users.keys()].filter((n) => n[0] === to.toLowerCase()[0] || n.includes(to.toLowerCase().slice(0, 3)));
  return { found: false as const, suggestions, message: `There is no user named "${to}".` };
};

const sendMessage = userCommand({
  name: 'send_message',
  description: 'Send a message to another user.',
  input: z.object({ to: recipient, message: messageText }),
  utterances: [
    'send {message} to {to}',
    'tell {to} {message}',
    'tell {to} that {message}',
    'message {to} saying {message}',
    'let {to} know {message}',
    'send a message to {to}',
    'write to {to}',
    'drop {to} a note: {message}',
  ],
  lookups: { to: (to, ctx) => lookupUser(to, ctx.app) },
  validate: ({ to }, ctx) => (to === ctx.object.name ? 'You cannot send a message to yourself.' : undefined),
  run: (ctx, { to, message }) => {
    ctx.app.sent.push({ from: ctx.object.name, to, text: message, priority: false });
    return { text: `Sent to ${to}: ${message}`, artifacts: { to } };
  },
});

const sendPriorityMessage = userCommand({
  name: 'send_priority_message',
  description: 'Send a priority message (premium users only).',
  input: z.object({ to: recipient, message: messageText }),
  utterances: [
    'send an urgent message {message} to {to}',
    'priority message to {to} saying {message}',
    'send {message} to {to} as priority',
    'urgent message for {to}',
    'urgently tell {to} {message}',
    'high priority: let {to} know {message}',
  ],
  lookups: { to: (to, ctx) => lookupUser(to, ctx.app) },
  run: (ctx, { to, message }) => {
    ctx.app.sent.push({ from: ctx.object.name, to, text: message, priority: true });
    return `Sent priority message to ${to}: ${message}`;
  },
});

const signIn = globalCommand({
  name: 'sign_in',
  description: 'Start as the given user (sets the root context).',
  hidden: true,
  input: z.object({ name: z.string().describe('User name').meta({ examples: ['alice'] }) }),
  utterances: ['sign in as {name}', 'log in as {name}'],
  lookups: { name: (name, ctx) => lookupUser(name, ctx.app) },
  run: (ctx, { name }) => {
    const user = ctx.app.users.get(name)!;
    ctx.setContext(user.premium ? 'PremiumUser' : 'User', user);
    return `Signed in as ${user.name}${user.premium ? ' (premium)' : ''}.`;
  },
});

const userContext = {
  displayName: (u: User) => `user ${u.name}`,
  key: (u: User) => u.name,
  resolve: (key: string, app: MessagingApp) => app.users.get(key),
};

export function createMessagingApp(): MessagingApp {
  const users = new Map<string, User>([
    ['alice', { name: 'alice', premium: true }],
    ['bob', { name: 'bob', premium: false }],
    ['carol', { name: 'carol', premium: false }],
  ]);
  return { users, sent: [] };
}

export default defineWorkflow<MessagingApp>({
  name: 'messaging',
  description: 'Send messages between users; premium users can send priority messages.',
  // Upstream's context_inheritance_model.json, loaded as-is: PremiumUser inherits User's commands.
  inheritance: inheritance as ContextInheritanceModel,
  contexts: [
    { name: '*', commands: [signIn] },
    defineContext<MessagingApp, User>({ name: 'User', description: 'A signed-in user.', commands: [sendMessage], ...userContext }),
    defineContext<MessagingApp, User>({ name: 'PremiumUser', description: 'A premium user.', commands: [sendPriorityMessage], ...userContext }),
  ],
  createApp: createMessagingApp,
  startupAction: { command: 'sign_in', parameters: { name: 'alice' } },
});
