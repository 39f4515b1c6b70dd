import { afterEach, describe, expect, it } from 'vitest';
import { makeKeyId } from '../helpers/keys.js';
import type { JsonReport } from '../../src/report/json.js';
import { createRepo, runCli, scanJson, type TempRepo } from './repo.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '111122223333' });

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

/** A repository whose main branch has one clean commit. */
function baseRepo(): TempRepo {
  const r = createRepo();
  r.write('base.txt', 'base\n');
  r.git('add', '.');
  r.commit('base', '2024-01-01T00:00:00+00:00');
  return r;
}

function addFile(r: TempRepo, file: string, content: string, date: string): string {
  r.write(file, content);
  r.git('add', '.');
  return r.commit(`add ${file}`, date);
}

const shas = (report: JsonReport) => report.findings.map((f) => f.commit?.sha);

describe('scan --history --all', () => {
  it('finds a key committed only on a branch that was never merged', async () => {
    repo = baseRepo();
    repo.git('switch', '-q', '-c', 'feature');
    const leak = addFile(repo, 'feature.txt', `key = ${keyId(1)}\n`, '2024-02-01T00:00:00+00:00');
    repo.git('switch', '-q', 'main');

    const current = await scanJson(['--history'], repo);
    expect(current.code).toBe(0);
    expect(current.report.findings).toEqual([]);

    const all = await scanJson(['--history', '--all'], repo);
    expect(all.code).toBe(1);
    expect(all.report.findings.map((f) => [f.path, f.line, f.match, f.commit?.sha])).toEqual([['feature.txt', 1, keyId(1), leak]]);
  });

  it('finds a key on a commit reachable only from a lightweight tag', async () => {
    repo = baseRepo();
    repo.git('switch', '-q', '--detach');
    const leak = addFile(repo, 'tagged.txt', `key = ${keyId(2)}\n`, '2024-02-01T00:00:00+00:00');
    repo.git('tag', 'leaked');
    repo.git('switch', '-q', 'main');

    expect((await scanJson(['--history'], repo)).report.findings).toEqual([]);
    const all = await scanJson(['--history', '--all'], repo);
    expect(all.report.findings.map((f) => [f.path, f.commit?.sha])).toEqual([['tagged.txt', leak]]);
  });

  it('walks a commit shared by several branches once, and reports its key once', async () => {
    repo = baseRepo();
    const leak = addFile(repo, 'shared.txt', `key = ${keyId(3)}\n`, '2024-02-01T00:00:00+00:00');
    for (const [branch, month] of [
      ['one', '03'],
      ['two', '04'],
    ] as const) {
      repo.git('switch', '-q', '-c', branch, 'main');
      addFile(repo, `${branch}.txt`, `${branch}\n`, `2024-${month}-01T00:00:00+00:00`);
    }
    repo.git('switch', '-q', 'main');
    repo.git('tag', 'v1', leak);

    const { report } = await scanJson(['--history', '--all'], repo);
    expect(report.findings.map((f) => [f.path, f.commit?.sha])).toEqual([['shared.txt', leak]]);
    // base, the shared commit and one commit per branch: four commits of one file each.
    expect(report.stats.filesScanned).toBe(4);
  });

  it('credits the commit that introduced a key even when a branch was committed with a clock behind its parent', async () => {
    repo = baseRepo();
    const leak = addFile(repo, 'a.txt', `key = ${keyId(10)}\n`, '2024-06-01T00:00:00+00:00');
    repo.git('switch', '-q', '-c', 'side');
    // Re-adds the key's line (edited) with a date before its parent's: git's default order would list it first.
    addFile(repo, 'a.txt', `renamed = ${keyId(10)}\n`, '2024-02-01T00:00:00+00:00');
    repo.git('switch', '-q', 'main');
    addFile(repo, 'b.txt', 'b\n', '2024-07-01T00:00:00+00:00');

    expect(shas((await scanJson(['--history', '--all'], repo)).report)).toEqual([leak]);
  });

  it('with --since walks every ref but only the commits not reachable from the revision', async () => {
    repo = createRepo();
    addFile(repo, 'old.txt', `key = ${keyId(4)}\n`, '2024-01-01T00:00:00+00:00');
    // A branch that forked before the --since revision: its own commits are still "after" it.
    repo.git('switch', '-q', '-c', 'feature');
    const feature = addFile(repo, 'feature.txt', `key = ${keyId(5)}\n`, '2024-02-01T00:00:00+00:00');
    repo.git('switch', '-q', 'main');
    const since = addFile(repo, 'since.txt', `key = ${keyId(6)}\n`, '2024-03-01T00:00:00+00:00');
    const latest = addFile(repo, 'latest.txt', `key = ${keyId(7)}\n`, '2024-04-01T00:00:00+00:00');

    const current = await scanJson(['--history', '--since', since], repo);
    expect(current.report.findings.map((f) => [f.path, f.commit?.sha])).toEqual([['latest.txt', latest]]);

    const all = await scanJson(['--history', '--all', '--since', since], repo);
    expect(all.report.findings.map((f) => [f.path, f.commit?.sha])).toEqual([
      ['feature.txt', feature],
      ['latest.txt', latest],
    ]);
    // --since also takes a branch or tag name with --all.
    repo.git('tag', 'cut', since);
    expect(shas((await scanJson(['--history', '--all', '--since', 'cut'], repo)).report)).toEqual([feature, latest]);
  });

  it('reads the other refs when HEAD is an unborn orphan branch', async () => {
    repo = createRepo();
    const leak = addFile(repo, 'a.txt', `key = ${keyId(8)}\n`, '2024-01-01T00:00:00+00:00');
    repo.git('switch', '-q', '--orphan', 'fresh');

    expect((await scanJson(['--history'], repo)).report.findings).toEqual([]);
    expect(shas((await scanJson(['--history', '--all'], repo)).report)).toEqual([leak]);
  });

  it('leaves out the stash, which is local and kept in a reflog', async () => {
    repo = baseRepo();
    repo.write('stashed.txt', `key = ${keyId(9)}\n`);
    repo.git('add', '.');
    repo.git('stash', 'push', '-q');

    expect((await scanJson(['--history', '--all'], repo)).report.findings).toEqual([]);
  });

  it('an empty repository has nothing to walk and exits 0', async () => {
    repo = createRepo();
    const result = await runCli(['scan', '--history', '--all', '--no-config'], repo.dir, repo.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('--all without --history, or with another git mode, is a one-line usage error', async () => {
    repo = baseRepo();
    const run = (...args: string[]) => runCli(['scan', '--no-config', ...args], repo!.dir, repo!.env);
    for (const args of [['--all'], ['--all', '--staged'], ['--staged', '--all'], ['--all', '--diff', 'HEAD..HEAD']]) {
      const result = await run(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('keywarden: --all only works with --history\n');
    }
  });
});
