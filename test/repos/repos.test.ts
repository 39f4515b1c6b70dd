import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { makeKeyId } from '../helpers/keys.js';
import { createRepo, runCli, type TempRepo } from '../git/repo.js';
import { runCli as runWithStdin } from '../helpers/cli.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '111122223333' });

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function repoWith(files: Record<string, string>, branch?: string): TempRepo {
  const repo = createRepo();
  cleanups.push(() => repo.cleanup());
  repo.write('README.md', 'hello\n');
  repo.git('add', '.');
  repo.commit('base');
  if (branch) repo.git('switch', '-q', '-c', branch);
  for (const [file, content] of Object.entries(files)) repo.write(file, content);
  repo.git('add', '.');
  repo.commit('more');
  if (branch) repo.git('switch', '-q', 'main');
  return repo;
}

/** A working directory holding the list, and a cache directory, both thrown away after the test. */
function workspace(lines: string[]): { dir: string; list: string; cache: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-repos-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const list = path.join(dir, 'repos.txt');
  writeFileSync(list, `${lines.join('\n')}\n`);
  return { dir, list, cache: path.join(dir, 'cache') };
}

async function scanRepos(argv: string[], cwd: string, env: Record<string, string>) {
  const result = await runCli(['scan', '--no-config', '--format', 'json', ...argv], cwd, env);
  return { ...result, report: result.stdout ? (JSON.parse(result.stdout) as JsonReport) : undefined };
}

describe('scan --repos', () => {
  it('mirrors each listed repository and finds a key on a side branch, tagged with its repository', async () => {
    const leaky = repoWith({ 'config.txt': `key = ${keyId(1)}\n` }, 'feature');
    const clean = repoWith({ 'notes.txt': 'nothing here\n' });
    const ws = workspace(['# our repositories', leaky.dir, '', clean.dir]);

    const { code, report, stderr } = await scanRepos(['--repos', ws.list, '--cache-dir', ws.cache], ws.dir, leaky.env);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(report!.findings.map((f) => [f.repository, f.path, f.match])).toEqual([[leaky.dir, 'config.txt', keyId(1)]]);
    // Two commits each (base, more on a side branch). README.md is the same blob in both: read by one,
    // reused by the other (which one depends on which scan gets there first, as they run at once).
    expect(report!.repositories!.map(({ blobsScanned: _scanned, blobsReused: _reused, ...entry }) => entry)).toEqual([
      { repository: leaky.dir, status: 'scanned', mirror: 'cloned', findings: 1, commits: 2 },
      { repository: clean.dir, status: 'scanned', mirror: 'cloned', findings: 0, commits: 2 },
    ]);
    expect(report!.repositories!.map((entry) => entry.blobsScanned! + entry.blobsReused!)).toEqual([2, 1 + 1]);
    expect(report!.repositories!.reduce((sum, entry) => sum + entry.blobsReused!, 0)).toBeLessThanOrEqual(1);
    // Bare mirrors, one per repository, under the cache directory.
    expect(readdirSync(ws.cache).filter((name) => name.endsWith('.git'))).toHaveLength(2);

    const text = await runCli(['scan', '--no-config', '--repos', ws.list, '--cache-dir', ws.cache], ws.dir, leaky.env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${leaky.dir}: config.txt:1:7`);
    expect(text.stdout).toContain('scanned 2 repositories');

    const sarif = await runCli(
      ['scan', '--no-config', '--format', 'sarif', '--repos', ws.list, '--cache-dir', ws.cache],
      ws.dir,
      leaky.env,
    );
    const results = (JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ properties: { repository?: string } }> }> }).runs[0]!
      .results;
    expect(results.map((result) => result.properties.repository)).toEqual([leaky.dir]);
  });

  it('fetches into the cached mirror on a second run and sees new commits', async () => {
    const repo = repoWith({ 'a.txt': 'clean\n' });
    const ws = workspace([repo.dir]);
    const first = await scanRepos(['--repos', ws.list, '--cache-dir', ws.cache], ws.dir, repo.env);
    expect(first.code).toBe(0);
    expect(first.report!.repositories![0]!.mirror).toBe('cloned');

    repo.git('switch', '-q', '-c', 'later');
    repo.write('b.txt', `id = ${keyId(2)}\n`);
    repo.git('add', '.');
    repo.commit('leak');
    const second = await scanRepos(['--repos', ws.list, '--cache-dir', ws.cache], ws.dir, repo.env);
    expect(second.code).toBe(1);
    expect(second.report!.repositories![0]!.mirror).toBe('fetched');
    expect(second.report!.findings.map((f) => f.path)).toEqual(['b.txt']);
  });

  it('reads the list from standard input and keeps mirrors under $XDG_CACHE_HOME by default', async () => {
    const repo = repoWith({ 'a.txt': `k ${keyId(3)}\n` });
    const ws = workspace([]);
    const env = { ...repo.env, XDG_CACHE_HOME: path.join(ws.dir, 'xdg') };
    const piped = await runWithStdin(['scan', '--no-config', '--format', 'json', '--repos', '-'], {
      cwd: ws.dir,
      env,
      stdin: `${repo.dir}\n`,
    });
    expect(piped.code).toBe(1);
    expect(existsSync(path.join(ws.dir, 'xdg', 'keywarden', 'repos'))).toBe(true);
  });

  it('names a repository it cannot clone and exits 2 unless --allow-partial', async () => {
    const repo = repoWith({ 'a.txt': `k ${keyId(4)}\n` });
    const ws = workspace([repo.dir, path.join(repo.dir, 'no-such-repository')]);
    const missing = path.join(repo.dir, 'no-such-repository');

    const strict = await scanRepos(['--repos', ws.list, '--cache-dir', ws.cache], ws.dir, repo.env);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/^keywarden: 1 of 2 repositories not scanned \(.*no-such-repository\); --allow-partial/);
    expect(strict.stderr.trim().split('\n')).toHaveLength(1);
    const failed = strict.report!.repositories!.find((entry) => entry.repository === missing)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/git clone failed/);
    expect(strict.report!.warnings.some((warning) => warning.startsWith(`${missing}: not scanned`))).toBe(true);
    // Nothing half-made is left in the cache.
    expect(readdirSync(ws.cache).filter((name) => name.includes('partial'))).toEqual([]);

    const partial = await scanRepos(['--repos', ws.list, '--cache-dir', ws.cache, '--allow-partial'], ws.dir, repo.env);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/^keywarden: warning: 1 of 2 repositories not scanned/);
  });

  it('rejects bad input in one line with exit 2', async () => {
    const repo = repoWith({ 'a.txt': 'x\n' });
    const ws = workspace(['# nothing']);
    const cases: Array<[string[], RegExp]> = [
      [['--repos', ws.list], /--repos: .* lists no repository/],
      [['--repos', path.join(ws.dir, 'missing.txt')], /--repos: cannot read .*missing.txt: ENOENT/],
      [['--repos', ws.list, '--staged'], /--staged, --diff/],
      [['--repos', ws.list, 'src'], /give no paths/],
      [['--shard', '1/2'], /--shard only works with --repos/],
      [['--repos', ws.list, '--shard', '3/2'], /--shard: "3\/2" must be K\/N/],
      [['--repos', ws.list, '--shard', '0/2'], /--shard: "0\/2" must be K\/N/],
      [['--repos', ws.list, '--shard', 'x'], /--shard: "x" must be K\/N/],
    ];
    for (const [argv, message] of cases) {
      const result = await runCli(['scan', '--no-config', ...argv], ws.dir, repo.env);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toMatch(message);
      expect(result.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
  });
});
