import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRepo, isolatedGitEnv, runCli, type TempRepo } from './repo.js';

let repo: TempRepo | undefined;
const dirs: string[] = [];
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function committedRepo(): TempRepo {
  const r = createRepo();
  r.write('a.txt', 'a\n');
  r.git('add', '.');
  r.commit('one');
  return r;
}

function expectOneLineError(result: { code: number; stdout: string; stderr: string }, message: string): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe(`keywarden: ${message}\n`);
}

describe('git mode errors: one line, exit 2', () => {
  it('outside a repository', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'keywarden-norepo-'));
    dirs.push(base);
    const home = path.join(base, 'home');
    const dir = path.join(base, 'plain');
    mkdirSync(home);
    mkdirSync(dir);
    // Stop git from finding a repository above the temp directory.
    const env = { ...isolatedGitEnv(home), GIT_CEILING_DIRECTORIES: base };
    for (const mode of [['--staged'], ['--diff', 'a..b'], ['--history']]) {
      expectOneLineError(await runCli(['scan', '--no-config', ...mode], dir, env), `not a git repository: ${dir}`);
    }
  });

  it('a bad revision in --diff or --since', async () => {
    repo = committedRepo();
    expectOneLineError(
      await runCli(['scan', '--no-config', '--diff', 'nope..HEAD'], repo.dir, repo.env),
      'bad revision: "nope" is not a commit in this repository',
    );
    expectOneLineError(
      await runCli(['scan', '--no-config', '--diff', 'HEAD...nope'], repo.dir, repo.env),
      'bad revision: "nope" is not a commit in this repository',
    );
    expectOneLineError(
      await runCli(['scan', '--no-config', '--history', '--since', 'v9'], repo.dir, repo.env),
      'bad --since revision: "v9" is not a commit in this repository',
    );
  });

  it('a revision that looks like an option is refused, not passed to git', async () => {
    repo = committedRepo();
    expectOneLineError(
      await runCli(['scan', '--no-config', '--diff=--output=x..HEAD'], repo.dir, repo.env),
      'bad revision: "--output=x" is not a commit in this repository',
    );
  });

  it('--diff without a range', async () => {
    repo = committedRepo();
    expectOneLineError(
      await runCli(['scan', '--no-config', '--diff', 'HEAD'], repo.dir, repo.env),
      '--diff: "HEAD" is not a range (use BASE..HEAD or BASE...HEAD)',
    );
  });

  it('git not installed', async () => {
    repo = committedRepo();
    const env = { ...repo.env, PATH: path.join(repo.dir, 'no-such-bin') };
    expectOneLineError(
      await runCli(['scan', '--no-config', '--staged'], repo.dir, env),
      'git is not installed or not on PATH (git modes run the git command)',
    );
  });

  it('conflicting or incomplete git flags', async () => {
    repo = committedRepo();
    const run = (...args: string[]) => runCli(['scan', '--no-config', ...args], repo!.dir, repo!.env);
    expectOneLineError(await run('--staged', '--history'), '--staged and --history cannot be combined: choose one git mode');
    expectOneLineError(await run('--staged', '--diff', 'a..b'), '--staged and --diff cannot be combined: choose one git mode');
    expectOneLineError(await run('--since', 'HEAD'), '--since only works with --history');
  });
});
