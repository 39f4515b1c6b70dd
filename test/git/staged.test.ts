import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { createRepo, scanJson, type TempRepo } from './repo.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '123456789012' });
const pair = (seed: number) => `aws_access_key_id = ${keyId(seed)}\naws_secret_access_key = ${makeSecret(seed)}\n`;

let repo: TempRepo;
afterEach(() => repo?.cleanup());

describe('scan --staged', () => {
  it('scans the index before the first commit (no HEAD yet)', async () => {
    repo = createRepo();
    repo.write('config/app.ini', `[default]\nregion = eu-west-1\n${pair(1)}`);
    repo.write('README.md', 'nothing here\n');
    repo.git('add', '.');
    const { code, report } = await scanJson(['--staged'], repo);
    expect(code).toBe(1);
    expect(report.root).toBe(repo.git('rev-parse', '--show-toplevel').trim());
    expect(report.findings.map((f) => [f.ruleId, f.path, f.line, f.column])).toEqual([
      ['aws-access-key-id', 'config/app.ini', 3, 21],
      ['aws-secret-access-key', 'config/app.ini', 4, 25],
    ]);
    expect(report.findings[0]!.match).toBe(keyId(1));
    expect(report.stats.filesScanned).toBe(2);
  });

  it('reports only added lines, in the staged version, and ignores unstaged edits', async () => {
    repo = createRepo();
    repo.write('old.env', `# legacy\n${pair(2)}`);
    repo.write('app.txt', 'one\ntwo\nthree\n');
    repo.git('add', '.');
    repo.commit('initial');
    // Staged: a key on a new line 2 of app.txt. Unstaged on top: another key, and a line pushed in front.
    repo.write('app.txt', `one\nkey = ${keyId(3)}\ntwo\nthree\n`);
    repo.git('add', 'app.txt');
    repo.write('app.txt', `zero\none\nkey = ${keyId(3)}\ntwo\nthree\nlater = ${keyId(4)}\n`);
    repo.write('untracked.txt', pair(5));
    const { code, report } = await scanJson(['--staged'], repo);
    expect(code).toBe(1);
    // old.env's committed key is not added by this commit; the unstaged and untracked keys are not staged.
    expect(report.findings.map((f) => [f.path, f.line, f.match])).toEqual([['app.txt', 2, keyId(3)]]);
  });

  it('follows a rename: only the lines changed while moving count, at their new path', async () => {
    repo = createRepo();
    const body = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    repo.write('src/settings.py', `${body}\nOLD = "${keyId(6)}"\n`);
    repo.git('add', '.');
    repo.commit('initial');
    rmSync(path.join(repo.dir, 'src/settings.py'));
    repo.write('src/config/settings.py', `${body}\nOLD = "${keyId(6)}"\nNEW = "${keyId(7)}"\n`);
    repo.git('add', '-A');
    expect(repo.git('diff', '--cached', '--name-status', '-M')).toMatch(/^R\d+\tsrc\/settings.py\tsrc\/config\/settings.py/);
    const { report } = await scanJson(['--staged'], repo);
    expect(report.findings.map((f) => [f.path, f.line, f.match])).toEqual([['src/config/settings.py', 22, keyId(7)]]);
  });

  it('is clean (exit 0) when nothing staged adds a credential, even if the working tree has one', async () => {
    repo = createRepo();
    repo.write('a.txt', 'a\n');
    repo.git('add', '.');
    repo.commit('initial');
    repo.write('a.txt', `a\n${pair(8)}`);
    const { code, report } = await scanJson(['--staged'], repo);
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it('skips staged binary files and honours --exclude', async () => {
    repo = createRepo();
    repo.write('blob.bin', `\u0000\u0001${pair(9)}`);
    repo.write('fixtures/keys.txt', pair(10));
    repo.write('src/app.ts', `const id = "${keyId(11)}";\n`);
    repo.git('add', '.');
    const { report } = await scanJson(['--staged', '--exclude', 'fixtures'], repo);
    expect(report.findings.map((f) => f.path)).toEqual(['src/app.ts']);
    expect(report.skipped).toEqual([{ path: 'blob.bin', reason: 'binary' }]);
  });

  it('reads the staged blobs of many files through one cat-file process (all ten files scanned)', async () => {
    repo = createRepo();
    for (let i = 0; i < 10; i++) repo.write(`dir/file-${i}.txt`, `n = ${i}\nkey = ${keyId(20 + i)}\n`);
    repo.git('add', '.');
    const { report } = await scanJson(['--staged'], repo);
    expect(report.findings.map((f) => [f.path, f.match])).toEqual(
      Array.from({ length: 10 }, (_, i) => [`dir/file-${i}.txt`, keyId(20 + i)]),
    );
  });

  it('narrows to pathspecs given as positional paths', async () => {
    repo = createRepo();
    repo.write('a/one.txt', `k = ${keyId(40)}\n`);
    repo.write('b/two.txt', `k = ${keyId(41)}\n`);
    repo.git('add', '.');
    const { report } = await scanJson(['--staged', 'b'], repo);
    expect(report.findings.map((f) => f.path)).toEqual(['b/two.txt']);
  });

  it('a file with lone-CR line ends: git sees one line, the report gives the CR-delimited line', async () => {
    repo = createRepo();
    repo.write('mac.txt', 'one\rtwo\r');
    repo.git('add', '.');
    repo.commit('initial');
    // git's diff numbers lines by LF: the whole file is its line 1, added again by this change.
    repo.write('mac.txt', `one\rtwo\rkey = ${keyId(9)}\r`);
    repo.git('add', '.');
    const { report } = await scanJson(['--staged'], repo);
    expect(report.findings.map((f) => [f.path, f.line, f.column, f.match])).toEqual([['mac.txt', 3, 7, keyId(9)]]);
  });
});
