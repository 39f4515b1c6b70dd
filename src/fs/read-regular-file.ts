import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The one way keywarden reads a path it did not create: scanned files, and the config, ignore and
 * baseline files found in a checkout. Such a tree is untrusted: a FIFO named .gitignore would block
 * a plain read forever (opening it waits for a writer), a link to /dev/zero never ends, and a
 * multi-gigabyte file must not be pulled into memory. So: opened O_NONBLOCK (returns at once even
 * for a FIFO), checked to be a regular file and within the limit on the open descriptor (a file
 * swapped or grown after it was listed is still bounded), and read synchronously (four syscalls
 * beat four trips through libuv's thread pool; scans run this in worker threads).
 */
export type RegularFileRead =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'not-regular' }
  /** `size` is what fstat said; `grew` when the file passed the check and grew past it while being read. */
  | { kind: 'too-large'; size: number; grew: boolean }
  /** It shrank or grew (within the limit) between fstat and the end of the read. */
  | { kind: 'changed' };

/**
 * One buffer reused from read to read on a thread (scanning reads thousands of files): a fresh
 * buffer per file costs an allocation and a page fault per 4 KB the kernel copies into, ~30% of the
 * read time on the benchmark corpus. Bytes read into it are valid until the next read.
 */
export class ReusedBuffer {
  private buffer = Buffer.allocUnsafe(64 * 1024);

  /** At least `size` bytes; a file larger than this keeps its own buffer rather than keep memory held. */
  take(size: number): Buffer {
    if (size > 16 * 1024 * 1024) return Buffer.allocUnsafe(size);
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
    return this.buffer;
  }
}

/**
 * Reads at most `maxBytes`; open and read errors (ENOENT, EACCES, ELOOP, ...) are thrown as they
 * come. With `into`, the bytes returned live in that buffer and are overwritten by its next read.
 */
export function readRegularFileSync(file: string, maxBytes: number, into?: ReusedBuffer): RegularFileRead {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { kind: 'not-regular' };
    if (info.size > maxBytes) return { kind: 'too-large', size: info.size, grew: false };
    // One byte of room past the size fstat gave: filling it means the file grew during the read.
    const capacity = info.size + 1;
    const buffer = into ? into.take(capacity) : Buffer.allocUnsafe(capacity);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, capacity - length, length);
      length += bytesRead;
      if (length === capacity) return length > maxBytes ? { kind: 'too-large', size: length, grew: true } : { kind: 'changed' };
      // A read of a regular file that returns less than asked stopped at its end: with exactly the
      // size fstat gave, no second read is needed to see the end (one syscall less per file).
      if (bytesRead === 0 || length === info.size) break;
    }
    return { kind: 'bytes', bytes: buffer.subarray(0, length) };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing left to do with a descriptor that will not close
    }
  }
}

/** Thrown when a path names something other than a regular file (a FIFO, a device, a directory). */
class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError';

  constructor(readonly file: string) {
    super('not a regular file');
  }
}

/** Config, ignore and baseline files: generous for any real one, small enough to read whole. */
const SMALL_FILE_LIMIT = 64 * 1024 * 1024;

/** Reads a small regular file (config, ignore, baseline) as UTF-8; anything else is an error with one line to show. */
export async function readRegularFile(file: string, maxBytes = SMALL_FILE_LIMIT): Promise<string> {
  const read = readRegularFileSync(file, maxBytes);
  switch (read.kind) {
    case 'bytes':
      return read.bytes.toString('utf8');
    case 'not-regular':
      throw new NotRegularFileError(file);
    case 'too-large':
      throw new Error(`larger than ${maxBytes / (1024 * 1024)} MB`);
    case 'changed':
      throw new Error('changed while being read');
  }
}
