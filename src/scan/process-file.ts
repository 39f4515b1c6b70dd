import { isAscii } from 'node:buffer';
import { catalog, type RuleDefinition } from '../../rules/index.js';
import type { ArchiveSummary } from '../archive/scan.js';
import { scanArchive } from '../archive/scan.js';
import { archiveFormat } from '../archive/sniff.js';
import { scanText } from '../core/detect.js';
import type { Finding, SkippedFile, Source } from '../core/types.js';
import type { ScanDetectOptions } from './detect-options.js';
import { decodeBytes, decodeText, isBinary, utf16Encoding } from './decode.js';
import type { DiscoveredFile } from './discover.js';
import { latin1Text, mayHoldFoldable, relocateLatin1Result, scansAsLatin1 } from './byte-text.js';
import { readFileBytes, skippedFile } from './read.js';

/** What scanning one file produced; plain data, so it crosses worker_threads unchanged. */
export type FileResult =
  | {
      kind: 'scanned';
      path: string;
      bytes: number;
      findings: Finding[];
      examples: Finding[];
      suppressed: number;
      /** Findings past MAX_FINDINGS_PER_RULE, by rule id: counted, not kept. */
      omitted?: Record<string, number>;
      archive?: ArchiveSummary;
    }
  | { kind: 'skipped'; skipped: SkippedFile };

/**
 * Findings kept per rule per file (scanText counts the rest without building them): a generated
 * file of 400k key ids held every finding at once. Reported as "N more" (the file is flagged either way).
 */
export const MAX_FINDINGS_PER_RULE = 100;

/** Node's native search (memchr, then a compare) for the byte prefilter's few short anchors. */
function bufferIndexOf(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  return Buffer.prototype.indexOf.call(bytes, needle, from);
}

/**
 * The rules whose anchors occur in a file's text bytes, found without decoding it: anchors are
 * ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte character. Undefined for UTF-16,
 * which only the decoded text can tell. An empty set: the file is done (most files of a tree).
 */
export function anchoredRulesInBytes(bytes: Buffer): ReadonlySet<RuleDefinition> | undefined {
  if (utf16Encoding(bytes)) return undefined;
  return catalog.prefilterBytes(bytes, bufferIndexOf).rules;
}

/** What a file's bytes call for: nothing (binary, or no anchor), or decoding and the rules to run. */
export type TriagedBytes =
  | { kind: 'binary' }
  | { kind: 'clean' }
  | {
      kind: 'text';
      text: string;
      anchored: ReadonlySet<RuleDefinition> | undefined;
      /**
       * The same bytes read as 8-bit text, when `text` is UTF-16 but ASCII anchors also stand in the
       * bytes as they are: a hostile file can mix real UTF-16 with plain ASCII that a UTF-16 reader
       * shows as CJK but `grep` or a byte-oriented tool reads as a credential. Scan both.
       */
      asBytes?: { text: string; anchored: ReadonlySet<RuleDefinition> };
      /** `text` is non-ASCII UTF-8 read as Latin-1: findings' positions need relocateLatin1Result. */
      latin1?: true;
      /** Where the base64 context words start in `text`, when the byte prefilter found them there (see base64Windows). */
      contextWordsAt?: readonly number[];
    };

/**
 * Shared by file scans and git modes: the binary sniff and the byte prefilter, then decoding. A file
 * without an anchor is clean unless `decodeEncoded` and it holds an encoded anchor (base64 of a key id...).
 * With `latin1`, UTF-8 that scans the same either way is read as Latin-1 (byte-text.ts), and says so.
 */
export function triageBytes(bytes: Buffer, decodeEncoded = true, latin1 = false): TriagedBytes {
  if (isBinary(bytes)) return { kind: 'binary' };
  if (utf16Encoding(bytes)) {
    const inBytes = catalog.prefilterBytes(bytes, bufferIndexOf).rules;
    return {
      kind: 'text',
      text: decodeText(bytes),
      anchored: undefined,
      ...(inBytes.size > 0 ? { asBytes: { text: decodeBytes(bytes), anchored: inBytes } } : {}),
    };
  }
  const { rules: anchored, encoded, contextWordsAt } = catalog.prefilterBytes(bytes, bufferIndexOf);
  if (anchored.size === 0) {
    // A zero-width or fullwidth character can split or disguise an anchor, and an encoding can hide
    // one: such files are decoded (a folded file with no anchor set, so its text is searched again).
    const foldable = mayHoldFoldable(bytes);
    if (!foldable && !(decodeEncoded && encoded)) return { kind: 'clean' };
    if (foldable) return { kind: 'text', text: decodeText(bytes), anchored: undefined };
  }
  if (latin1 && scansAsLatin1(bytes)) {
    const text = latin1Text(bytes);
    // One character per byte, past a UTF-8 BOM (three bytes that no context word starts in); sorted
    // here, for the few files that are decoded, not for every file the prefilter reads.
    const skipped = bytes.length - text.length;
    const wordsAt = contextWordsAt.map((at) => at - skipped).sort((a, b) => a - b);
    return { kind: 'text', text, anchored, contextWordsAt: wordsAt, ...(isAscii(bytes) ? {} : { latin1: true }) };
  }
  return { kind: 'text', text: decodeText(bytes), anchored };
}

export function scanBytes(path: string, bytes: Buffer, detect: ScanDetectOptions): FileResult {
  const triaged = triageBytes(bytes, detect.decode ?? true, true);
  if (triaged.kind === 'binary') return skippedFile(path, 'binary');
  if (triaged.kind === 'clean') return { kind: 'scanned', path, bytes: bytes.length, findings: [], examples: [], suppressed: 0 };
  const options = { maxFindingsPerRule: MAX_FINDINGS_PER_RULE, ...detect };
  const result = scanText(catalog, { path, text: triaged.text }, options, triaged.anchored, triaged.contextWordsAt);
  if (triaged.latin1) relocateLatin1Result(triaged.text, result);
  if (triaged.asBytes) {
    const other = scanText(catalog, { path, text: triaged.asBytes.text }, options, triaged.asBytes.anchored);
    for (const finding of other.findings) result.findings.push(finding);
    for (const example of other.examples) result.examples.push(example);
    result.suppressed += other.suppressed;
    for (const [ruleId, count] of Object.entries(other.omitted ?? {})) {
      result.omitted ??= {};
      result.omitted[ruleId] = (result.omitted[ruleId] ?? 0) + count;
    }
  }
  return { kind: 'scanned', path, bytes: bytes.length, ...result };
}

/** Detection in a text that is not a file on disk (standard input, git's added lines). `anchored`: the rules a byte prefilter already found (see scanText). */
export function scanSource(
  source: Source,
  detect: ScanDetectOptions,
  bytes = Buffer.byteLength(source.text),
  anchored?: ReadonlySet<RuleDefinition>,
  contextWordsAt?: readonly number[],
): FileResult {
  const result = scanText(catalog, source, { maxFindingsPerRule: MAX_FINDINGS_PER_RULE, ...detect }, anchored, contextWordsAt);
  return { kind: 'scanned', path: source.path, bytes, ...result };
}

export function processFile(file: DiscoveredFile, maxFileSize: number, detect: ScanDetectOptions): FileResult {
  const read = readFileBytes(file, maxFileSize);
  if (read.kind === 'skipped') return read;
  // Archives are told by their magic bytes before the binary sniff would skip them (src/archive/).
  const archive = detect.archives === false ? undefined : archiveFormat(read.bytes);
  if (archive)
    return {
      kind: 'scanned',
      path: file.displayPath,
      bytes: read.bytes.length,
      ...scanArchive(file.displayPath, read.bytes, archive, { ...detect.archives, maxMemberSize: maxFileSize }, (path, bytes) =>
        scanBytes(path, bytes, detect),
      ),
    };
  return scanBytes(file.displayPath, read.bytes, detect);
}
