import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeKeyId } from '../helpers/keys.js';
import { PROJECT_ROOT } from '../helpers/build.js';
import { buildFromHead } from '../helpers/head-build.js';
import { createRepo, type TempRepo } from '../git/repo.js';

const BUNDLE = path.join(PROJECT_ROOT, 'dist-action/index.js');

let repo: TempRepo | undefined;
const dirs: string[] = [];
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-bundle-'));
  dirs.push(dir);
  return dir;
}

/** The directory and environment a runner gives the bundle for a pull request event from `base` to `head` of `repo`. */
function pullRequestRun(repo: TempRepo, number: number, base: string, head: string, inputs: Record<string, string> = {}) {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'event.json'), JSON.stringify({ pull_request: { number, base: { sha: base }, head: { sha: head } } }));
  writeFileSync(path.join(dir, 'output'), '');
  const env = {
    ...repo.env,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    ...inputs,
  };
  return { dir, env };
}

/** Runs the committed bundle as a runner would on a pull request event from `base` to `head` of `repo`. */
function runOnPullRequest(repo: TempRepo, number: number, base: string, head: string, inputs: Record<string, string> = {}) {
  const { dir, env } = pullRequestRun(repo, number, base, head, inputs);
  const result = spawnSync(process.execPath, [BUNDLE], { cwd: dir, encoding: 'utf8', env });
  return { dir, result };
}

/** A repository whose one pull request (base...head) adds `count` access key ids. */
function repoAddingKeys(count: number) {
  const created = createRepo();
  created.write('README.md', 'x\n');
  created.git('add', '.');
  const base = created.commit('base');
  const lines = Array.from({ length: count }, (_, n) => `key${n} = ${makeKeyId('AKIA', { seed: 100 + n })}\n`);
  created.write('keys.ini', lines.join(''));
  created.git('add', '.');
  const head = created.commit('add keys');
  return { repo: created, base, head };
}

describe('the committed Action bundle', () => {
  it('action.yml runs dist-action/index.js on node24 and declares the inputs and outputs', () => {
    const yml = readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8');
    expect(yml).toMatch(/^runs:\n {2}using: node24\n {2}main: dist-action\/index\.js\n/m);
    for (const input of ['paths', 'mode', 'fail-on', 'sarif-file', 'baseline', 'policy'])
      expect(yml).toMatch(new RegExp(`^ {2}${input}:\\n {4}description: `, 'm'));
    for (const output of ['findings', 'sarif-file'])
      expect(yml).toMatch(new RegExp(`^outputs:[\\s\\S]*^ {2}${output}:\\n {4}description: `, 'm'));
  });

  /**
   * A tag runs the committed bundle, so the committed bundle must match the committed sources.
   * Built from an export of HEAD (not the working tree, where other work may be in progress).
   */
  /** A tag runs the committed bundle, so the committed bundle must match the committed sources. */
  it('in HEAD matches a fresh build of HEAD (otherwise run: npm run build, and commit it)', () => {
    expect(existsSync(BUNDLE)).toBe(true);
    const stale = buildFromHead(
      'scripts/build-action.mjs',
      (out) => ['--outfile', out],
      (exported, fresh) =>
        [
          [fresh, 'dist-action/index.js'],
          [path.join(path.dirname(fresh), 'cat-file-worker.js'), 'dist-action/cat-file-worker.js'],
        ].filter(([built, committed]) => {
          const committedFile = path.join(exported, committed!);
          return !existsSync(committedFile) || readFileSync(built!, 'utf8') !== readFileSync(committedFile, 'utf8');
        }),
    );
    expect(
      stale.map(([, committed]) => committed),
      'the committed dist-action/ differs from a build of the committed sources: run "npm run build" and commit it',
    ).toEqual([]);
  }, 60_000);

  it('runs standalone with node on a pull request event', () => {
    repo = createRepo();
    repo.write('README.md', 'x\n');
    repo.git('add', '.');
    const base = repo.commit('base');
    const id = makeKeyId('AKIA', { seed: 5 });
    repo.write('conf/prod.ini', `[prod]\naws_access_key_id = ${id}\n`);
    repo.git('add', '.');
    const head = repo.commit('add key');
    const { dir, result } = runOnPullRequest(repo, 3, base, head, { 'INPUT_SARIF-FILE': 'keywarden.sarif' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      `::error file=conf/prod.ini,line=2,endLine=2,col=21,endColumn=41,title=AWS access key ID in source (aws-access-key-id)::AWS access key ID in source: ${id};`,
    );
    expect(readFileSync(path.join(dir, 'output'), 'utf8')).toMatch(/^findings<<(ghadelimiter_[\w-]+)\n1\n\1\n/);
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain('| error | AWS access key ID in source | conf/prod.ini:2:21 |');
    expect(existsSync(path.join(repo.dir, 'keywarden.sarif'))).toBe(true);
  });

  it('runs standalone on a pull request of large files, the later ones read by the worker beside it', () => {
    repo = createRepo();
    repo.write('README.md', 'x\n');
    repo.git('add', '.');
    const base = repo.commit('base');
    // Four versions of 3 MB: past 8 MB of large blobs, a history reads through dist-action/cat-file-worker.js.
    const big = 'filler = "abcdefghijklmnopqrstuvwxyz0123456789"\n'.repeat(64 * 1024);
    const id = makeKeyId('AKIA', { seed: 6 });
    let head = base;
    for (let version = 0; version < 4; version++) {
      repo.write('data/big.txt', `version ${version}\n${big}${version === 3 ? `aws_access_key_id = ${id}\n` : ''}`);
      repo.git('add', '.');
      head = repo.commit(`v${version}`);
    }
    const { result } = runOnPullRequest(repo, 4, base, head);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`::error file=data/big.txt,line=${big.split('\n').length + 1},`);
    expect(existsSync(path.join(path.dirname(BUNDLE), 'cat-file-worker.js'))).toBe(true);
  }, 60_000);

  it('a reader of its output that is already gone: no crash, the exit code of the scan', async () => {
    const made = repoAddingKeys(300);
    repo = made.repo;
    const { dir, env } = pullRequestRun(repo, 5, made.base, made.head);
    const child = spawn(process.execPath, [BUNDLE], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the bundle has started: its first annotation fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
  }, 60_000);

  it('output it cannot write (`> /dev/full`): one line on stderr, exit 2', () => {
    const made = repoAddingKeys(3);
    repo = made.repo;
    const { dir, env } = pullRequestRun(repo, 6, made.base, made.head);
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${BUNDLE}" > /dev/full`], { cwd: dir, encoding: 'utf8', env });
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 2,
      stderr: 'keywarden: cannot write to standard output: ENOSPC\n',
    });
  }, 60_000);
});
