import { afterEach, describe, expect, it } from 'vitest';
import { makeKeyId } from '../helpers/keys.js';
import { createRepo, scanJson, type TempRepo } from './repo.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '210987654321' });

let repo: TempRepo;
afterEach(() => repo?.cleanup());

/**
 * main:    c1 ── c2 (drops c.txt's key)
 *            \
 * feature:    f1 (key into a.txt) ── f2 (two lines in front of it)
 */
function branchedRepo(): TempRepo {
  const r = createRepo();
  r.write('a.txt', 'alpha\nbeta\ngamma\ndelta\n');
  r.write('c.txt', `keep\nold = ${keyId(1)}\n`);
  r.git('add', '.');
  r.commit('c1', '2024-01-01T00:00:00+00:00');
  r.git('switch', '-q', '-c', 'feature');
  r.write('a.txt', `alpha\nbeta\nkey = ${keyId(2)}\ngamma\ndelta\n`);
  r.git('add', '.');
  r.commit('f1', '2024-01-02T00:00:00+00:00');
  r.write('a.txt', `# header 1\n# header 2\nalpha\nbeta\nkey = ${keyId(2)}\ngamma\ndelta\n`);
  r.git('add', '.');
  r.commit('f2', '2024-01-03T00:00:00+00:00');
  r.git('switch', '-q', 'main');
  r.write('c.txt', 'keep\n');
  r.git('add', '.');
  r.commit('c2', '2024-01-04T00:00:00+00:00');
  return r;
}

describe('scan --diff', () => {
  it('BASE...HEAD: lines the branch added since the merge base, at head-version line numbers', async () => {
    repo = branchedRepo();
    const { code, report } = await scanJson(['--diff', 'main...feature'], repo);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.line, f.column, f.match])).toEqual([['a.txt', 5, 7, keyId(2)]]);
    expect(report.findings[0]!.commit).toBeNull();
  });

  it('BASE..HEAD: compares the two tips, so a line main removed counts as added by the head', async () => {
    repo = branchedRepo();
    const { report } = await scanJson(['--diff', 'main..feature'], repo);
    expect(report.findings.map((f) => [f.path, f.line, f.match])).toEqual([
      ['a.txt', 5, keyId(2)],
      ['c.txt', 2, keyId(1)],
    ]);
  });

  it('accepts commit ids and an empty side meaning HEAD', async () => {
    repo = branchedRepo();
    const base = repo.git('rev-parse', 'main~1').trim();
    repo.git('switch', '-q', 'feature');
    const { report } = await scanJson(['--diff', `${base}..`], repo);
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([['a.txt', 5]]);
  });

  it('finds nothing in a range that only removes lines', async () => {
    repo = branchedRepo();
    const { code, report } = await scanJson(['--diff', 'main~1..main'], repo);
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
  });
});
