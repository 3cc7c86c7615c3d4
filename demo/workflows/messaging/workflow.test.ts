import { describe, expect, it } from 'vitest';
import { OutputKind, WorkflowSession } from '../../../src/index.ts';
import messaging, { createMessagingApp } from './workflow.ts';

describe('messaging example', () => {
  it('starts as alice (a PremiumUser) through the startup action', async () => {
    const s = await WorkflowSession.open({ workflow: messaging });
    expect(await s.currentContext()).toMatchObject({ context: 'PremiumUser', display: 'user alice' });
  });

  it('a PremiumUser inherits send_message from User and has send_priority_message', async () => {
    const s = await WorkflowSession.open({ workflow: messaging });
    expect(s.visibleCommands().map((c) => c.command)).toEqual(['send_priority_message', 'send_message']); // sign_in is hidden: by name only
    expect((await s.send('send hello to bob')).command).toBe('send_message');
    expect((await s.send('send an urgent message wake up to carol')).command).toBe('send_priority_message');
    expect(s.app.sent).toEqual([
      { from: 'alice', to: 'bob', text: 'hello', priority: false },
      { from: 'alice', to: 'carol', text: 'wake up', priority: true },
    ]);
  });

  it('a plain User does not see send_priority_message', async () => {
    const s = await WorkflowSession.open({ workflow: messaging });
    await s.send('/sign_in name=bob');
    expect((await s.currentContext()).context).toBe('User');
    expect(s.visibleCommands().map((c) => c.command)).not.toContain('send_priority_message');
    expect((await s.send('/send_priority_message to=alice message=hi')).kind).toBe(OutputKind.Error);
  });

  it('an unknown recipient gets "did you mean", and the answer completes the message', async () => {
    const app = createMessagingApp();
    const s = await WorkflowSession.open({ workflow: messaging, app });
    const ask = await s.send('/send_message to=bobby message=lunch?');
    expect(ask.text).toContain('There is no user named "bobby"');
    expect(ask.text).toContain("Did you mean 'bob'");
    expect((await s.send('bob')).text).toBe('Sent to bob: lunch?');
  });

  it('refuses a message to yourself (cross-field check)', async () => {
    const s = await WorkflowSession.open({ workflow: messaging });
    expect((await s.send('/send_message to=alice message=hi')).text).toContain('You cannot send a message to yourself.');
  });
});
