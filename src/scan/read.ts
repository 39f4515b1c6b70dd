import { statSync } from 'node:fs';
import type { SkippedFile } from '../core/types.js';
import { readRegularFileSync, ReusedBuffer, type RegularFileRead } from '../fs/read-regular-file.js';
import type { DiscoveredFile } from './discover.js';

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/**
 * The largest file scanned, whatever --max-file-size says: a file is decoded into one string, and
 * V8 caps a string at 2^29 - 24 characters (~512 MiB); past that, decoding threw and the whole scan
 * was lost. A larger file is skipped as too large, with a warning (the user asked for it scanned).
 */
export const MAX_SCANNABLE_BYTES = 500 * 1024 * 1024;
export const PAST_SCANNABLE_LIMIT = `larger than keywarden can scan (${MAX_SCANNABLE_BYTES} bytes)`;

function tooLargeDetail(size: number, maxFileSize: number, grew: boolean): string {
  if (maxFileSize > MAX_SCANNABLE_BYTES && size > MAX_SCANNABLE_BYTES) return `${size} bytes: ${PAST_SCANNABLE_LIMIT}`;
  return grew ? `grew past --max-file-size ${maxFileSize} while being read` : `${size} bytes > --max-file-size ${maxFileSize}`;
}
export type ReadResult = { kind: 'bytes'; bytes: Buffer } | { kind: 'skipped'; skipped: SkippedFile };

export function skippedFile(path: string, reason: SkippedFile['reason'], detail?: string): { kind: 'skipped'; skipped: SkippedFile } {
  return { kind: 'skipped', skipped: { path, reason, ...(detail ? { detail } : {}) } };
}

/** This thread's read buffer: files are read and scanned one at a time, never held past their scan. */
const readBuffer = new ReusedBuffer();

/**
 * Reads one file to scan (see readRegularFileSync for why it is safe on hostile trees), turning
 * every failure into a skip with a reason, never an exception. The bytes are valid until the next
 * call: scan them (decoding copies them into a string) before reading another file.
 */
export function readFileBytes(file: DiscoveredFile, maxFileSize: number): ReadResult {
  const skip = (reason: SkippedFile['reason'], detail?: string) => skippedFile(file.displayPath, reason, detail);
  let read: RegularFileRead;
  try {
    read = readRegularFileSync(file.absolutePath, Math.min(maxFileSize, MAX_SCANNABLE_BYTES), readBuffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return skip('not-found', 'deleted during the scan');
    if (code === 'ELOOP') return skip('symlink-loop');
    return skip('unreadable', code ?? (error as Error).message);
  }
  switch (read.kind) {
    case 'bytes':
      return read;
    case 'not-regular':
      return skip('unreadable', 'not a regular file');
    case 'too-large':
      return skip('too-large', tooLargeDetail(read.size, maxFileSize, read.grew));
    case 'changed':
      return skip('unreadable', 'changed while being read');
  }
}

export type SizeResult = { kind: 'size'; size: number } | { kind: 'skipped'; skipped: SkippedFile };

/**
 * What readFileBytes would have said of a file, short of its bytes: its size, or the same skip
 * (not regular, larger than the limit, gone). For files a native prefilter already found clean.
 */
export function statFileSize(file: DiscoveredFile, maxFileSize: number): SizeResult {
  const skip = (reason: SkippedFile['reason'], detail?: string) => skippedFile(file.displayPath, reason, detail);
  let info;
  try {
    info = statSync(file.absolutePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return skip('not-found', 'deleted during the scan');
    if (code === 'ELOOP') return skip('symlink-loop');
    return skip('unreadable', code ?? (error as Error).message);
  }
  if (!info.isFile()) return skip('unreadable', 'not a regular file');
  if (info.size > Math.min(maxFileSize, MAX_SCANNABLE_BYTES)) return skip('too-large', tooLargeDetail(info.size, maxFileSize, false));
  return { kind: 'size', size: info.size };
}
