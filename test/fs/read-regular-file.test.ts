import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readRegularFile, readRegularFileSync, ReusedBuffer } from '../../src/fs/read-regular-file.js';
import { readFileBytes } from '../../src/scan/read.js';
import { tempTree } from '../helpers/cli.js';

/** The one reader of untrusted paths: scanned files, and config, ignore and baseline files alike. */
describe('readRegularFileSync', () => {
  test('reads a regular file whole, and refuses one past the limit without reading it', () => {
    const dir = tempTree({ 'a.txt': 'hello\n' });
    const file = path.join(dir, 'a.txt');
    expect(readRegularFileSync(file, 6)).toMatchObject({ kind: 'bytes' });
    expect(readRegularFileSync(file, 5)).toEqual({ kind: 'too-large', size: 6, grew: false });
  });

  test('a sparse multi-gigabyte file costs nothing to refuse', () => {
    const dir = tempTree({ 'huge.gitignore': '' });
    const file = path.join(dir, 'huge.gitignore');
    truncateSync(file, 8 * 1024 ** 3);
    expect(readRegularFileSync(file, 1024)).toEqual({ kind: 'too-large', size: 8 * 1024 ** 3, grew: false });
  });

  test('a FIFO, a directory and a device are not regular files; open errors are thrown as they are', () => {
    const dir = tempTree();
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    mkdirSync(path.join(dir, 'sub'));
    symlinkSync('/dev/zero', path.join(dir, 'zero'));
    for (const name of ['fifo', 'sub', 'zero']) expect(readRegularFileSync(path.join(dir, name), 1024)).toEqual({ kind: 'not-regular' });
    expect(() => readRegularFileSync(path.join(dir, 'missing'), 1024)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('ReusedBuffer', () => {
  test('successive reads of smaller and larger files each see exactly their own bytes', () => {
    const sizes = [10, 200_000, 3, 70_000, 0, 1];
    const dir = tempTree(Object.fromEntries(sizes.map((size, i) => [`f${i}`, String.fromCharCode(97 + i).repeat(size)])));
    const into = new ReusedBuffer();
    sizes.forEach((size, i) => {
      const read = readRegularFileSync(path.join(dir, `f${i}`), 1 << 20, into);
      expect(read).toMatchObject({ kind: 'bytes' });
      expect((read as { bytes: Buffer }).bytes.toString('latin1')).toBe(String.fromCharCode(97 + i).repeat(size));
    });
  });

  test('a very large file gets a buffer of its own instead of keeping the reused one that large', () => {
    const into = new ReusedBuffer();
    const big = into.take(32 * 1024 * 1024);
    expect(into.take(10)).not.toBe(big);
    expect(into.take(100_000)).toBe(into.take(10));
  });
});

describe('callers', () => {
  test('small files (config, ignore, baseline) get one line of error past their limit', async () => {
    const dir = tempTree({ 'keywarden.config.json': `{"exclude": ["${'x'.repeat(2 * 1024 * 1024)}"]}` });
    await expect(readRegularFile(path.join(dir, 'keywarden.config.json'), 1024 * 1024)).rejects.toThrow('larger than 1 MB');
  });

  test('the scanner turns each outcome into a skip with a reason', () => {
    const dir = tempTree({ 'a.txt': 'x'.repeat(100) });
    const file = (name: string) => ({ absolutePath: path.join(dir, name), displayPath: name });
    expect(readFileBytes(file('a.txt'), 10)).toEqual({
      kind: 'skipped',
      skipped: { path: 'a.txt', reason: 'too-large', detail: '100 bytes > --max-file-size 10' },
    });
    expect(readFileBytes(file('gone.txt'), 10)).toEqual({
      kind: 'skipped',
      skipped: { path: 'gone.txt', reason: 'not-found', detail: 'deleted during the scan' },
    });
  });
});
