import { afterEach, describe, expect, it } from 'vitest';
import { makeKeyId } from '../helpers/keys.js';
import { createRepo, runCli, scanJson, type TempRepo } from './repo.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '111122223333' });

let repo: TempRepo;
afterEach(() => repo?.cleanup());

/** main moves on with a key of its own; `feature` adds a key, removes it, and adds one that stays. HEAD is main. */
function branchRepo(): { repo: TempRepo; added: string; kept: string } {
  const r = createRepo();
  r.write('README.md', 'x\n');
  r.git('add', '.');
  r.commit('initial');
  r.git('switch', '-q', '-c', 'feature');
  r.write('creds.env', `AWS_ACCESS_KEY_ID=${keyId(1)}\n`);
  r.git('add', '.');
  const added = r.commit('add creds');
  r.git('rm', '-q', 'creds.env');
  r.commit('remove creds');
  r.write('keep.txt', `${keyId(2)}\n`);
  r.git('add', '.');
  const kept = r.commit('a key that stays');
  r.git('switch', '-q', 'main');
  r.write('main.txt', `${keyId(3)}\n`);
  r.git('add', '.');
  r.commit('main moves on');
  return { repo: r, added, kept };
}

describe('scan --history --since BASE --until TIP', () => {
  it("reports every key a commit of BASE..TIP added, the removed one included, with its commit; not the base branch's", async () => {
    const made = branchRepo();
    repo = made.repo;
    const { code, report } = await scanJson(['--history', '--since', 'main', '--until', 'feature'], repo);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.line, f.match, f.commit?.sha])).toEqual([
      ['creds.env', 1, keyId(1), made.added],
      ['keep.txt', 1, keyId(2), made.kept],
    ]);
    // The net diff of the same range sees only the key that stays.
    const diff = await scanJson(['--diff', 'main...feature'], repo);
    expect(diff.report.findings.map((f) => f.match)).toEqual([keyId(2)]);
  });

  it("--until without --since walks all of TIP's history", async () => {
    const made = branchRepo();
    repo = made.repo;
    const { report } = await scanJson(['--history', '--until', made.kept], repo);
    expect(report.findings.map((f) => f.match)).toEqual([keyId(1), keyId(2)]);
  });

  it.each([
    [['--until', 'HEAD'], '--until only works with --history'],
    [['--diff', 'main..feature', '--until', 'feature'], '--until only works with --history'],
    [['--history', '--all', '--until', 'feature'], '--until cannot be combined with --all: --all walks every ref'],
    [['--history', '--until', ''], '--until needs a revision, e.g. --until HEAD'],
    [
      ['--history', '--since', 'main', '--until', 'no-such-branch'],
      'bad --until revision: "no-such-branch" is not a commit in this repository',
    ],
  ])('%j is a usage error: one line, exit 2', async (args, message) => {
    const made = branchRepo();
    repo = made.repo;
    const result = await runCli(['scan', '--no-config', ...args], repo.dir, repo.env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`keywarden: ${message}\n`);
  });
});
