import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normaliseRepo, selectShard, shardOf } from '../../src/repos/list.js';
import type { JsonReport } from '../../src/report/json.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { createRepo, runCli, type TempRepo } from '../git/repo.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '111122223333' });

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('--shard', () => {
  it('puts every repository in exactly one of N shards, the same way every time', () => {
    const repos = Array.from({ length: 300 }, (_, i) => `https://git.example.com/team/repo-${i}.git`);
    for (const count of [1, 2, 3, 7]) {
      const shards = Array.from({ length: count }, (_, i) => selectShard(repos, { index: i + 1, count }));
      expect(shards.flat().sort()).toEqual([...repos].sort());
      if (count > 1) for (const shard of shards) expect(shard.length).toBeGreaterThan(0);
    }
    expect(shardOf('https://git.example.com/team/repo-1.git', 5)).toBe(shardOf('HTTPS://GIT.example.com/team/repo-1/', 5));
    expect(normaliseRepo('https://Git.Example.com/Team/Repo.git/')).toBe('https://git.example.com/Team/Repo');
  });
});

function leakyRepo(seed: number): TempRepo {
  const repo = createRepo();
  cleanups.push(() => repo.cleanup());
  repo.write('README.md', `repo ${seed}\n`);
  repo.git('add', '.');
  repo.commit('base');
  repo.git('switch', '-q', '-c', `side-${seed}`);
  repo.write('creds.env', `AWS_ACCESS_KEY_ID=${keyId(seed)}\nAWS_SECRET_ACCESS_KEY=${makeSecret(seed)}\n`);
  // The same key in a second file: two findings, one fingerprint.
  repo.write('copy.txt', `${keyId(seed)}\n`);
  repo.git('add', '.');
  repo.commit('leak');
  repo.git('switch', '-q', 'main');
  return repo;
}

describe('scan --repos --shard and merge', () => {
  it('merging the shards of a list gives the findings of one run over the whole list', async () => {
    const repos = [1, 2, 3, 4, 5].map(leakyRepo);
    const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-shards-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'repos.txt'), repos.map((repo) => repo.dir).join('\n'));
    const env = repos[0]!.env;
    const scan = (...argv: string[]) =>
      runCli(['scan', '--no-config', '--repos', 'repos.txt', '--cache-dir', 'cache', '--format', 'json', ...argv], dir, env);

    const whole = await scan();
    expect(whole.code).toBe(1);
    const single = JSON.parse(whole.stdout) as JsonReport;
    expect(single.findings).toHaveLength(15);

    const shard1 = await scan('--shard', '1/2', '--output', 'shard-1.json');
    const shard2 = await scan('--shard', '2/2', '--output', 'shard-2.json');
    expect([shard1.code, shard2.code].sort()).toContain(1);
    const listed = (file: string) =>
      (JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as JsonReport).repositories!.map((r) => r.repository);
    const [in1, in2] = [listed('shard-1.json'), listed('shard-2.json')];
    expect([...in1, ...in2].sort()).toEqual(repos.map((repo) => repo.dir).sort());
    expect(in1.filter((repo) => in2.includes(repo))).toEqual([]);

    const merged = await runCli(['merge', '--format', 'json', 'shard-1.json', 'shard-2.json'], dir, env);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(1);
    const report = JSON.parse(merged.stdout) as JsonReport;
    expect(report.findings).toEqual(single.findings);
    expect(report.stats.filesScanned).toBe(single.stats.filesScanned);
    expect(report.stats.bytesScanned).toBe(single.stats.bytesScanned);
    expect(report.repositories!.map((r) => r.repository).sort()).toEqual(repos.map((repo) => repo.dir).sort());

    // A shard given twice is counted once.
    const twice = await runCli(['merge', '--format', 'json', 'shard-1.json', 'shard-2.json', 'shard-1.json'], dir, env);
    expect((JSON.parse(twice.stdout) as JsonReport).findings).toEqual(single.findings);

    const text = await runCli(['merge', 'shard-1.json', 'shard-2.json'], dir, env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${repos[0]!.dir}: creds.env:1:`);
    expect(text.stdout).not.toContain(makeSecret(1));
    const sarif = await runCli(['merge', '--format', 'sarif', 'shard-1.json', 'shard-2.json'], dir, env);
    expect((JSON.parse(sarif.stdout) as { runs: Array<{ results: unknown[] }> }).runs[0]!.results).toHaveLength(15);
    const github = await runCli(['merge', '--format', 'github', 'shard-1.json', 'shard-2.json'], dir, env);
    expect(github.stdout.match(/^::error /gm)).toHaveLength(15);
    // Another repository's file is named in the message, never as a file= of the workflow's own repository.
    expect(github.stdout).not.toContain('file=');
    expect(github.stdout).toContain(`::${repos[0]!.dir}: creds.env:1:`);
  });

  it('keeps a shard that could not scan a repository from reading as clean', async () => {
    const repo = leakyRepo(9);
    const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-shards-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'repos.txt'), `${path.join(dir, 'gone')}\n`);
    const failed = await runCli(
      ['scan', '--no-config', '--repos', 'repos.txt', '--cache-dir', 'cache', '-f', 'json', '-o', 's.json'],
      dir,
      repo.env,
    );
    expect(failed.code).toBe(2);
    const merged = await runCli(['merge', 's.json'], dir, repo.env);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toMatch(/^keywarden: 1 of 1 repositories not scanned \(.*gone\)/);
    expect((await runCli(['merge', '--allow-partial', 's.json'], dir, repo.env)).code).toBe(0);
  });

  it('rejects input that is not a keywarden JSON report in one line, exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-merge-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'text.txt'), 'not json\n');
    writeFileSync(path.join(dir, 'other.json'), '{"version": 1, "findings": [{"ruleId": 1}]}');
    writeFileSync(path.join(dir, 'sarif.json'), '{"version": "2.1.0", "runs": []}');
    const cases: Array<[string[], RegExp]> = [
      [['merge', 'text.txt'], /^keywarden: merge: text\.txt is not JSON/],
      [['merge', 'other.json'], /^keywarden: merge: other\.json is not a keywarden JSON report \("findings"/],
      [['merge', 'sarif.json'], /^keywarden: merge: sarif\.json is not a keywarden JSON report \(no "version": 1\)/],
      [['merge', 'missing.json'], /^keywarden: merge: cannot read missing\.json: ENOENT/],
      [['merge', '--format', 'xml', 'other.json'], /^keywarden: --format: unknown format "xml"/],
    ];
    for (const [argv, message] of cases) {
      const result = await runCli(argv, dir, {});
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toMatch(message);
      expect(result.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
  });
});
