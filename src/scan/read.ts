import { open } from 'node:fs/promises';
import type { Source, SkippedFile } from '../core/types.js';
import { decodeFile } from './decode.js';
import type { DiscoveredFile } from './discover.js';

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export type ReadResult = { kind: 'source'; source: Source; bytes: number } | { kind: 'skipped'; skipped: SkippedFile };

/**
 * Reads one file as hostile input: size checked on the open handle before reading (so a file
 * that grows or is swapped after discovery is still bounded), binary sniffed, errors turned
 * into a skip with a reason instead of an exception.
 */
export async function readSource(file: DiscoveredFile, maxFileSize: number): Promise<ReadResult> {
  const skip = (reason: SkippedFile['reason'], detail?: string): ReadResult => ({
    kind: 'skipped',
    skipped: { path: file.displayPath, reason, ...(detail ? { detail } : {}) },
  });
  let handle;
  try {
    handle = await open(file.absolutePath, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return skip('not-found', 'deleted during the scan');
    if (code === 'ELOOP') return skip('symlink-loop');
    return skip('unreadable', code ?? (error as Error).message);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return skip('unreadable', 'not a regular file');
    if (info.size > maxFileSize) return skip('too-large', `${info.size} bytes > --max-file-size ${maxFileSize}`);
    const buffer = Buffer.allocUnsafe(Math.min(info.size, maxFileSize) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) return skip('too-large', `grew past --max-file-size ${maxFileSize} while being read`);
    }
    const decoded = decodeFile(buffer.subarray(0, length));
    if (decoded.kind === 'binary') return skip('binary');
    return { kind: 'source', source: { path: file.displayPath, text: decoded.text }, bytes: length };
  } catch (error) {
    return skip('unreadable', (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
