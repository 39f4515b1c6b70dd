import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeKeyId } from '../helpers/keys.js';
import { createRepo, scanJson, type TempRepo } from './repo.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '345678901234' });

/** PowerShell 5's default encoding for Out-File and redirection: UTF-16LE with a byte-order mark. */
function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

type Mode = 'staged' | 'diff' | 'history';
const MODES: readonly Mode[] = ['staged', 'diff', 'history'];

/**
 * A clean base commit on main (with the attributes already in place), then `change` on top: staged
 * for --staged, committed on a branch for --diff main...feature and --history.
 */
function repoWith(attributes: string, change: (r: TempRepo) => void, mode: Mode): TempRepo {
  const r = createRepo();
  if (attributes) r.write('.gitattributes', attributes);
  r.write('README.md', 'readme\n');
  r.git('add', '.');
  r.commit('base', '2024-01-01T00:00:00+00:00');
  if (mode !== 'staged') r.git('switch', '-q', '-c', 'feature');
  change(r);
  r.git('add', '.');
  if (mode !== 'staged') r.commit('change', '2024-02-01T00:00:00+00:00');
  return r;
}

const args = (mode: Mode) => (mode === 'staged' ? ['--staged'] : mode === 'diff' ? ['--diff', 'main...feature'] : ['--history']);

describe('git modes read every changed file themselves: git calling it binary hides nothing', () => {
  for (const attributes of ['*.env -diff\n', '*.env binary\n']) {
    for (const mode of MODES) {
      it(`--${mode} finds a key in a file .gitattributes marks \`${attributes.trim()}\``, async () => {
        repo = repoWith(attributes, (r) => r.write('app.env', `REGION=eu-west-1\nAWS_ACCESS_KEY_ID=${keyId(1)}\n`), mode);
        // git itself shows no lines for it.
        const shown =
          mode === 'staged' ? repo.git('diff', '--cached', '--', 'app.env') : repo.git('diff', 'main...feature', '--', 'app.env');
        expect(shown).toContain('Binary files');
        const { code, report } = await scanJson(args(mode), repo);
        expect(code).toBe(1);
        expect(report.findings.map((f) => [f.path, f.line, f.match])).toEqual([['app.env', 2, keyId(1)]]);
        expect(report.skipped).toEqual([]);
      });
    }
  }

  for (const mode of MODES) {
    it(`--${mode} finds a key in a UTF-16LE file with a BOM, as a file scan does`, async () => {
      repo = repoWith(
        '',
        (r) => writeFileSync(path.join(r.dir, 'deploy.ps1'), utf16le(`# deploy\r\n$env:AWS_ACCESS_KEY_ID = "${keyId(2)}"\r\n`)),
        mode,
      );
      const { code, report } = await scanJson(args(mode), repo);
      expect(code).toBe(1);
      expect(report.findings.map((f) => [f.path, f.line, f.match])).toEqual([['deploy.ps1', 2, keyId(2)]]);
      const tree = await scanJson([repo.dir], repo);
      expect(tree.report.findings.map((f) => [f.line, f.match])).toEqual([[2, keyId(2)]]);
    });
  }

  for (const mode of MODES) {
    it(`--${mode} scans real UTF-16 with plain ASCII spliced into its bytes both ways, as a file scan does`, async () => {
      // A UTF-16 reader shows the spliced ASCII as CJK characters; a byte-oriented tool reads a key.
      const spliced = Buffer.concat([
        utf16le(`first line\nAWS_ACCESS_KEY_ID=${keyId(7)}\n`),
        Buffer.from(`\nAWS_ACCESS_KEY_ID=${keyId(8)}\n`, 'latin1'),
      ]);
      repo = repoWith('', (r) => writeFileSync(path.join(r.dir, 'mixed.txt'), spliced), mode);
      const { code, report } = await scanJson(args(mode), repo);
      expect(code).toBe(1);
      expect(report.findings.map((f) => f.match).sort()).toEqual([keyId(7), keyId(8)].sort());
      const tree = await scanJson([repo.dir], repo);
      expect(tree.report.findings.map((f) => f.match).sort()).toEqual([keyId(7), keyId(8)].sort());
    });
  }

  it('--diff and --history report only the lines a change adds to a file git calls binary', async () => {
    repo = createRepo();
    repo.write('.gitattributes', '*.env binary\n');
    repo.write('app.env', `OLD=${keyId(3)}\nREGION=eu-west-1\n`);
    writeFileSync(path.join(repo.dir, 'deploy.ps1'), utf16le(`old = "${keyId(4)}"\r\nregion\r\n`));
    repo.git('add', '.');
    const base = repo.commit('base', '2024-01-01T00:00:00+00:00');
    repo.write('app.env', `OLD=${keyId(3)}\nREGION=eu-west-1\nNEW=${keyId(5)}\n`);
    writeFileSync(path.join(repo.dir, 'deploy.ps1'), utf16le(`old = "${keyId(4)}"\r\nnew = "${keyId(6)}"\r\nregion\r\n`));
    repo.git('add', '.');
    const change = repo.commit('change', '2024-02-01T00:00:00+00:00');

    const diff = await scanJson(['--diff', `${base}..${change}`], repo);
    expect(diff.report.findings.map((f) => [f.path, f.line, f.match])).toEqual([
      ['app.env', 3, keyId(5)],
      ['deploy.ps1', 2, keyId(6)],
    ]);
    const history = await scanJson(['--history'], repo);
    expect(history.report.findings.map((f) => [f.path, f.line, f.match, f.commit?.sha])).toEqual([
      ['app.env', 1, keyId(3), base],
      ['app.env', 3, keyId(5), change],
      ['deploy.ps1', 1, keyId(4), base],
      ['deploy.ps1', 2, keyId(6), change],
    ]);
  });
});
