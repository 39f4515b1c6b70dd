import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { BIN, ensureBuilt, PROJECT_ROOT } from './build.js';
import { createRepo, type TempRepo } from './repo.js';

function hasPreCommit(): boolean {
  return spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
}

const available = hasPreCommit();
if (!available) console.warn('SKIPPED: the pre-commit framework is not installed (apt-get install pre-commit); pre-commit tests did not run');

let repo: TempRepo;
afterEach(() => repo?.cleanup());

/** The manifest as pre-commit's own YAML loader (PyYAML, installed with pre-commit) reads it. */
function loadManifest(): unknown {
  const script = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))';
  return JSON.parse(execFileSync('python3', ['-c', script, path.join(PROJECT_ROOT, '.pre-commit-hooks.yaml')], { encoding: 'utf8' }));
}

describe.skipIf(!available)('pre-commit framework', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it('.pre-commit-hooks.yaml declares the keywarden hook for the node language', () => {
    const manifest = loadManifest();
    expect(manifest).toEqual([
      expect.objectContaining({
        id: 'keywarden',
        entry: 'keywarden scan --staged',
        language: 'node',
        pass_filenames: false,
        always_run: true,
        stages: ['pre-commit'],
      }),
    ]);
    // The entry names the package's bin, which `npm install -g` of the packed package provides.
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string>; files: string[] };
    expect(Object.keys(pkg.bin)).toContain('keywarden');
    expect(pkg.scripts.prepare).toBeDefined();
    expect(pkg.files).toContain('dist/');
  });

  it('a commit with a planted key is blocked; a clean one passes', () => {
    repo = createRepo();
    // repo: local + language: system runs this checkout's bin offline; a remote repo would need npm.
    const entry = `'${process.execPath}' '${BIN}' scan --staged`;
    repo.write(
      '.pre-commit-config.yaml',
      ['repos:', '  - repo: local', '    hooks:', '      - id: keywarden', '        name: keywarden', `        entry: ${JSON.stringify(entry)}`, '        language: system', '        pass_filenames: false', '        always_run: true', ''].join('\n'),
    );
    const env = { ...repo.env, PRE_COMMIT_HOME: path.join(repo.dir, '..', 'pre-commit-home') };
    execFileSync('pre-commit', ['install'], { cwd: repo.dir, env, stdio: 'pipe' });

    repo.write('README.md', 'a clean project\n');
    repo.git('add', '.');
    const clean = spawnSync('git', ['commit', '-m', 'clean'], { cwd: repo.dir, env, encoding: 'utf8' });
    expect(clean.stdout + clean.stderr).toMatch(/keywarden\.+Passed/);
    expect(clean.status).toBe(0);

    const keyId = makeKeyId('AKIA', { seed: 31 });
    repo.write('deploy/creds.sh', `export AWS_ACCESS_KEY_ID=${keyId}\nexport AWS_SECRET_ACCESS_KEY=${makeSecret(31)}\n`);
    repo.git('add', '.');
    const blocked = spawnSync('git', ['commit', '-m', 'leak'], { cwd: repo.dir, env, encoding: 'utf8' });
    const output = blocked.stdout + blocked.stderr;
    expect(output).toMatch(/keywarden\.+Failed/);
    expect(output).toContain('deploy/creds.sh');
    expect(output).toContain(keyId);
    expect(blocked.status).not.toBe(0);
    expect(repo.git('log', '--format=%s')).toBe('clean\n');
  });
});
