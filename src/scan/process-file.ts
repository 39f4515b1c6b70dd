import { PREFILTER_ANCHORS, scanText, type DetectOptions } from '../core/detect.js';
import type { Finding, SkippedFile } from '../core/types.js';
import { decodeText, hasUtf16Bom, isBinary } from './decode.js';
import type { DiscoveredFile } from './discover.js';
import { readFileBytes, skippedFile } from './read.js';

/** What scanning one file produced; plain data, so it crosses worker_threads unchanged. */
export type FileResult =
  | { kind: 'scanned'; path: string; bytes: number; findings: Finding[]; examples: Finding[]; suppressed: number }
  | { kind: 'skipped'; skipped: SkippedFile };

const FRAGMENT_BUFFERS = PREFILTER_ANCHORS.fragments.map((fragment) => Buffer.from(fragment, 'latin1'));

/**
 * Byte-level prefilter: anchors are ASCII, so they appear as the same bytes in UTF-8. A file without
 * any anchor is done without decoding it (most files of a real tree).
 */
export function bytesMayHoldCredential(bytes: Buffer): boolean {
  return PREFILTER_ANCHORS.foundIn({
    length: bytes.length,
    indexOf: (index, from) => bytes.indexOf(FRAGMENT_BUFFERS[index]!, from),
    codeAt: (at) => bytes[at]!,
  });
}

/** For text bytes: false when they certainly hold no credential, so need not be decoded and scanned. */
export function textMayHoldCredential(bytes: Buffer): boolean {
  // UTF-16 text is not ASCII-compatible, so the byte prefilter cannot judge it: decode it first.
  return hasUtf16Bom(bytes) || bytesMayHoldCredential(bytes);
}

export function scanBytes(path: string, bytes: Buffer, detect: DetectOptions): FileResult {
  const empty: FileResult = { kind: 'scanned', path, bytes: bytes.length, findings: [], examples: [], suppressed: 0 };
  if (isBinary(bytes)) return skippedFile(path, 'binary');
  if (!textMayHoldCredential(bytes)) return empty;
  const result = scanText({ path, text: decodeText(bytes) }, detect);
  return { ...empty, findings: result.findings, examples: result.examples, suppressed: result.suppressed };
}

export function processFile(file: DiscoveredFile, maxFileSize: number, detect: DetectOptions): FileResult {
  const read = readFileBytes(file, maxFileSize);
  if (read.kind === 'skipped') return read;
  return scanBytes(file.displayPath, read.bytes, detect);
}
