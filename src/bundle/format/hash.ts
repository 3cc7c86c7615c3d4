import { sha256Hex } from '../../util/sha256.ts';

/** The bundle's one hash: hex SHA-256 (Web Crypto; the trainer and the runtime both use it). */
export const bundleHash = sha256Hex;

/** The encoder's identity: one hash over `file:hash` lines of its files, sorted. */
export async function encoderDigest(files: readonly { path: string; sha256: string }[]): Promise<string> {
  const lines = files.map((f) => `${f.path}:${f.sha256}`).sort();
  return bundleHash(new TextEncoder().encode(lines.join('\n')));
}
