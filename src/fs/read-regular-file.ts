import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Thrown when a path names something other than a regular file (a FIFO, a device, a directory). */
export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError';

  constructor(readonly file: string) {
    super('not a regular file');
  }
}

/**
 * Reads a regular file as UTF-8, refusing anything else. A scanned tree is untrusted: a FIFO named
 * .gitignore would block a plain readFile forever (opening it waits for a writer), and a link to
 * /dev/zero would never end. O_NONBLOCK makes the open return at once; fstat then says what it is.
 */
export async function readRegularFile(file: string): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) throw new NotRegularFileError(file);
    return await handle.readFile('utf8');
  } finally {
    await handle.close().catch(() => undefined);
  }
}
