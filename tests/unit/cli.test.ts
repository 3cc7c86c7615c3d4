import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.ts';

const fw = (args: string[], input?: string) => runCli(args, { input });

describe('terminal runner', () => {
  it('lists the examples', async () => {
    const r = await fw(['examples', 'list']);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['hello_world', 'messaging', 'todo']));
  });

  it('headless: runs a startup command, prints the response, exits 0', async () => {
    const r = await fw(['run', 'hello_world', '--startup-command', "what's 49 plus 51", '--keep-alive', 'false']);
    expect(r).toMatchObject({ code: 0, stdout: '49 + 51 = 100\n' });
  });

  it('headless: exits non-zero when a question is left open', async () => {
    const r = await fw(['run', 'hello_world', '--startup-command', 'add 3', '--keep-alive', 'false']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Missing:');
  });

  it('reads a conversation from piped standard input', async () => {
    const r = await fw(['run', 'todo'], 'open item 1\nmark complete\ngo up\nlist items\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('#1 [x] buy milk');
  });

  it('runs a startup action given as JSON', async () => {
    const r = await fw(['run', 'todo', '--startup-action', '{"command":"add_item","parameters":{"title":"feed cat"}}', '--keep-alive', 'false']);
    expect(r.stdout).toContain('Added #3 "feed cat" (medium).');
  });

  it('names a wrong bundle folder and how to get a right one', async () => {
    const r = await fw(['run', 'hello_world', '--bundle', '/nonexistent/bundle', '--startup-command', 'hi', '--keep-alive', 'false']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No trained bundle there: /nonexistent/bundle does not exist. Pass the folder `fastworkflow train` wrote');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the problem for an unknown workflow or bad options', async () => {
    const r = await fw(['run', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No workflow "nope": .* does not exist\. Pass a workflow file .*an example \(hello_world, messaging, retail, todo\)/);
    expect((await fw(['run', 'todo', '--keep-alive', 'maybe'])).code).toBe(2);
  });
});
