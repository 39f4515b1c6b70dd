import { isAscii } from 'node:buffer';

/** git's binary heuristic: a NUL byte in the first 8,000 bytes. */
const SNIFF_BYTES = 8000;

export type Utf16Encoding = 'utf-16le' | 'utf-16be';

/**
 * The byte order of a UTF-16 file: a BOM, and the zero bytes UTF-16 puts in every character below
 * U+0100 (a newline, a space, any ASCII letter). Two bytes FF FE in front of ASCII or UTF-8 text,
 * which never holds a zero byte, do not make it UTF-16: decoding that as UTF-16 would turn every
 * character pair into one CJK character and hide every credential. The whole file is searched for
 * a zero byte (a native scan, and only for files that start with a BOM), so padding the first
 * kilobytes with characters above U+00FF does not change the verdict.
 */
export function utf16Encoding(bytes: Uint8Array): Utf16Encoding | undefined {
  if (bytes.length < 2) return undefined;
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  return encoding && bytes.includes(0, 2) ? encoding : undefined;
}

/** Binary by git's rule, except UTF-16 text, whose ASCII characters are half NULs. */
export function isBinary(bytes: Uint8Array): boolean {
  return !utf16Encoding(bytes) && bytes.subarray(0, SNIFF_BYTES).includes(0);
}

/**
 * Decodes bytes as 8-bit text: UTF-8 (BOM dropped). Invalid UTF-8 (including a UTF-16 BOM in
 * front of text that is not UTF-16) decodes with replacement characters, which keeps every ASCII
 * credential intact and its column right on its own line.
 */
export function decodeBytes(bytes: Uint8Array): string {
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start);
  // Pure ASCII (most source files) is the same text in latin1, which decodes ~4x faster than UTF-8.
  return isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
}

/** Decodes text bytes: UTF-16 when utf16Encoding says so, otherwise decodeBytes. Call only on bytes that are not binary. */
export function decodeText(bytes: Uint8Array): string {
  const utf16 = utf16Encoding(bytes);
  return utf16 ? new TextDecoder(utf16).decode(bytes.subarray(2)) : decodeBytes(bytes);
}
