/**
 * A fast 64-bit checksum of bytes, for finding a damaged local copy (not for trust across a network:
 * that is what the manifest's sha256 is for). Two 32-bit lanes over little-endian words; each step
 * is a bijection of the lane's state for a given word, so changing any one word always changes the
 * result. About ten times faster than sha256 in a page.
 */
export function checksum(bytes: Uint8Array): string {
  const words = bytes.length >>> 2;
  const view = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, words) : undefined;
  let a = (0x811c9dc5 ^ bytes.length) | 0;
  let b = 0x9e3779b9 | 0;
  for (let i = 0; i < words; i++) {
    const w = view ? view[i] : bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16) | (bytes[4 * i + 3] << 24);
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul((b + w) | 0, 0x85ebca6b) ^ (b >>> 15);
  }
  for (let i = words * 4; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i], 0x01000193);
    b = Math.imul((b + bytes[i]) | 0, 0x85ebca6b) ^ (b >>> 15);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}
