import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RepositoryStatus } from '../../src/core/types.js';
import type { JsonReport } from '../../src/report/json.js';
import { cloneRepo, createRepo, type TempRepo } from '../git/repo.js';
import { runBin } from '../helpers/cli.js';
import { makeKeyId } from '../helpers/keys.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '111122223333' });

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A repository with a clean file and a key, committed on main (and a few clean files to share). */
function upstream(): TempRepo {
  const repo = createRepo();
  cleanups.push(() => repo.cleanup());
  repo.write('README.md', 'hello\n');
  for (let i = 0; i < 5; i++) repo.write(`src/file${i}.txt`, `clean file ${i}\n`);
  repo.git('add', '.');
  repo.commit('base', '2024-01-01T00:00:00+00:00');
  repo.write('config/app.env', `AWS_ACCESS_KEY_ID=${keyId(1)}\n`);
  repo.git('add', '.');
  repo.commit('leak', '2024-01-02T00:00:00+00:00');
  return repo;
}

function forkOf(repo: TempRepo): TempRepo {
  const fork = cloneRepo(repo);
  cleanups.push(() => fork.cleanup());
  return fork;
}

function workspace(lines: string[]): { dir: string; list: string; cache: string; state: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-repos-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const list = path.join(dir, 'repos.txt');
  writeFileSync(list, `${lines.join('\n')}\n`);
  return { dir, list, cache: path.join(dir, 'cache'), state: path.join(dir, 'state.json') };
}

async function audit(argv: string[], cwd: string, env: Record<string, string>) {
  const result = await runBin(['scan', '--no-config', '--format', 'json', ...argv], { cwd, env });
  return { ...result, report: result.stdout ? (JSON.parse(result.stdout) as JsonReport) : undefined };
}

const status = (report: JsonReport | undefined, repository: string): RepositoryStatus =>
  report!.repositories!.find((entry) => entry.repository === repository)!;

describe('scan --repos --state: incremental audits', () => {
  it('scans only commits new since the recorded tips: a new key is found, the old one is not reported again', async () => {
    const repo = upstream();
    const ws = workspace([repo.dir]);
    const argv = ['--repos', ws.list, '--cache-dir', ws.cache, '--state', ws.state];

    const first = await audit(argv, ws.dir, repo.env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    expect(first.report!.findings.map((f) => [f.path, f.match])).toEqual([['config/app.env', keyId(1)]]);
    const firstStatus = status(first.report, repo.dir);
    expect(firstStatus.commits).toBe(2);
    expect(firstStatus.blobsScanned).toBe(7);
    expect(firstStatus.incremental).toBeUndefined();
    const head = repo.git('rev-parse', 'HEAD').trim();
    const saved = JSON.parse(readFileSync(ws.state, 'utf8')) as { format: string; repositories: Record<string, { tips: string[] }> };
    expect(saved.format).toBe('keywarden-repos-state');
    expect(saved.repositories[repo.dir]!.tips).toEqual([head]);

    // Nothing new: nothing walked, nothing reported, exit 0.
    const again = await audit(argv, ws.dir, repo.env);
    expect(again.code).toBe(0);
    expect(again.report!.findings).toEqual([]);
    expect(status(again.report, repo.dir)).toMatchObject({ commits: 0, blobsScanned: 0, incremental: { tips: 1, missing: 0 } });

    // A new commit on a new branch (and a touch of the old file): only it is walked.
    repo.git('switch', '-q', '-c', 'feature');
    repo.write('deploy/ci.yml', `key: ${keyId(2)}\n`);
    repo.write('config/app.env', `AWS_ACCESS_KEY_ID=${keyId(1)}\nREGION=eu-west-1\n`);
    repo.git('add', '.');
    const newCommit = repo.commit('more', '2024-01-03T00:00:00+00:00');
    const third = await audit(argv, ws.dir, repo.env);
    expect(third.code).toBe(1);
    expect(third.report!.findings.map((f) => [f.path, f.match, f.commit?.sha])).toEqual([['deploy/ci.yml', keyId(2), newCommit]]);
    expect(status(third.report, repo.dir)).toMatchObject({ commits: 1, blobsScanned: 2 });
    expect(third.report!.stats.filesScanned).toBeLessThan(first.report!.stats.filesScanned);
    const tips = (JSON.parse(readFileSync(ws.state, 'utf8')) as typeof saved).repositories[repo.dir]!.tips;
    expect(tips).toEqual([head, newCommit].sort());

    // Without --state the whole history is scanned again, both keys reported.
    const full = await audit(['--repos', ws.list, '--cache-dir', ws.cache], ws.dir, repo.env);
    expect(full.report!.findings.map((f) => f.match).sort()).toEqual([keyId(1), keyId(2)].sort());
    // Other settings (here a rule turned off) than the state was made with: that repository is
    // scanned in full again, and the report says why; the next run with them is incremental again.
    const narrowed = [...argv, '--rule', 'aws-access-key-id'];
    const rescanned = await audit(narrowed, ws.dir, repo.env);
    expect(rescanned.report!.findings.map((f) => f.match).sort()).toEqual([keyId(1), keyId(2)].sort());
    expect(status(rescanned.report, repo.dir).incremental).toBeUndefined();
    expect(rescanned.report!.warnings).toContain(
      `${repo.dir}: --state: last audited with other settings (rules, allow list, baseline, scope or keywarden version): scanned in full`,
    );
    const settled = await audit(narrowed, ws.dir, repo.env);
    expect(settled.report!.findings).toEqual([]);
    expect(status(settled.report, repo.dir)).toMatchObject({ commits: 0, incremental: { tips: 2, missing: 0 } });
  });

  it('after a force-push scans the rewritten commits, walking around only the tips still in the mirror', async () => {
    const repo = upstream();
    const ws = workspace([repo.dir]);
    const argv = ['--repos', ws.list, '--cache-dir', ws.cache, '--state', ws.state];
    expect((await audit(argv, ws.dir, repo.env)).code).toBe(1);

    // Rewrite main: the leak commit is replaced by one with another key; the old tip is gone upstream.
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    repo.write('config/app.env', `AWS_ACCESS_KEY_ID=${keyId(3)}\n`);
    repo.git('add', '.');
    repo.commit('leak, rewritten', '2024-01-05T00:00:00+00:00');
    repo.git('reflog', 'expire', '--expire=now', '--all');
    repo.git('gc', '-q', '--prune=now');
    // The mirror loses the old tip too once fetched and collected.
    const mirrors = execFileSync('ls', [ws.cache], { encoding: 'utf8' }).trim().split('\n');
    const mirror = path.join(
      ws.cache,
      mirrors.find((name) => name.endsWith('.git'))!,
    );
    execFileSync('git', ['fetch', '-q', '--prune', 'origin'], { cwd: mirror, env: repo.env });
    execFileSync('git', ['reflog', 'expire', '--expire=now', '--all'], { cwd: mirror, env: repo.env });
    execFileSync('git', ['gc', '-q', '--prune=now'], { cwd: mirror, env: repo.env });

    const after = await audit(argv, ws.dir, repo.env);
    expect(after.code).toBe(1);
    expect(after.report!.findings.map((f) => f.match)).toEqual([keyId(3)]);
    // The old tip is gone, so nothing could be walked around: the base commit is scanned again.
    expect(status(after.report, repo.dir)).toMatchObject({ commits: 2, incremental: { tips: 1, missing: 1 } });
  });

  it('a repository that fails keeps its old state; the others are updated', async () => {
    const repo = upstream();
    const missing = path.join(repo.dir, 'no-such-repository');
    const ws = workspace([repo.dir, missing]);
    const stale = { tips: ['a'.repeat(40)], scannedAt: '2024-01-01T00:00:00.000Z' };
    writeFileSync(ws.state, JSON.stringify({ format: 'keywarden-repos-state', version: 1, repositories: { [missing]: stale } }));
    const result = await audit(['--repos', ws.list, '--cache-dir', ws.cache, '--state', ws.state, '--allow-partial'], ws.dir, repo.env);
    expect(result.code).toBe(1);
    const saved = JSON.parse(readFileSync(ws.state, 'utf8')) as { repositories: Record<string, unknown> };
    expect(saved.repositories[missing]).toEqual(stale);
    expect(Object.keys(saved.repositories).sort()).toEqual([repo.dir, missing].sort());
  });

  it('refuses a corrupt or foreign state file in one line with exit 2, and leaves it as it was', async () => {
    const repo = upstream();
    const ws = workspace([repo.dir]);
    const cases: Array<[string, RegExp]> = [
      ['{"format": "keywarden-repos-state", "version": 1, "repositories": {"x": {"tips": ["abc"], "scannedAt": "now"}}', /not JSON/],
      ['', /not JSON/],
      ['[]', /not a JSON object/],
      [JSON.stringify({ version: 1, findings: [] }), /"format" is not "keywarden-repos-state"/],
      [JSON.stringify({ format: 'keywarden-repos-state', version: 2, repositories: {} }), /unsupported "version" 2/],
      [
        JSON.stringify({ format: 'keywarden-repos-state', version: 1, repositories: { x: { tips: ['HEAD'], scannedAt: 'now' } } }),
        /repository "x" has a tip that is not a full commit id/,
      ],
    ];
    for (const [content, message] of cases) {
      writeFileSync(ws.state, content);
      const result = await runBin(['scan', '--no-config', '--repos', ws.list, '--cache-dir', ws.cache, '--state', ws.state], {
        cwd: ws.dir,
        env: repo.env,
      });
      expect(result.code, content).toBe(2);
      expect(result.stderr, content).toMatch(
        new RegExp(`^keywarden: --state: ${ws.state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a keywarden state file \\(`),
      );
      expect(result.stderr, content).toMatch(message);
      expect(result.stderr.trim().split('\n'), content).toHaveLength(1);
      expect(readFileSync(ws.state, 'utf8')).toBe(content);
    }
    const misplaced = await runBin(['scan', '--repos', ws.list, '--state', path.join(ws.dir, 'no-dir', 's.json')], {
      cwd: ws.dir,
      env: repo.env,
    });
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toMatch(/^keywarden: --state: cannot write .*s\.json: its directory does not exist\n$/);
    for (const [argv, message] of [
      [['--state', ws.state], /^keywarden: --state only works with --repos or --github-org\n$/],
      [['--jobs', '2'], /^keywarden: --jobs only works with --repos or --github-org\n$/],
      [['--repos', ws.list, '--jobs', '0'], /^keywarden: --jobs takes a whole number from 1 to 64\n$/],
      [['--repos', ws.list, '--jobs', 'x'], /^keywarden: --jobs takes a whole number from 1 to 64\n$/],
    ] as const) {
      const result = await runBin(['scan', '--no-config', ...argv], { cwd: ws.dir, env: repo.env });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toMatch(message);
    }
  });
});

describe('scan --repos: forks and --jobs', () => {
  it('reads a blob shared by a fork once, and reports its key in both repositories with their own commit and path', async () => {
    const repo = upstream();
    const fork = forkOf(repo);
    // The fork moves the key file and adds a key of its own.
    fork.git('mv', 'config/app.env', 'config/prod.env');
    fork.write('fork.txt', `id ${keyId(4)}\n`);
    fork.git('add', '.');
    const forkCommit = fork.commit('fork work', '2024-02-01T00:00:00+00:00');
    const ws = workspace([repo.dir, fork.dir]);

    const { code, report } = await audit(['--repos', ws.list, '--cache-dir', ws.cache, '--jobs', '1'], ws.dir, repo.env);
    expect(code).toBe(1);
    const leakCommit = repo.git('rev-parse', 'HEAD').trim();
    const found = report!.findings.map((f) => [f.repository, f.path, f.match, f.commit!.sha].join(' '));
    expect(found.sort()).toEqual(
      [
        [repo.dir, 'config/app.env', keyId(1), leakCommit],
        [fork.dir, 'config/app.env', keyId(1), leakCommit],
        [fork.dir, 'fork.txt', keyId(4), forkCommit],
      ]
        .map((parts) => parts.join(' '))
        .sort(),
    );
    // The upstream's 7 blobs are read once; the fork reads only its new file (a rename adds no line).
    expect(status(report, repo.dir)).toMatchObject({ commits: 2, blobsScanned: 7, blobsReused: 0 });
    expect(status(report, fork.dir)).toMatchObject({ commits: 3, blobsScanned: 1, blobsReused: 7 });
    // Files are counted in each repository; bytes only where they were read: the same audits one repository at a time.
    const one = async (dir: string) => {
      const result = await runBin(['scan', '--no-config', '--format', 'json', '--repos', '-', '--cache-dir', ws.cache], {
        cwd: ws.dir,
        env: repo.env,
        stdin: `${dir}\n`,
      });
      return JSON.parse(result.stdout) as JsonReport;
    };
    const [upstreamOnly, forkOnly] = [await one(repo.dir), await one(fork.dir)];
    expect(status(forkOnly, fork.dir)).toMatchObject({ commits: 3, blobsScanned: 8, blobsReused: 0 });
    expect(report!.stats.filesScanned).toBe(upstreamOnly.stats.filesScanned + forkOnly.stats.filesScanned);
    expect(report!.stats.bytesScanned).toBe(upstreamOnly.stats.bytesScanned + Buffer.byteLength(`id ${keyId(4)}\n`));
    expect(report!.stats.bytesScanned).toBeLessThan(upstreamOnly.stats.bytesScanned + forkOnly.stats.bytesScanned);
  });

  it('with --jobs 2, a fork and its upstream take turns (they share a root commit), so shared blobs are still read once', async () => {
    const repo = upstream();
    const fork = forkOf(repo);
    fork.write('fork.txt', `id ${keyId(4)}\n`);
    fork.git('add', '.');
    fork.commit('fork work', '2024-02-01T00:00:00+00:00');
    // An unrelated repository beside them, which need not wait for either.
    const other = createRepo();
    cleanups.push(() => other.cleanup());
    other.write('x.txt', `id ${keyId(5)}\n`);
    other.git('add', '.');
    other.commit('other', '2024-03-01T00:00:00+00:00');
    const ws = workspace([repo.dir, fork.dir, other.dir]);
    const { code, report } = await audit(['--repos', ws.list, '--cache-dir', ws.cache, '--jobs', '2'], ws.dir, repo.env);
    expect(code).toBe(1);
    // Whichever of the two went first, the upstream's 7 blobs were read once between them.
    const [a, b] = [status(report, repo.dir), status(report, fork.dir)];
    expect(a.blobsScanned! + b.blobsScanned!).toBe(8);
    expect(a.blobsReused! + b.blobsReused!).toBe(7);
    expect(status(report, other.dir)).toMatchObject({ blobsScanned: 1, blobsReused: 0 });
    expect(report!.findings.map((f) => f.repository).sort()).toEqual([repo.dir, fork.dir, fork.dir, other.dir].sort());
  });

  it('applies path rules per repository to a shared blob: the allow list by path, --exclude before the cache', async () => {
    const repo = upstream();
    const fork = forkOf(repo);
    // The fork vendors a copy of the key file (the same blob, added at a new path) and leaks in an excluded file.
    fork.write('vendor/app.env', `AWS_ACCESS_KEY_ID=${keyId(1)}\n`);
    fork.write('generated/keys.txt', `${keyId(7)}\n`);
    fork.git('add', '.');
    fork.commit('vendor', '2024-02-01T00:00:00+00:00');
    const ws = workspace([repo.dir, fork.dir]);
    const config = path.join(ws.dir, 'keywarden.config.json');
    writeFileSync(config, JSON.stringify({ allow: { paths: ['^vendor/'] } }));
    const argv = ['--repos', ws.list, '--cache-dir', ws.cache, '--jobs', '1', '--exclude', 'generated/**'];

    const plain = await audit(argv, ws.dir, repo.env);
    expect(plain.report!.findings.map((f) => `${f.repository === fork.dir ? 'fork' : 'upstream'} ${f.path}`).sort()).toEqual([
      'fork config/app.env',
      'fork vendor/app.env',
      'upstream config/app.env',
    ]);
    expect(status(plain.report, fork.dir)).toMatchObject({ blobsScanned: 0, blobsReused: 8 });

    const allowed = await runBin(['scan', '--format', 'json', '--config', config, ...argv], { cwd: ws.dir, env: repo.env });
    const report = JSON.parse(allowed.stdout) as JsonReport;
    expect(report.findings.map((f) => `${f.repository === fork.dir ? 'fork' : 'upstream'} ${f.path}`).sort()).toEqual([
      'fork config/app.env',
      'upstream config/app.env',
    ]);
  });

  it('--jobs 3 gives the same report as --jobs 1: findings and repositories in list order', async () => {
    const repos = [upstream(), upstream(), upstream(), upstream()];
    repos[1]!.write('extra.txt', `k ${keyId(5)}\n`);
    repos[1]!.git('add', '.');
    repos[1]!.commit('extra');
    const fork = forkOf(repos[2]!);
    fork.write('mine.txt', `k ${keyId(6)}\n`);
    fork.git('add', '.');
    fork.commit('mine');
    const list = [repos[0]!.dir, fork.dir, repos[1]!.dir, path.join(repos[0]!.dir, 'missing'), repos[2]!.dir, repos[3]!.dir];
    const ws = workspace(list);
    const run = async (jobs: string, cache: string) => {
      const result = await audit(['--repos', ws.list, '--cache-dir', cache, '--jobs', jobs, '--allow-partial'], ws.dir, repos[0]!.env);
      expect(result.code).toBe(1);
      return result.report!;
    };
    const one = await run('1', path.join(ws.dir, 'cache1'));
    const three = await run('3', path.join(ws.dir, 'cache3'));
    const view = (report: JsonReport) => ({
      findings: report.findings.map((f) => [f.repository, f.path, f.match, f.commit?.sha]),
      repositories: report.repositories!.map((entry) => [entry.repository, entry.status, entry.findings, entry.commits]),
      filesScanned: report.stats.filesScanned,
      warnings: report.warnings.map((warning) => warning.replace(/cache[13]/g, 'cache')),
    });
    expect(view(three)).toEqual(view(one));
    expect(one.repositories!.map((entry) => entry.repository)).toEqual(list);
    expect(one.findings).toHaveLength(7);
  });
});
