import { afterEach, describe, expect, it } from 'vitest';
import { BlobCache, type BlobCacheLimits } from '../../src/git/blob-cache.js';
import { historySources } from '../../src/git/sources.js';
import { scanGit } from '../../src/git/scan.js';
import type { Finding } from '../../src/core/types.js';
import { buildReport } from '../../src/scan/report-builder.js';
import { makeKeyId } from '../helpers/keys.js';
import { cloneRepo, createRepo, type TempRepo } from './repo.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '456789012345' });

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

function upstream(): TempRepo {
  const repo = createRepo();
  repos.push(repo);
  repo.write('README.md', 'hello\n');
  repo.write('a.env', `one=1\n`);
  repo.git('add', '.');
  repo.commit('base', '2024-01-01T00:00:00+00:00');
  repo.write('a.env', `one=1\nkey=${keyId(1)}\n`);
  repo.write('b.env', `key=${keyId(2)}\n`);
  repo.git('add', '.');
  repo.commit('keys', '2024-01-02T00:00:00+00:00');
  return repo;
}

function forkOf(repo: TempRepo): TempRepo {
  const fork = cloneRepo(repo);
  repos.push(fork);
  return fork;
}

/** One repository's history scan (every ref) with the run's cache, and what the session counted. */
async function scan(repo: TempRepo, cache: BlobCache, exclude?: string[]) {
  const session = cache.session();
  const stream = await scanGit({
    context: { cwd: repo.dir, env: repo.env },
    mode: { kind: 'history', all: true, ...(exclude ? { exclude } : {}) },
    detect: {},
    maxFileSize: 1 << 20,
    include: [],
    exclude: [],
    useIgnoreFiles: true,
    blobCache: session,
  });
  const report = await buildReport(stream);
  return { report, counts: session.counts };
}

const where = (findings: readonly Finding[]) => findings.map((f) => `${f.path}:${f.line} ${f.match} ${f.commit?.sha.slice(0, 7)}`);

describe('BlobCache: one scan per blob across repositories', () => {
  it('a fork reads none of the shared blobs, and its findings are the ones a scan of its own gives', async () => {
    const repo = upstream();
    const fork = forkOf(repo);
    // The fork copies the key file to a new path (a new added file with the same blob) and adds a commit.
    fork.write('copy/b.env', `key=${keyId(2)}\n`);
    fork.write('c.txt', 'clean\n');
    fork.git('add', '.');
    fork.commit('copy', '2024-02-01T00:00:00+00:00');

    const cache = new BlobCache();
    const first = await scan(repo, cache);
    const second = await scan(fork, cache);
    expect(first.counts).toEqual({ commits: 2, blobsScanned: 4, blobsReused: 0 });
    // README, a.env twice, b.env: known; copy/b.env is b.env's blob added at a new path (same old
    // version, none): its results are re-attached there too. Only c.txt is read.
    expect(second.counts).toEqual({ commits: 3, blobsScanned: 1, blobsReused: 5 });

    // On its own the fork reads each blob once: copy/b.env reuses what b.env's scan found.
    const alone = await scan(fork, new BlobCache());
    expect(alone.counts).toEqual({ commits: 3, blobsScanned: 5, blobsReused: 1 });
    expect(where(second.report.findings)).toEqual(where(alone.report.findings));
    expect(where(second.report.findings)).toContain(`copy/b.env:1 ${keyId(2)} ${fork.git('rev-parse', 'HEAD').trim().slice(0, 7)}`);
    expect(second.report.stats.filesScanned).toBe(alone.report.stats.filesScanned);
    expect(second.report.stats.bytesScanned).toBe(Buffer.byteLength('clean\n'));
  });

  it('a blob changed from another old version is read again: its added lines are not the same', async () => {
    const repo = upstream();
    const other = createRepo();
    repos.push(other);
    // The same final a.env, reached from a different first version: only the key line is not new here.
    other.write('a.env', `key=${keyId(1)}\n`);
    other.git('add', '.');
    other.commit('first', '2024-03-01T00:00:00+00:00');
    other.write('a.env', `one=1\nkey=${keyId(1)}\n`);
    other.git('add', '.');
    other.commit('second', '2024-03-02T00:00:00+00:00');

    const cache = new BlobCache();
    await scan(repo, cache);
    const second = await scan(other, cache);
    const alone = await scan(other, new BlobCache());
    expect(second.counts.blobsScanned).toBe(2);
    expect(where(second.report.findings)).toEqual(where(alone.report.findings));
  });

  it('past its results limit the cache forgets results, never findings: blobs are read again', async () => {
    const repo = upstream();
    const fork = forkOf(repo);
    const limits: BlobCacheLimits = { ids: 1024, results: 0 };
    const cache = new BlobCache(limits);
    await scan(repo, cache);
    const second = await scan(fork, cache);
    const alone = await scan(fork, new BlobCache());
    // The clean README and a.env's first version are known; the three versions with keys are read.
    expect(second.counts).toEqual({ commits: 2, blobsScanned: 2, blobsReused: 2 });
    expect(where(second.report.findings)).toEqual(where(alone.report.findings));
  });

  it('history with exclusions walks only the commits not reachable from them', async () => {
    const repo = upstream();
    const base = repo.git('rev-parse', 'HEAD~1').trim();
    const sources = await historySources({ cwd: repo.dir, env: repo.env }, { all: true, exclude: [base] });
    const paths: string[] = [];
    for await (const event of sources.events) if (event.kind === 'source') paths.push(event.source.path);
    expect(paths.sort()).toEqual(['a.env', 'b.env']);
    await expect(historySources({ cwd: repo.dir, env: repo.env }, { all: true, exclude: ['HEAD'] })).rejects.toThrow(
      /bad excluded commit: "HEAD"/,
    );
  });
});
