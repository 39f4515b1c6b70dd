import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { writeFileAtomic } from '../../src/fs/atomic-write.js';
import { AccountCache } from '../../src/sts/cache.js';
import { REPO_ROOT, runCli, tempTree } from '../helpers/cli.js';
import { makeKeyId } from '../helpers/keys.js';

/**
 * The baseline file and the STS cache are replaced atomically (src/fs/atomic-write.ts: temp file,
 * fsync, rename). A failure or a crash part-way leaves the previous file whole, and concurrent
 * writers leave one writer's complete content, never a mix. Crashes are real: a child process that
 * kills itself with SIGKILL at a chosen point (needs the build, as `npm test` makes).
 */

const tree = tempTree;

const tempFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tmp'));
const OLD = `${JSON.stringify({ version: 1, note: 'the previous, valid content' })}\n`;

/**
 * A child that loads the built atomic writer with fs/promises patched (syncBuiltinESMExports makes
 * the patch visible to named imports) so it dies at the chosen step, or writes `count` times.
 */
const CHILD = `
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
const [target, mode, count] = process.argv.slice(2);
const die = () => process.kill(process.pid, 'SIGKILL');
if (mode === 'crash-mid-write') {
  const realOpen = fsp.open;
  fsp.open = async (...args) => {
    const handle = await realOpen(...args);
    handle.writeFile = async (data) => { await handle.write(String(data).slice(0, 4096)); await handle.sync(); die(); await new Promise(() => {}); };
    return handle;
  };
}
if (mode === 'crash-before-rename') fsp.rename = async () => { die(); await new Promise(() => {}); };
syncBuiltinESMExports();
const { writeFileAtomic } = await import(${JSON.stringify(path.join(REPO_ROOT, 'dist/src/fs/atomic-write.js'))});
for (let i = 0; i < Number(count ?? 1); i++) {
  await writeFileAtomic(target, JSON.stringify({ writer: process.pid, i, padding: 'p'.repeat(200000) }) + '\\n');
}
`;

function runChild(dir: string, args: string[]): Promise<{ code: number | null; signal: string | null }> {
  const script = path.join(dir, 'child.mjs');
  writeFileSync(script, CHILD);
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { timeout: 30_000 }, (error) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, signal: error?.signal ?? null }),
    );
  });
}

describe('a failed or crashed write leaves the old file whole', () => {
  test.each(['crash-mid-write', 'crash-before-rename'])('%s (SIGKILL)', async (mode) => {
    const dir = tree({ 'state.json': OLD });
    const target = path.join(dir, 'state.json');
    const result = await runChild(dir, [target, mode]);
    expect(result.signal).toBe('SIGKILL');
    expect(readFileSync(target, 'utf8')).toBe(OLD);
    // A killed process cannot clean up: its temp file is a hidden sibling, never the target.
    expect(tempFiles(dir).every((name) => name.startsWith('.state.json.'))).toBe(true);
    // The next write succeeds regardless.
    await writeFileAtomic(target, '{"next":true}\n');
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ next: true });
  });

  test('the disk refusing the write (EFBIG under a file size limit): old file intact, temp file removed', async () => {
    const dir = tree({ 'state.json': OLD });
    const target = path.join(dir, 'state.json');
    const script = path.join(dir, 'child.mjs');
    writeFileSync(script, CHILD);
    // Node ignores SIGXFSZ, so past `ulimit -f` the write fails with EFBIG instead of killing it.
    const code = await new Promise<number>((resolve) =>
      execFile('sh', ['-c', `ulimit -f 16 && exec "${process.execPath}" "${script}" "${target}" write 1`], { timeout: 30_000 }, (error) =>
        resolve(error ? (typeof error.code === 'number' ? error.code : -1) : 0),
      ),
    );
    expect(code).not.toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(OLD);
    expect(tempFiles(dir)).toEqual([]);
  });

  test('a rename that fails (the target is a directory) throws and leaves no temp file', async () => {
    const dir = tree({ 'taken/inside.txt': 'keep me' });
    await expect(writeFileAtomic(path.join(dir, 'taken'), '{}')).rejects.toMatchObject({
      code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/),
    });
    expect(readFileSync(path.join(dir, 'taken/inside.txt'), 'utf8')).toBe('keep me');
    expect(tempFiles(dir)).toEqual([]);
  });

  test('keywarden baseline --file onto a directory: one clear line, exit 2, nothing left behind', async () => {
    const dir = tree({ 'a.txt': `k=${makeKeyId('AKIA', { seed: 950 })}\n`, 'out/x': '' });
    const result = await runCli(['baseline', '--file', 'out'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^keywarden: cannot write baseline out: E[A-Z]+\n$/);
    expect(tempFiles(dir)).toEqual([]);
  });

  test('an STS cache that cannot be saved throws (a warning upstream) and leaves nothing behind', async () => {
    const dir = tree({ 'cache/accounts.json/inner.txt': 'keep me' });
    const file = path.join(dir, 'cache/accounts.json');
    const cache = await AccountCache.load(file);
    cache.set(makeKeyId('AKIA', { seed: 951 }), '111122223333');
    await expect(cache.save()).rejects.toBeDefined();
    expect(readFileSync(path.join(file, 'inner.txt'), 'utf8')).toBe('keep me');
    expect(tempFiles(path.dirname(file))).toEqual([]);
  });
});

describe('concurrent writers', () => {
  test('in one process: the file ends as one writer’s complete content', async () => {
    const dir = tree();
    const target = path.join(dir, 'baseline.json');
    const contents = Array.from({ length: 24 }, (_, i) => `${JSON.stringify({ writer: i, padding: String(i).repeat(50_000) })}\n`);
    await Promise.all(contents.map((content) => writeFileAtomic(target, content)));
    expect(contents).toContain(readFileSync(target, 'utf8'));
    expect(tempFiles(dir)).toEqual([]);
  });

  test('across processes, with a reader polling throughout: every read is a complete file', async () => {
    const dir = tree({ 'state.json': OLD });
    const target = path.join(dir, 'state.json');
    let running = 3;
    const writers = Array.from({ length: 3 }, () => runChild(dir, [target, 'write', '15']).finally(() => running--));
    let reads = 0;
    while (running > 0) {
      const text = readFileSync(target, 'utf8');
      expect(() => JSON.parse(text)).not.toThrow();
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect((await Promise.all(writers)).map((r) => r.code)).toEqual([0, 0, 0]);
    expect(reads).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(target, 'utf8')).i).toBe(14);
    expect(tempFiles(dir)).toEqual([]);
  });

  test('two STS caches saving at once leave a valid cache file with mode 0600', async () => {
    const dir = tree();
    const file = path.join(dir, 'keywarden/accounts.json');
    const caches = await Promise.all([AccountCache.load(file), AccountCache.load(file)]);
    caches[0]!.set(makeKeyId('AKIA', { seed: 953 }), '111122223333');
    caches[1]!.set(makeKeyId('AKIA', { seed: 954 }), '444455556666');
    await Promise.all(caches.map((cache) => cache.save()));
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    expect(parsed.version).toBe(1);
    expect(Object.keys(parsed.entries)).toHaveLength(1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(tempFiles(path.dirname(file))).toEqual([]);
  });
});
