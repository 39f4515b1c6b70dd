import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JsonReport } from '../../src/report/json.js';
import { runCli as runCliWith, type CliResult } from '../helpers/cli.js';

/**
 * A throwaway git repository driven by the real git CLI. HOME and the global/system config are
 * isolated so the developer's git settings (hooks paths, diff drivers, signing) cannot leak in.
 */
export interface TempRepo {
  dir: string;
  env: Record<string, string>;
  git(...args: string[]): string;
  write(file: string, content: string): void;
  /** Commits everything staged with a fixed author date, returns the new commit id. */
  commit(message: string, date?: string): string;
  cleanup(): void;
}

export function isolatedGitEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // A test run from inside a git hook must not inherit that repository.
    if (value !== undefined && !key.startsWith('GIT_')) env[key] = value;
  }
  const globalConfig = path.join(home, '.gitconfig');
  writeFileSync(globalConfig, '');
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
  };
}

export function createRepo(options: { init?: boolean } = {}): TempRepo {
  const base = mkdtempSync(path.join(tmpdir(), 'keywarden-git-'));
  const home = path.join(base, 'home');
  const dir = path.join(base, 'repo');
  mkdirSync(home);
  mkdirSync(dir);
  const env = isolatedGitEnv(home);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (options.init ?? true) {
    git('init', '-q', '--initial-branch=main');
    git('config', 'user.name', 'Test Author');
    git('config', 'user.email', 'author@example.com');
    git('config', 'commit.gpgsign', 'false');
  }
  return {
    dir,
    env,
    git,
    write(file, content) {
      const full = path.join(dir, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
    commit(message, date = '2024-01-02T03:04:05+00:00') {
      execFileSync('git', ['commit', '-q', '--no-verify', '-m', message], {
        cwd: dir,
        env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
        stdio: 'ignore',
      });
      return git('rev-parse', 'HEAD').trim();
    },
    cleanup() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** A clone of `repo` (its whole history) as a repository of its own, e.g. a fork; removed by its cleanup. */
export function cloneRepo(repo: TempRepo): TempRepo {
  const clone = createRepo({ init: false });
  rmSync(clone.dir, { recursive: true, force: true });
  execFileSync('git', ['clone', '-q', repo.dir, clone.dir], { env: repo.env, stdio: 'ignore' });
  clone.git('config', 'user.name', 'Test Author');
  clone.git('config', 'user.email', 'author@example.com');
  return clone;
}

export function makeExecutable(file: string): void {
  chmodSync(file, 0o755);
}

export type { CliResult } from '../helpers/cli.js';

/** Runs the CLI in-process with captured output. */
export function runCli(argv: readonly string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  return runCliWith(argv, { cwd, env });
}

export async function scanJson(argv: readonly string[], repo: TempRepo): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const result = await runCli(['scan', '--format', 'json', '--no-config', ...argv], repo.dir, repo.env);
  if (result.code === 2) throw new Error(`scan failed: ${result.stderr}`);
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}
