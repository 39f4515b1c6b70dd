import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as CatFile from '../../src/git/cat-file.js';
import type { JsonReport } from '../../src/report/json.js';
import { BIN, ensureBuilt, PROJECT_ROOT } from '../helpers/build.js';
import { makeKeyId } from '../helpers/keys.js';
import { createRepo, type TempRepo } from './repo.js';

/**
 * The reader worker only exists as built JavaScript (run from TypeScript sources, BlobReader reads
 * git's output on its own thread), so these tests load tsc's output.
 */
let BlobReader: typeof CatFile.BlobReader;
beforeAll(async () => {
  ensureBuilt();
  ({ BlobReader } = (await import(pathToFileURL(path.join(PROJECT_ROOT, 'dist/src/git/cat-file.js')).href)) as typeof CatFile);
});

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

/** A blob of `size` bytes: lines of a repeating alphabet, different for each seed. */
function content(size: number, seed: number): string {
  const line = `${String(seed).padStart(6, '0')} ${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(2)}\n`;
  return line.repeat(Math.ceil(size / line.length)).slice(0, size);
}

describe('BlobReader reading through a worker thread', () => {
  it('hands back every blob whole and in order, large ones and small, past its read-ahead limits', async () => {
    repo = createRepo();
    const sizes = [6 * 1024 * 1024, 10, 0, 300 * 1024, 1, 3 * 1024 * 1024, 70 * 1024];
    sizes.forEach((size, i) => repo!.write(`f${i}.txt`, content(size, i)));
    repo.git('add', '.');
    repo.commit('blobs');
    const ids = sizes.map((_, i) => repo!.git('rev-parse', `HEAD:f${i}.txt`).trim());
    const reader = new BlobReader({ cwd: repo.dir, env: repo.env }, { maxHeldBytes: 1024 * 1024, readInWorker: true });
    expect(reader.readsInWorker).toBe(true);
    // Everything asked at once, each released once read (as a scan does): a blob larger than the
    // held limit is still handed out whole, and git resumes after it.
    const reads = [...ids.map((id) => reader.read(id)), reader.read('0'.repeat(40)), reader.read(ids[1]!, 5)];
    const results: CatFile.BlobResult[] = [];
    for (const read of reads) {
      const result = await read;
      results.push(result);
      reader.release(result);
    }
    sizes.forEach((size, i) => {
      const result = results[i]!;
      expect(result.kind).toBe('blob');
      if (result.kind === 'blob') expect(result.data.equals(Buffer.from(content(size, i)))).toBe(true);
    });
    expect(results[sizes.length]).toEqual({ kind: 'missing' });
    expect(results[sizes.length + 1]).toEqual({ kind: 'too-large', size: 10 });
    await reader.close();
  });

  it("turns git's failure into the same one-line GitError as a reader on this thread", async () => {
    const notARepository = execFileSync('mktemp', ['-d']).toString().trim();
    const reader = new BlobReader({ cwd: notARepository }, { maxHeldBytes: 1024 * 1024, readInWorker: true });
    await expect(reader.read('0'.repeat(40))).rejects.toThrow(/git cat-file failed|not a git repository/);
    await reader.close();
    execFileSync('rm', ['-rf', notARepository]);
  });
});

describe('--history through the built CLI', () => {
  it('finds the reader worker beside the bundle file that looks for it', () => {
    const bundle = path.join(PROJECT_ROOT, 'dist-bundle');
    const files = [bundle, path.join(bundle, 'chunks')].flatMap((dir) => readdirSync(dir).map((name) => path.join(dir, name)));
    const lookers = files.filter((file) => file.endsWith('.js') && readFileSync(file, 'utf8').includes('"./cat-file-worker.js"'));
    expect(lookers.length).toBeGreaterThan(0);
    for (const looker of lookers) expect(existsSync(path.join(path.dirname(looker), 'cat-file-worker.js'))).toBe(true);
  });

  it('finds a key added late to a large file, the later versions read by the bundle’s reader worker', () => {
    repo = createRepo();
    // Four versions of 3 MB: past 8 MB of large blobs, a history moves to the reader worker.
    const big = content(3 * 1024 * 1024, 1);
    let added = '';
    for (let version = 0; version < 4; version++) {
      const key = version === 3 ? `aws_access_key_id = ${makeKeyId('AKIA', { seed: 9, account: '123456789012' })}\n` : '';
      repo.write('big.txt', `version ${version}\n${big}${key}`);
      repo.git('add', '.');
      added = repo.commit(`v${version}`, `2024-0${version + 1}-01T00:00:00+00:00`);
    }
    const run = spawnSync(process.execPath, [BIN, 'scan', '--history', '--format', 'json', '--no-config'], {
      cwd: repo.dir,
      env: repo.env,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((finding) => [finding.path, finding.line, finding.commit?.sha])).toEqual([
      ['big.txt', big.split('\n').length + 1, added],
    ]);
  });
});
