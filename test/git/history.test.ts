import { afterEach, describe, expect, it } from 'vitest';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { createRepo, runCli, scanJson, type TempRepo } from './repo.js';
import type { JsonReport } from '../../src/report/json.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '111122223333' });

let repo: TempRepo;
afterEach(() => repo?.cleanup());

function historyRepo(): { repo: TempRepo; commits: string[] } {
  const r = createRepo();
  const commits: string[] = [];
  r.write('a.txt', `first\nkey = ${keyId(1)}\n`);
  r.git('add', '.');
  commits.push(r.commit('add a key', '2024-01-01T10:00:00+00:00'));
  // The key is copied to another file, and a.txt's key line moves down without being re-added.
  r.write('a.txt', `zeroth\nfirst\nkey = ${keyId(1)}\n`);
  r.write('b.txt', `copy = ${keyId(1)}\n`);
  r.git('add', '.');
  commits.push(r.commit('copy it', '2024-02-01T10:00:00+00:00'));
  // The line holding the key is edited: an added line again, but not a new finding.
  r.write('a.txt', `zeroth\nfirst\nrenamed_key = ${keyId(1)}\n`);
  r.git('add', '.');
  commits.push(r.commit('edit the line', '2024-03-01T10:00:00+00:00'));
  r.write('a.txt', 'zeroth\nfirst\n');
  r.git('add', '.');
  commits.push(r.commit('remove it', '2024-04-01T10:00:00+00:00'));
  return { repo: r, commits };
}

describe('scan --history', () => {
  it('reports each credential once per path, with the commit that introduced it', async () => {
    const made = historyRepo();
    repo = made.repo;
    const { code, report } = await scanJson(['--history'], repo);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.line, f.match, f.commit])).toEqual([
      ['a.txt', 2, keyId(1), { sha: made.commits[0], authorDate: '2024-01-01T10:00:00+00:00', author: 'Test Author <author@example.com>' }],
      ['b.txt', 1, keyId(1), { sha: made.commits[1], authorDate: '2024-02-01T10:00:00+00:00', author: 'Test Author <author@example.com>' }],
    ]);
    expect(report.findings[0]!.message).toContain(`commit ${made.commits[0]!.slice(0, 12)} (2024-01-01T10:00:00+00:00`);
  });

  it('--since REV walks only the commits after REV', async () => {
    const made = historyRepo();
    repo = made.repo;
    const { report } = await scanJson(['--history', '--since', made.commits[1]!], repo);
    expect(report.findings.map((f) => [f.path, f.line, f.commit?.sha])).toEqual([['a.txt', 3, made.commits[2]]]);
  });

  it('skips merge commits but sees both sides of a merge', async () => {
    repo = createRepo();
    repo.write('base.txt', 'base\n');
    repo.git('add', '.');
    repo.commit('base');
    repo.git('switch', '-q', '-c', 'side');
    repo.write('side.txt', `secret_pair = ${keyId(5)} ${makeSecret(5)}\n`);
    repo.git('add', '.');
    const side = repo.commit('side', '2024-05-01T00:00:00+00:00');
    repo.git('switch', '-q', 'main');
    repo.write('main.txt', 'main\n');
    repo.git('add', '.');
    repo.commit('main');
    repo.git('merge', '-q', '--no-edit', 'side');
    const { report } = await scanJson(['--history'], repo);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(new Set(report.findings.map((f) => f.commit?.sha))).toEqual(new Set([side]));
  });

  it('an empty repository has no history and exits 0', async () => {
    repo = createRepo();
    const result = await runCli(['scan', '--history', '--no-config'], repo.dir, repo.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('UTF-8 text in git modes', () => {
  it('reports the columns and spans a file scan reports, and an edit beside multi-byte text adds only its line', async () => {
    repo = createRepo();
    const secret = makeSecret(4301);
    const before = `# café ‘quoted’ — 中文 😀\naws_access_key_id = ${keyId(4302)} # ü\n`;
    repo.write('config.txt', before);
    repo.git('add', '.');
    repo.commit('add');
    // The new line sits after unchanged lines with multi-byte characters: only it is added.
    repo.write('config.txt', `${before}naïve ✓ aws_secret_access_key = "${secret}"\n`);
    repo.git('add', '.');
    repo.commit('edit');
    const history = await scanJson(['--history'], repo);
    const tree = await scanJson(['config.txt'], repo);
    const where = (report: JsonReport) => report.findings.map((f) => [f.ruleId, f.line, f.column, f.endColumn, f.span]);
    expect(where(history.report)).toEqual(where(tree.report));
    // Positions in the UTF-8 text's own terms: UTF-16 offsets, the emoji two units.
    const text = `${before}naïve ✓ aws_secret_access_key = "${secret}"\n`;
    const at = (value: string, line: number) => {
      const start = text.indexOf(value);
      const column = start - text.lastIndexOf('\n', start - 1);
      return [line, column, column + value.length, { start, end: start + value.length }];
    };
    expect(where(tree.report)).toEqual([
      ['aws-access-key-id', ...at(keyId(4302), 2)],
      ['aws-secret-access-key', ...at(secret, 3)],
    ]);
    // The edit added one line: its unchanged lines with multi-byte text compare equal with the old version's.
    const diff = await scanJson(['--diff', 'HEAD~1..HEAD'], repo);
    expect(where(diff.report)).toEqual([['aws-secret-access-key', ...at(secret, 3)]]);
  });
});
