import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { onTestFinished } from 'vitest';
import { runBin, type CliResult } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/build.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { createRepo } from '../git/repo.js';

/** An example file of examples/, parsed (every YAML document in it). */
export function loadExample(relative: string): { text: string; docs: unknown[] } {
  const text = readFileSync(path.join(PROJECT_ROOT, 'examples', relative), 'utf8');
  return { text, docs: yaml.loadAll(text) };
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `keywarden-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * An organisation in miniature: `count` local repositories, every third one with a key pair on a
 * side branch (found only by a scan of every ref), the others clean. Returns the repositories'
 * paths (the lines of a repos.txt) and a git environment isolated from the developer's.
 */
export function makeOrg(count: number): { repos: string[]; env: Record<string, string> } {
  const repos: string[] = [];
  let env: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const repo = createRepo();
    onTestFinished(() => repo.cleanup());
    env = repo.env;
    repo.write('README.md', `service ${i}\n`);
    repo.git('add', '.');
    repo.commit('base');
    if (i % 3 === 0) {
      repo.git('switch', '-q', '-c', `feature-${i}`);
      const keyId = makeKeyId('AKIA', { seed: 100 + i, account: '111122223333' });
      repo.write('deploy/creds.env', `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${makeSecret(100 + i)}\n`);
      repo.git('add', '.');
      repo.commit('deploy settings');
      repo.git('switch', '-q', 'main');
    }
    repos.push(repo.dir);
  }
  return { repos, env };
}

/** One scan of the whole list, no shards: what the sharded example must reproduce. */
export async function unshardedScan(dir: string, env: Record<string, string>, format: 'json' | 'sarif'): Promise<CliResult> {
  return runBin(['scan', '--no-config', '--repos', 'repos.txt', '--cache-dir', 'unsharded-cache', '--format', format], { cwd: dir, env });
}

export interface Shell {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a script the way the example's engine does (`argv` is the shell and its options). */
export function runScript(argv: readonly string[], script: string, options: { cwd: string; env: Record<string, string> }): Promise<Shell> {
  return new Promise((resolve) => {
    execFile(
      argv[0]!,
      [...argv.slice(1), script],
      { cwd: options.cwd, env: options.env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 2) : 0, stdout, stderr });
      },
    );
  });
}

/** The npm settings of a test install: nothing fetched, nothing printed about updates or funding. */
export const NPM_OFFLINE = {
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
} as const;

/** A pinned commit of keywarden, as the examples install it. */
export const PINNED_INSTALL = /"github:keywarden\/keywarden#\$\{?KEYWARDEN_SHA\}?"/;

/** The examples install keywarden from a pinned commit; a test installs this checkout the same way. */
export const installSpecForTest = (script: string): string => script.replace(PINNED_INSTALL, JSON.stringify(PROJECT_ROOT));
