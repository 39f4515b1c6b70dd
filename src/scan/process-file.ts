import type { RuleDefinition } from '../../rules/index.js';
import { anchoredRules, ENCODED_ANCHORS, PREFILTER_ANCHORS, scanText, type DetectOptions } from '../core/detect.js';
import type { Finding, SkippedFile } from '../core/types.js';
import { decodeText, hasUtf16Bom, isBinary } from './decode.js';
import type { DiscoveredFile } from './discover.js';
import { readFileBytes, skippedFile } from './read.js';

/** What scanning one file produced; plain data, so it crosses worker_threads unchanged. */
export type FileResult =
  | { kind: 'scanned'; path: string; bytes: number; findings: Finding[]; examples: Finding[]; suppressed: number }
  | { kind: 'skipped'; skipped: SkippedFile };

const FRAGMENT_BUFFERS = PREFILTER_ANCHORS.fragments.map((fragment) => Buffer.from(fragment, 'latin1'));
const ENCODED_FRAGMENT_BUFFERS = ENCODED_ANCHORS.fragments.map((fragment) => Buffer.from(fragment, 'latin1'));

/** True when bytes without an anchor hold an encoded one, so their decoded view may hold a credential. */
function mayHoldEncoded(bytes: Buffer): boolean {
  return ENCODED_ANCHORS.foundIn({ length: bytes.length, indexOf: (index, from) => bytes.indexOf(ENCODED_FRAGMENT_BUFFERS[index]!, from), codeAt: (at) => bytes[at]! });
}

/**
 * The rules whose anchors occur in a file's text bytes, found without decoding it: anchors are
 * ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte character. Undefined for UTF-16,
 * which only the decoded text can tell. An empty set: the file is done (most files of a tree).
 */
export function anchoredRulesInBytes(bytes: Buffer): ReadonlySet<RuleDefinition> | undefined {
  if (hasUtf16Bom(bytes)) return undefined;
  return anchoredRules({ length: bytes.length, indexOf: (index, from) => bytes.indexOf(FRAGMENT_BUFFERS[index]!, from), codeAt: (at) => bytes[at]! });
}

/** What a file's bytes call for: nothing (binary, or no anchor), or decoding and the rules to run. */
export type TriagedBytes =
  | { kind: 'binary' }
  | { kind: 'clean' }
  | { kind: 'text'; text: string; anchored: ReadonlySet<RuleDefinition> | undefined };

/**
 * Shared by file scans and git modes: the binary sniff and the byte prefilter, then decoding. A file
 * without an anchor is clean unless `decodeEncoded` and it holds an encoded anchor (base64 of a key id...).
 */
export function triageBytes(bytes: Buffer, decodeEncoded = true): TriagedBytes {
  if (isBinary(bytes)) return { kind: 'binary' };
  const anchored = anchoredRulesInBytes(bytes);
  if (anchored?.size === 0 && !(decodeEncoded && mayHoldEncoded(bytes))) return { kind: 'clean' };
  return { kind: 'text', text: decodeText(bytes), anchored };
}

export function scanBytes(path: string, bytes: Buffer, detect: DetectOptions): FileResult {
  const triaged = triageBytes(bytes, detect.decode ?? true);
  if (triaged.kind === 'binary') return skippedFile(path, 'binary');
  if (triaged.kind === 'clean') return { kind: 'scanned', path, bytes: bytes.length, findings: [], examples: [], suppressed: 0 };
  return { kind: 'scanned', path, bytes: bytes.length, ...scanText({ path, text: triaged.text }, detect, triaged.anchored) };
}

export function processFile(file: DiscoveredFile, maxFileSize: number, detect: DetectOptions): FileResult {
  const read = readFileBytes(file, maxFileSize);
  if (read.kind === 'skipped') return read;
  return scanBytes(file.displayPath, read.bytes, detect);
}
