import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { PROJECT_ROOT } from '../helpers/build.js';
import { createRepo, isolatedGitEnv, type TempRepo } from '../git/repo.js';

/**
 * The published hook, installed the way users install it: the real pre-commit framework reads
 * this repository's .pre-commit-hooks.yaml from a clone pinned at a commit and installs it with
 * its node language support. No `repo: local` stand-in.
 *
 * Runs with the pre-commit on PATH (Debian's 3.0.4 in CI). Set KEYWARDEN_PRE_COMMIT_SRC to a
 * source checkout of another pre-commit version (e.g. 4.x) to run the same test with it as well.
 * npm runs offline (its cache holds what `npm ci` fetched): no test reaches the registry.
 */

interface PreCommit {
  name: string;
  command: readonly string[];
  env: Record<string, string>;
}

function preCommits(): PreCommit[] {
  const found: PreCommit[] = [];
  if (spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0)
    found.push({ name: 'pre-commit on PATH', command: ['pre-commit'], env: {} });
  const source = process.env.KEYWARDEN_PRE_COMMIT_SRC;
  if (source) {
    // Debian's python3 has pre-commit's own dependencies (cfgv, identify, nodeenv, PyYAML, virtualenv).
    found.push({ name: `pre-commit from ${source}`, command: ['/usr/bin/python3', '-m', 'pre_commit'], env: { PYTHONPATH: source } });
  }
  return found;
}

const available = preCommits();
if (available.length === 0)
  console.warn('SKIPPED: the pre-commit framework is not installed (apt-get install pre-commit); pre-commit tests did not run');

/** The manifest as pre-commit's own YAML loader (PyYAML, installed with pre-commit) reads it. */
function loadYaml(file: string): unknown {
  const script = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))';
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
}

/** README's `.pre-commit-config.yaml` example, with its repository URL and commit replaced. */
function readmeConfig(repo: string, rev: string): string {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## pre-commit\n'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README has no yaml block in its pre-commit section');
  expect(block).toMatch(/^ {4}rev: [0-9a-f]{40}\b/m);
  return block.replace(/^( {2}- repo: ).*$/m, `$1${repo}`).replace(/^( {4}rev: )[0-9a-f]{40}/m, `$1${rev}`);
}

describe('the published manifest', () => {
  it('declares one node hook that needs no stage name newer than pre-commit 3.0', () => {
    expect(loadYaml(path.join(PROJECT_ROOT, '.pre-commit-hooks.yaml'))).toEqual([
      {
        id: 'keywarden',
        name: expect.any(String),
        description: expect.any(String),
        entry: 'keywarden scan --staged',
        language: 'node',
        pass_filenames: false,
        always_run: true,
        minimum_pre_commit_version: '3.0.0',
      },
    ]);
    // The entry names the package's bin, which runs the committed bundle: nothing to build on install.
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.bin.keywarden).toBe('bin/keywarden.js');
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'postpack'])
      expect(pkg.scripts[script], script).toBeUndefined();
  });
});

describe.skipIf(available.length === 0).each(available)('$name installs the hook from a clone pinned at a commit', (preCommit) => {
  let base: string;
  let clone: string;
  let rev: string;
  let repo: TempRepo;
  let env: Record<string, string>;

  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), 'keywarden-pre-commit-'));
    clone = path.join(base, 'keywarden');
    const gitEnv = isolatedGitEnv(mkdirAndReturn(path.join(base, 'home')));
    execFileSync('git', ['clone', '--quiet', PROJECT_ROOT, clone], { env: gitEnv, stdio: 'pipe' });
    rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: clone, env: gitEnv, encoding: 'utf8' }).trim();
    repo = createRepo();
    env = {
      ...repo.env,
      ...preCommit.env,
      PRE_COMMIT_HOME: path.join(base, 'pre-commit-home'),
      // Everything npm needs is in its cache already; never the registry.
      npm_config_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
    repo.write('.pre-commit-config.yaml', readmeConfig(clone, rev));
    const [command, ...args] = preCommit.command;
    const install = spawnSync(command!, [...args, 'install', '--install-hooks'], { cwd: repo.dir, env, encoding: 'utf8' });
    expect(install.stdout + install.stderr, 'pre-commit install --install-hooks').toContain('pre-commit installed at');
    expect(install.status, install.stdout + install.stderr).toBe(0);
  }, 240_000);

  afterAll(() => {
    repo?.cleanup();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('passes a clean commit and blocks a staged key, naming file and line', () => {
    repo.write('README.md', 'a clean project\n');
    repo.git('add', '.');
    const clean = spawnSync('git', ['commit', '-m', 'clean'], { cwd: repo.dir, env, encoding: 'utf8' });
    expect(clean.stdout + clean.stderr).toMatch(/keywarden \(AWS credentials\)\.+Passed/);
    expect(clean.status).toBe(0);

    const keyId = makeKeyId('AKIA', { seed: 31 });
    repo.write('deploy/creds.sh', `#!/bin/sh\nexport AWS_ACCESS_KEY_ID=${keyId}\nexport AWS_SECRET_ACCESS_KEY=${makeSecret(31)}\n`);
    repo.git('add', '.');
    const blocked = spawnSync('git', ['commit', '-m', 'leak'], { cwd: repo.dir, env, encoding: 'utf8' });
    const output = blocked.stdout + blocked.stderr;
    expect(output).toMatch(/keywarden \(AWS credentials\)\.+Failed/);
    expect(output).toContain('deploy/creds.sh:2:');
    expect(output).toContain('deploy/creds.sh:3:');
    expect(output).toContain(keyId);
    // Redacted: the hook's output lands in terminals and CI logs.
    expect(output).not.toContain(makeSecret(31));
    expect(output).not.toMatch(/deprecated/i);
    expect(blocked.status).not.toBe(0);
    expect(repo.git('log', '--format=%s')).toBe('clean\n');
  });
});

function mkdirAndReturn(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
