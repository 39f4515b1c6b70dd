/** RFC 4648 base32 alphabet. AWS key ids use it after their 4-char prefix (no 0, 1, 8, 9). */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const BASE32_RE = /^[A-Z2-7]*$/;

export function isBase32(text: string): boolean {
  return BASE32_RE.test(text);
}

/** Decodes unpadded upper-case base32; returns null on a character outside the alphabet. */
export function decodeBase32(text: string): Uint8Array | null {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of text) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) return null;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}
