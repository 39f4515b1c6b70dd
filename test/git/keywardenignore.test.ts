import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { makeKeyId } from '../helpers/keys.js';
import { createRepo, runCli, scanJson, type TempRepo } from './repo.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '444455556666' });
const keyLine = (seed: number) => `key = ${keyId(seed)}\n`;
const paths = (report: JsonReport) => [...new Set(report.findings.map((f) => f.path))];

let repo: TempRepo;
afterEach(() => repo?.cleanup());

/** Writes each file with its own key and stages everything (force-adding, so .gitignore cannot hold a file back). */
function stageKeys(files: readonly string[], firstSeed = 1): void {
  files.forEach((file, i) => repo.write(file, keyLine(firstSeed + i)));
  repo.git('add', '-f', '--', ...files);
}

describe('.keywardenignore in git modes', () => {
  it('--staged: the root file passes over matching paths, as a directory scan does', async () => {
    repo = createRepo();
    repo.write('.keywardenignore', '# test data\nfixtures/\n*.sample\n');
    stageKeys(['fixtures/aws.txt', 'fixtures/deep/more.txt', 'config/app.sample', 'src/app.ts']);
    repo.git('add', '.keywardenignore');
    const { code, report } = await scanJson(['--staged'], repo);
    expect(code).toBe(1);
    expect(paths(report)).toEqual(['src/app.ts']);
    // Ignored paths are not read at all, as with --exclude: .keywardenignore and src/app.ts only.
    expect(report.stats.filesScanned).toBe(2);
    expect(report.skipped).toEqual([]);
  });

  it('--staged: a nested file applies relative to its own directory only', async () => {
    repo = createRepo();
    repo.write('fixtures/.keywardenignore', '*.env\n');
    stageKeys(['fixtures/test.env', 'fixtures/sub/other.env', 'fixtures/notes.txt', 'app/.env', 'test.env']);
    const { report } = await scanJson(['--staged'], repo);
    expect(paths(report)).toEqual(['app/.env', 'fixtures/notes.txt', 'test.env']);
  });

  it('--staged: negation, with the nearest layer winning; an ignored directory stays ignored', async () => {
    repo = createRepo();
    repo.write('.keywardenignore', '*.env\n!prod.env\nvendor/\n');
    repo.write('fixtures/.keywardenignore', '!real.env\nprod.env\n');
    // vendor/ is never entered by a walk, so its own `!` cannot revive a file inside it.
    repo.write('vendor/.keywardenignore', '!keys.txt\n');
    stageKeys(['a.env', 'prod.env', 'fixtures/real.env', 'fixtures/fake.env', 'fixtures/prod.env', 'vendor/keys.txt']);
    const { report } = await scanJson(['--staged'], repo);
    expect(paths(report)).toEqual(['fixtures/real.env', 'prod.env']);
  });

  it('--staged passes over the same files as a directory scan of the tree (without .gitignore)', async () => {
    repo = createRepo();
    repo.write('.keywardenignore', 'build/\n*.log\n!keep.log\n');
    repo.write('pkg/.keywardenignore', '/local.txt\n!debug.log\n');
    repo.write('pkg/nested/.keywardenignore', '*\n!*.ts\n!*/\n');
    const files = [
      'a.log',
      'keep.log',
      'build/out.txt',
      'pkg/local.txt',
      'pkg/debug.log',
      'pkg/x/local.txt',
      'pkg/nested/a.ts',
      'pkg/nested/b.js',
      'pkg/nested/d/c.ts',
      'src/main.ts',
    ];
    stageKeys(files);
    const staged = await scanJson(['--staged'], repo);
    const tree = await scanJson(['.'], repo);
    expect(paths(staged.report)).toEqual([
      'keep.log',
      'pkg/debug.log',
      'pkg/nested/a.ts',
      'pkg/nested/d/c.ts',
      'pkg/x/local.txt',
      'src/main.ts',
    ]);
    expect(paths(staged.report)).toEqual(paths(tree.report));
  });

  it('--no-gitignore turns .keywardenignore off in git modes too', async () => {
    repo = createRepo();
    repo.write('.keywardenignore', 'fixtures/\n');
    repo.write('fixtures/.keywardenignore', '*.env\n');
    stageKeys(['fixtures/a.env', 'fixtures/b.txt', 'src/c.env']);
    const { report } = await scanJson(['--staged', '--no-gitignore'], repo);
    expect(paths(report)).toEqual(['fixtures/a.env', 'fixtures/b.txt', 'src/c.env']);
  });

  it('--staged does not apply .gitignore: a force-added ignored file is being committed and is reported', async () => {
    repo = createRepo();
    repo.write('.gitignore', 'secrets.env\nlocal/\n');
    repo.git('add', '.gitignore');
    stageKeys(['secrets.env', 'local/creds.txt', 'src/app.ts']);
    expect(repo.git('diff', '--cached', '--name-only')).toContain('secrets.env');
    const { code, report } = await scanJson(['--staged'], repo);
    expect(code).toBe(1);
    expect(paths(report)).toEqual(['local/creds.txt', 'secrets.env', 'src/app.ts']);
  });

  it('reads the ignore files from the top level when run in a subdirectory', async () => {
    repo = createRepo();
    repo.write('.keywardenignore', 'sub/fixtures/\n');
    stageKeys(['sub/fixtures/a.txt', 'sub/real.txt', 'other/b.txt']);
    const result = await runCli(['scan', '--format', 'json', '--no-config', '--staged'], path.join(repo.dir, 'sub'), repo.env);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(paths(report)).toEqual(['other/b.txt', 'sub/real.txt']);
  });

  it("--diff BASE...HEAD: the work tree's ignore files apply to the branch's changes", async () => {
    repo = createRepo();
    repo.write('README.md', 'hello\n');
    repo.git('add', '.');
    repo.commit('base');
    repo.git('switch', '-q', '-c', 'feature');
    repo.write('fixtures/.keywardenignore', '*.env\n');
    stageKeys(['fixtures/sample.env', 'fixtures/sample.txt', 'src/config.env']);
    repo.git('add', 'fixtures/.keywardenignore');
    repo.commit('feature');
    const { report } = await scanJson(['--diff', 'main...feature'], repo);
    expect(paths(report)).toEqual(['fixtures/sample.txt', 'src/config.env']);
    const off = await scanJson(['--diff', 'main...feature', '--no-gitignore'], repo);
    expect(paths(off.report)).toEqual(['fixtures/sample.env', 'fixtures/sample.txt', 'src/config.env']);
  });

  it('--history: the current ignore files apply to paths in old commits, even ones since deleted', async () => {
    repo = createRepo();
    stageKeys(['old/fixture.txt', 'src/app.ts']);
    repo.commit('first', '2024-01-01T00:00:00+00:00');
    repo.git('rm', '-q', '-r', 'old');
    repo.write('.keywardenignore', 'old/\n');
    repo.git('add', '.keywardenignore');
    repo.commit('drop old fixtures', '2024-02-01T00:00:00+00:00');
    const { report } = await scanJson(['--history'], repo);
    expect(paths(report)).toEqual(['src/app.ts']);
  });

  it('never blocks on a FIFO named .keywardenignore, and reads no rules through a symlinked directory', async () => {
    repo = createRepo();
    stageKeys(['a.txt', 'linked/b.txt']);
    execFileSync('mkfifo', [path.join(repo.dir, '.keywardenignore')]);
    // After staging, the work tree's `linked` becomes a link out of it, to rules that would hide b.txt.
    const elsewhere = path.join(path.dirname(repo.dir), 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, '.keywardenignore'), '*\n');
    rmSync(path.join(repo.dir, 'linked'), { recursive: true });
    symlinkSync(elsewhere, path.join(repo.dir, 'linked'));
    const { report } = await scanJson(['--staged'], repo);
    expect(paths(report)).toEqual(['a.txt', 'linked/b.txt']);
  });
});
