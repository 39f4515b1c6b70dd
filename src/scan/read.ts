import type { SkippedFile } from '../core/types.js';
import { readRegularFileSync, ReusedBuffer, type RegularFileRead } from '../fs/read-regular-file.js';
import type { DiscoveredFile } from './discover.js';

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

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
    read = readRegularFileSync(file.absolutePath, maxFileSize, readBuffer);
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
      return skip('too-large', read.grew ? `grew past --max-file-size ${maxFileSize} while being read` : `${read.size} bytes > --max-file-size ${maxFileSize}`);
    case 'changed':
      return skip('unreadable', 'changed while being read');
  }
}
