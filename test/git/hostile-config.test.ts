import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { createRepo, makeExecutable, runCli, scanJson, type TempRepo } from './repo.js';

/**
 * A scanned repository is hostile: its .git/config may name programs for git to run. Every
 * program a config can plug in here writes a marker file when started; no keywarden git mode may
 * start one.
 */
const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '123456789012' });
const pair = (seed: number) => `aws_access_key_id = ${keyId(seed)}\naws_secret_access_key = ${makeSecret(seed)}\n`;

let repo: TempRepo;
afterEach(() => repo?.cleanup());

/** Writes one marker-writing program per config hook and points the repository's own config at them. */
function armRepository(repo: TempRepo): string {
  const markers = path.join(repo.dir, '..', 'markers');
  const bin = path.join(repo.dir, '..', 'bin');
  for (const dir of [markers, bin]) mkdirSync(dir);
  const program = (name: string) => {
    const file = path.join(bin, name);
    writeFileSync(file, `#!/bin/sh\necho "$0 $*" > '${path.join(markers, name)}'\nexit 1\n`);
    makeExecutable(file);
    return file;
  };
  const settings: Array<[string, string]> = [
    ['core.fsmonitor', program('fsmonitor')],
    ['core.pager', program('pager')],
    ['pager.diff', program('pager-diff')],
    ['pager.log', program('pager-log')],
    ['diff.external', program('diff-external')],
    ['diff.evil.textconv', program('textconv')],
    ['diff.evil.command', program('diff-command')],
    ['filter.evil.clean', program('filter-clean')],
    ['filter.evil.smudge', program('filter-smudge')],
    ['filter.evil.process', program('filter-process')],
    ['gpg.program', program('gpg')],
    ['log.showSignature', 'true'],
    ['core.sshCommand', program('ssh')],
    ['core.hooksPath', bin],
    // A promisor remote: reading a missing object would fetch it lazily over ssh.
    ['core.repositoryFormatVersion', '1'],
    ['extensions.partialClone', 'origin'],
    ['remote.origin.url', 'ssh://git.example.invalid/repo.git'],
    ['remote.origin.promisor', 'true'],
    ['remote.origin.uploadpack', program('uploadpack')],
    ['protocol.allow', 'always'],
    ['protocol.ssh.allow', 'always'],
    ['credential.helper', program('credential')],
  ];
  for (const [key, value] of settings) repo.git('config', key, value);
  // Hooks, should anything run one.
  for (const hook of ['pre-commit', 'post-checkout', 'reference-transaction', 'post-index-change']) program(hook);
  repo.write('.gitattributes', '* diff=evil filter=evil\n');
  return markers;
}

/** git commands the test itself runs, with the config programs switched off so only keywarden's calls count. */
function quietGit(repo: TempRepo, ...args: string[]): string {
  return repo.git(
    '-c',
    'core.fsmonitor=false',
    '-c',
    'core.hooksPath=/dev/null',
    '-c',
    'filter.evil.clean=cat',
    '-c',
    'filter.evil.smudge=cat',
    '-c',
    'filter.evil.process=',
    ...args,
  );
}

describe('a hostile repository config runs nothing', () => {
  it('scan --staged, --diff and --history start none of the programs its .git/config names', async () => {
    repo = createRepo();
    const markers = armRepository(repo);
    repo.write('first.env', 'nothing here\n');
    quietGit(repo, 'add', '.');
    quietGit(repo, 'commit', '-q', '--no-verify', '--no-gpg-sign', '-m', 'first');
    repo.write('second.env', pair(1));
    quietGit(repo, 'add', '.');
    quietGit(repo, 'commit', '-q', '--no-verify', '--no-gpg-sign', '-m', 'second');
    repo.write('staged.env', pair(2));
    quietGit(repo, 'add', 'staged.env');
    expect(readdirSync(markers)).toEqual([]);

    const staged = await scanJson(['--staged'], repo);
    expect(staged.report.findings.map((f) => [f.path, f.line])).toEqual([
      ['staged.env', 1],
      ['staged.env', 2],
    ]);
    const diff = await scanJson(['--diff', 'HEAD~1..HEAD'], repo);
    expect(diff.report.findings.map((f) => f.path)).toEqual(['second.env', 'second.env']);
    const history = await scanJson(['--history'], repo);
    expect(history.report.findings.map((f) => f.path)).toEqual(['second.env', 'second.env']);
    expect(readdirSync(markers)).toEqual([]);
  });

  it('never fetches a missing object from a promisor remote (which would run core.sshCommand)', async () => {
    repo = createRepo();
    const markers = armRepository(repo);
    repo.write('app.env', pair(3));
    quietGit(repo, 'add', '.');
    // The staged blob is then deleted: reading it makes git try the promisor remote.
    const blob = quietGit(repo, 'rev-parse', ':app.env').trim();
    const object = path.join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    expect(existsSync(object)).toBe(true);
    rmSync(object);
    const result = await runCli(['scan', '--format', 'json', '--no-config', '--staged'], repo.dir, repo.env);
    // git cannot read the blob without the network, so the scan fails (exit 2) rather than passing clean.
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(readdirSync(markers)).toEqual([]);
  });
});
