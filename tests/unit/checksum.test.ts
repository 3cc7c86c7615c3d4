import { describe, expect, it } from 'vitest';
import { checksum } from '../../src/util/checksum.ts';
import { seededRandom } from '../../src/util/rng.ts';

describe('checksum of a kept copy', () => {
  const random = seededRandom(11);
  const bytes = Uint8Array.from({ length: 4099 }, () => Math.floor(random() * 256));

  it('changes when any one byte changes, in the words or in the tail', () => {
    const base = checksum(bytes);
    for (let i = 0; i < bytes.length; i += 97) {
      const damaged = bytes.slice();
      damaged[i] ^= 1 << i % 8;
      expect(checksum(damaged)).not.toBe(base);
    }
    const tail = bytes.slice();
    tail[bytes.length - 1] ^= 0x80;
    expect(checksum(tail)).not.toBe(base);
  });

  it('depends on the length (a truncated copy of zeros differs)', () => {
    expect(checksum(new Uint8Array(8))).not.toBe(checksum(new Uint8Array(12)));
  });

  it('is the same for the same bytes at any offset of a buffer', () => {
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(checksum(shifted.subarray(3))).toBe(checksum(bytes));
    expect(checksum(bytes)).toMatch(/^[0-9a-f]{16}$/);
  });
});
