import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, FastWorkflowError } from '../../../src/errors.ts';
import { installErrorTransfer } from '../../../workers/error-transfer.ts';

installErrorTransfer();

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

function connect<T>(api: T): Comlink.Remote<T> {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  Comlink.expose(api, port1);
  return Comlink.wrap<T>(port2);
}

describe('errors across the Worker boundary (comlink)', () => {
  it('a FastWorkflowError arrives with its code and fields', async () => {
    const remote = connect({
      load: async (): Promise<void> => {
        throw new FastWorkflowError(ErrorCode.BundleInvalid, 'heads/00-global.head.f32 does not match the manifest.', { path: 'heads/00-global.head.f32' });
      },
    });
    const error = await remote.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FastWorkflowError);
    expect((error as FastWorkflowError).toJSON()).toEqual({ code: 'bundle_invalid', message: 'heads/00-global.head.f32 does not match the manifest.', path: 'heads/00-global.head.f32' });
  });

  it('anything else thrown becomes classifier_failed with its message', async () => {
    const remote = connect({
      classify: async (): Promise<void> => {
        throw new TypeError('encoder exploded');
      },
    });
    await expect(remote.classify()).rejects.toMatchObject({ code: ErrorCode.ClassifierFailed, message: 'encoder exploded' });
  });

  it('plain results still pass through', async () => {
    const remote = connect({ embed: async (texts: string[]) => texts.map((t) => [t.length]) });
    expect(await remote.embed(['ab', 'c'])).toEqual([[2], [1]]);
  });
});
