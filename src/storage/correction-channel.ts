import type { CorrectionChange } from '../session/corrections.ts';
import { ChangeChannel } from './change-channel.ts';

const isCorrectionChange = (data: unknown): data is CorrectionChange => {
  const change = data as CorrectionChange | undefined;
  return !!change && (change.type === 'recorded' || change.type === 'removed') && typeof change.correction?.id === 'string';
};

/**
 * Tells other tabs (and other listeners in this one) that a correction was recorded or removed (see
 * ChangeChannel). Without BroadcastChannel other tabs see the change when their session opens.
 */
export class CorrectionChangeChannel extends ChangeChannel<CorrectionChange> {
  constructor(name: string) {
    super(name, isCorrectionChange);
  }
}
