import { isAscii } from 'node:buffer';

/** git's binary heuristic: a NUL byte in the first 8,000 bytes. */
const SNIFF_BYTES = 8000;

export function hasUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/** Binary by git's rule, except UTF-16 text (BOM), whose ASCII halves are NULs. */
export function isBinary(bytes: Uint8Array): boolean {
  return !hasUtf16Bom(bytes) && bytes.subarray(0, SNIFF_BYTES).includes(0);
}

/**
 * Decodes text bytes: UTF-16 by its BOM, otherwise UTF-8 (BOM dropped). Invalid UTF-8 decodes with
 * replacement characters, which keeps every ASCII credential intact and its column right on its
 * own line. Call only on bytes that are not binary.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start);
  // Pure ASCII (most source files) is the same text in latin1, which decodes ~4x faster than UTF-8.
  return isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
}
