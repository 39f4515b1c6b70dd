import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { SkippedFile } from '../core/types.js';
import type { DiscoveredFile } from './discover.js';

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export type ReadResult = { kind: 'bytes'; bytes: Buffer } | { kind: 'skipped'; skipped: SkippedFile };

export function skippedFile(path: string, reason: SkippedFile['reason'], detail?: string): { kind: 'skipped'; skipped: SkippedFile } {
  return { kind: 'skipped', skipped: { path, reason, ...(detail ? { detail } : {}) } };
}

/**
 * Reads one file as hostile input: opened non-blocking so a FIFO cannot stall the scan, checked to
 * be a regular file and within the size limit on the open descriptor (so a file swapped or grown
 * after discovery is still bounded), errors turned into a skip with a reason, never an exception.
 * Synchronous on purpose: it runs in scan workers (or for a handful of files on the main thread),
 * where blocking costs nothing and four syscalls beat four trips through libuv's thread pool.
 */
export function readFileBytes(file: DiscoveredFile, maxFileSize: number): ReadResult {
  const skip = (reason: SkippedFile['reason'], detail?: string) => skippedFile(file.displayPath, reason, detail);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; no effect on files.
    fd = openSync(file.absolutePath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return skip('not-found', 'deleted during the scan');
    if (code === 'ELOOP') return skip('symlink-loop');
    return skip('unreadable', code ?? (error as Error).message);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return skip('unreadable', 'not a regular file');
    if (info.size > maxFileSize) return skip('too-large', `${info.size} bytes > --max-file-size ${maxFileSize}`);
    const buffer = Buffer.allocUnsafe(info.size + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        if (length > maxFileSize) return skip('too-large', `grew past --max-file-size ${maxFileSize} while being read`);
        return skip('unreadable', 'changed while being read');
      }
    }
    return { kind: 'bytes', bytes: buffer.subarray(0, length) };
  } catch (error) {
    return skip('unreadable', (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing left to do with a descriptor that will not close
    }
  }
}
