import { isAscii } from 'node:buffer';
import type { Finding } from '../core/types.js';

/**
 * Scanning UTF-8 as Latin-1. Every detector looks for ASCII (credentials, keywords, separators),
 * and UTF-8 never uses an ASCII byte inside a multi-byte character, so the bytes read one per
 * character find the same credentials as the decoded text, without the UTF-8 decode and on a
 * one-byte string, which V8's searches and regexes run through several times faster: most large
 * files of a real tree (botocore's service models: 81 of its 137 MB) hold a few non-ASCII
 * characters. Only positions differ, and are mapped back for the findings (few) afterwards. The
 * distances detection weighs are then bytes, not characters: the few-kilobyte caps on context and
 * pairing windows, and which of two key ids near a secret is the nearer (the same unless
 * multi-byte characters stand between them).
 *
 * The exceptions are the non-ASCII characters an ASCII pattern still sees: JavaScript's `\s`
 * (U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF), the line
 * terminators `.` and `^`/`$` stop at (U+2028, U+2029), and the characters core/fold.ts undoes
 * (zero-width U+200B-U+200D, U+2060, U+FEFF; fullwidth ASCII U+FF01-U+FF5E). Read as Latin-1
 * their bytes are something else, so a file holding any of them is decoded as UTF-8.
 */
const SIGNIFICANT_UTF8 = [
  [0xc2, 0xa0], // U+00A0
  [0xe1, 0x9a, 0x80], // U+1680
  [0xe3, 0x80, 0x80], // U+3000
].map((bytes) => Buffer.from(bytes));

/** UTF-8 forms of the characters core/fold.ts undoes (zero-width, U+FEFF, fullwidth ASCII). */
const FOLDABLE_UTF8 = [
  [0xe2, 0x80, 0x8b],
  [0xe2, 0x80, 0x8c],
  [0xe2, 0x80, 0x8d],
  [0xe2, 0x81, 0xa0],
  [0xef, 0xbb, 0xbf],
  [0xef, 0xbc],
  [0xef, 0xbd],
].map((bytes) => Buffer.from(bytes));

/**
 * Whether bytes hold a zero-width or fullwidth character (a UTF-8 BOM at the start aside): such a
 * file must be decoded and folded even without an anchor in its bytes. Pure ASCII (most files) is
 * answered by one native check.
 */
export function mayHoldFoldable(bytes: Buffer): boolean {
  return !isAscii(bytes) && FOLDABLE_UTF8.some((sequence) => bytes.includes(sequence, 1));
}

/**
 * U+2000-U+207F, written E2 80 xx and E2 81 xx, are mostly punctuation that documentation is full of
 * (curly quotes, dashes, the ellipsis): only these third bytes are significant.
 */
const GENERAL_PUNCTUATION = Buffer.from([0xe2]);
const SIGNIFICANT_AFTER_E280 = new Set([
  0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0xa8, 0xa9, 0xaf,
]);
const SIGNIFICANT_AFTER_E281 = new Set([0x9f, 0xa0]);

function holdsSignificantPunctuation(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(GENERAL_PUNCTUATION); at !== -1 && at + 2 < bytes.length; at = bytes.indexOf(GENERAL_PUNCTUATION, at + 1)) {
    const second = bytes[at + 1];
    const third = bytes[at + 2]!;
    if ((second === 0x80 && SIGNIFICANT_AFTER_E280.has(third)) || (second === 0x81 && SIGNIFICANT_AFTER_E281.has(third))) return true;
  }
  return false;
}

/** True when bytes can be scanned as Latin-1 with the same findings as UTF-8 text: pure ASCII, or none of the characters above. */
export function scansAsLatin1(bytes: Buffer): boolean {
  return (
    isAscii(bytes) ||
    !(mayHoldFoldable(bytes) || SIGNIFICANT_UTF8.some((sequence) => bytes.includes(sequence, 1)) || holdsSignificantPunctuation(bytes))
  );
}

/** Bytes (past a UTF-8 BOM) as a one-byte string, one character per byte. */
export function latin1Text(bytes: Uint8Array): string {
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1', start);
}

/**
 * Moves a scan's findings and examples located in a Latin-1 reading of UTF-8 (`text`) to where the UTF-8 text has them:
 * spans in UTF-16 units from the start, columns in UTF-16 units from the line's start. Each
 * position is at an ASCII character or just after one, so the decoding of the bytes between two
 * positions never splits a character. One decode of the text up to its last finding.
 */
export function relocateLatin1Result(text: string, result: { findings: Finding[]; examples: Finding[] }): void {
  relocateLatin1Findings(text, result.findings);
  relocateLatin1Findings(text, result.examples);
}

function relocateLatin1Findings(text: string, findings: Finding[]): void {
  if (findings.length === 0) return;
  const byteOffsets = new Set<number>();
  const positions = findings.map((finding) => {
    const last = Math.max(finding.span.start, finding.span.end - 1);
    const position = {
      lineStart: finding.span.start - (finding.column - 1),
      last,
      endLineStart: last - (finding.endColumn - 2),
    };
    for (const offset of [finding.span.start, finding.span.end, position.lineStart, last, position.endLineStart]) byteOffsets.add(offset);
    return position;
  });
  const units = new Map<number, number>();
  let previous = 0;
  let count = 0;
  for (const offset of [...byteOffsets].sort((a, b) => a - b)) {
    count += Buffer.from(text.slice(previous, offset), 'latin1').toString('utf8').length;
    units.set(offset, count);
    previous = offset;
  }
  const at = (offset: number) => units.get(offset)!;
  findings.forEach((finding, index) => {
    const position = positions[index]!;
    finding.column = at(finding.span.start) - at(position.lineStart) + 1;
    finding.endColumn = at(position.last) - at(position.endLineStart) + 2;
    finding.span = { start: at(finding.span.start), end: at(finding.span.end) };
  });
}
