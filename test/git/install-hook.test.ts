import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOOK_MARKER } from '../../src/git/install-hook.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { BIN, ensureBuilt } from '../helpers/build.js';
import { createRepo, makeExecutable, runCli, type TempRepo } from './repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

describe('keywarden install-hook', () => {
  it('writes an executable .git/hooks/pre-commit marked as ours, and updates it on a second run', async () => {
    repo = createRepo();
    const hook = path.join(repo.dir, '.git/hooks/pre-commit');
    const first = await runCli(['install-hook'], repo.dir, repo.env);
    expect(first).toEqual({ code: 0, stdout: `keywarden: installed pre-commit hook at ${hook}\n`, stderr: '' });
    expect(readFileSync(hook, 'utf8')).toContain(HOOK_MARKER);
    expect(statSync(hook).mode & 0o111).toBe(0o111);
    const second = await runCli(['install-hook'], repo.dir, repo.env);
    expect(second.stdout).toBe(`keywarden: updated pre-commit hook at ${hook}\n`);
  });

  it('refuses to replace a foreign hook without --force, and keeps it as a backup with --force', async () => {
    repo = createRepo();
    const hook = path.join(repo.dir, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\necho mine\n', { mode: 0o755 });
    const refused = await runCli(['install-hook'], repo.dir, repo.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `keywarden: ${hook} already exists and was not written by keywarden: use --force to replace it (a backup is kept), or call "keywarden scan --staged" from it\n`,
    );
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\necho mine\n');
    const forced = await runCli(['install-hook', '--force'], repo.dir, repo.env);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`the previous hook was moved to ${hook}.keywarden-backup`);
    expect(readFileSync(hook, 'utf8')).toContain(HOOK_MARKER);
    expect(readFileSync(`${hook}.keywarden-backup`, 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });

  it('honours core.hooksPath, from a subdirectory too', async () => {
    repo = createRepo();
    repo.git('config', 'core.hooksPath', '.githooks');
    mkdirSync(path.join(repo.dir, 'sub'));
    const result = await runCli(['install-hook'], path.join(repo.dir, 'sub'), repo.env);
    expect(result.code).toBe(0);
    expect(existsSync(path.join(repo.dir, '.githooks/pre-commit'))).toBe(true);
    expect(existsSync(path.join(repo.dir, '.git/hooks/pre-commit'))).toBe(false);
  });
});

describe('the installed hook, through the real bin', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it('blocks a commit that stages a key and lets a clean one through', () => {
    repo = createRepo();
    // The hook prefers the project's own keywarden: point node_modules/.bin at this checkout.
    const local = path.join(repo.dir, 'node_modules/.bin/keywarden');
    mkdirSync(path.dirname(local), { recursive: true });
    writeFileSync(local, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    makeExecutable(local);
    repo.write('.gitignore', 'node_modules/\n');
    execFileSync(process.execPath, [BIN, 'install-hook'], { cwd: repo.dir, env: repo.env });

    repo.write('clean.txt', 'hello\n');
    repo.git('add', '.');
    const clean = spawnSync('git', ['commit', '-m', 'clean'], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
    expect(clean.status).toBe(0);

    const keyId = makeKeyId('AKIA', { seed: 77 });
    repo.write('leak.env', `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${makeSecret(77)}\n`);
    repo.git('add', 'leak.env');
    const blocked = spawnSync('git', ['commit', '-m', 'leak'], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain(keyId);
    expect(blocked.stdout + blocked.stderr).toContain('leak.env');
    expect(repo.git('log', '--format=%s')).toBe('clean\n');

    // `git commit -a` stages into a temporary index (GIT_INDEX_FILE) that the hook must read.
    repo.git('rm', '-q', '--cached', 'leak.env');
    repo.write('clean.txt', `hello\nid = ${keyId}\n`);
    const all = spawnSync('git', ['commit', '-a', '-m', 'commit -a'], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
    expect(all.status).not.toBe(0);
    expect(all.stdout + all.stderr).toContain('clean.txt');
    expect(repo.git('log', '--format=%s')).toBe('clean\n');
  });
});
