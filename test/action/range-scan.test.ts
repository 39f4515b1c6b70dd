import { afterEach, describe, expect, it } from 'vitest';
import { ruleIds } from '../../rules/index.js';
import { removedLater, scanRange } from '../../src/git/range-scan.js';
import { makeKeyId } from '../helpers/keys.js';
import { createRepo, type TempRepo } from '../git/repo.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '123456789012' });

let repo: TempRepo;
afterEach(() => repo?.cleanup());

async function scan(r: TempRepo, base: string, head: string) {
  const result = await scanRange({
    context: { cwd: r.dir, env: r.env },
    commits: { base, head, range: `${base}...${head}` },
    detect: { rules: [...ruleIds], levels: {} },
    maxFileSize: 5 * 1024 * 1024,
    include: [],
    exclude: [],
    useIgnoreFiles: true,
    pathspecs: [],
  });
  return result.report.findings.map((f) => ({ at: `${f.path}:${f.line}`, commit: f.commit?.sha, removed: removedLater(f, result.atHead) }));
}

describe('scanRange: commit by commit, with what is still at head', () => {
  it('a key whose file a later commit moves is reported once, where head has it, with the commit that added it', async () => {
    repo = createRepo();
    repo.write('README.md', 'x\n');
    repo.git('add', '.');
    const base = repo.commit('base');
    repo.write('old/creds.txt', `one\n${keyId(1)}\n`);
    repo.git('add', '.');
    const added = repo.commit('add');
    repo.git('mv', 'old', 'new');
    repo.write('new/creds.txt', `zero\none\n${keyId(1)}\n`);
    repo.git('add', '.');
    const head = repo.commit('move and edit');
    expect(await scan(repo, base, head)).toEqual([{ at: 'new/creds.txt:3', commit: added, removed: false }]);
  });

  it('a key edited away is reported on its commit, a key still there on its head line', async () => {
    repo = createRepo();
    repo.write('a.txt', 'a\n');
    repo.git('add', '.');
    const base = repo.commit('base');
    repo.write('a.txt', `a\n${keyId(2)}\n${keyId(3)}\n`);
    repo.git('add', '.');
    const added = repo.commit('two keys');
    repo.write('a.txt', `header\na\n${keyId(3)}\n`);
    repo.git('add', '.');
    const head = repo.commit('drop one');
    expect(await scan(repo, base, head)).toEqual([
      { at: 'a.txt:3', commit: added, removed: false },
      { at: 'a.txt:2', commit: added, removed: true },
    ]);
  });
});
