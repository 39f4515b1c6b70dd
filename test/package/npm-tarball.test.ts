import { execFile, execFileSync, type ExecFileException } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { PROJECT_ROOT } from '../helpers/build.js';
import { startFakeSts } from '../sts/sts-server.js';
import { isolatedAwsChildEnv } from '../sts/env.js';

/**
 * The package as npm consumers get it: `npm pack` of this checkout (built by `npm test`'s pretest),
 * installed into an empty project and globally into an empty prefix, with npm offline (the package
 * has no runtime dependencies, so nothing else is needed), then used there.
 */

const execFileAsync = promisify(execFile);

let base: string;
let tarball: string;
let files: string[];
let project: string;
let installOutput: string;
let globalPrefix: string;
let globalOutput: string;

/** npm with a clean environment: offline, no audit/fund chatter, no user config of the developer's. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return {
    ...env,
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_userconfig: path.join(base, 'npmrc'),
  };
}

function npm(args: string[], cwd: string): string {
  // stdout and stderr together: a warning on either is what a user sees.
  return execFileSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) + '';
}

function npmAll(args: string[], cwd: string): string {
  const result = execFileSync('sh', ['-c', 'npm "$@" 2>&1', 'npm', ...args], { cwd, env: npmEnv(), encoding: 'utf8' });
  return result;
}

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'keywarden-npm-'));
  writeFileSync(path.join(base, 'npmrc'), '');
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', base], PROJECT_ROOT)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  tarball = path.join(base, packed[0]!.filename);
  files = packed[0]!.files.map((file) => file.path).sort();

  project = path.join(base, 'consumer');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  installOutput = npmAll(['install', '--no-package-lock', tarball], project);

  globalPrefix = path.join(base, 'global');
  globalOutput = npmAll(['install', '-g', '--prefix', globalPrefix, tarball], base);
}, 120_000);

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds the license, README, rule docs and the built code, and nothing test-only', () => {
    for (const required of [
      'LICENSE',
      'README.md',
      'package.json',
      'bin/keywarden.js',
      'dist-bundle/cli.js',
      'dist-bundle/worker.js',
      'dist-bundle/index.js',
      'dist-bundle/eslint.js',
      'dist/src/index.d.ts',
      'dist/src/eslint/index.d.ts',
      'docs/accounts.md',
    ]) {
      expect(files, required).toContain(required);
    }
    const ruleDocs = files.filter((file) => /^rules\/[a-z-]+\.md$/.test(file));
    expect(ruleDocs.length).toBeGreaterThanOrEqual(4);
    const unwanted = files.filter(
      (file) =>
        /^(test|bench|fixtures|scripts|src|\.ci|\.github)\//.test(file) ||
        /\.test\.|\.ts$/.test(file.replace(/\.d\.ts$/, '')) ||
        file.startsWith('dist-action/'),
    );
    expect(unwanted).toEqual([]);
    expect(readFileSync(path.join(PROJECT_ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it("README's relative links point at files in the package (others are absolute URLs)", () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const relative = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((match) => match[1]!)
      .filter((target) => !/^[a-z]+:/.test(target));
    expect(relative.length).toBeGreaterThan(0);
    const missing = relative.filter((target) =>
      target.endsWith('/') ? !files.some((file) => file.startsWith(target)) : !files.includes(target),
    );
    expect(missing).toEqual([]);
  });
});

describe('installed into another project', () => {
  it('installs with npm offline, printing no warning and running no build', () => {
    expect(installOutput).not.toMatch(/warn|deprecated|install-scripts|lifecycle|ERR/i);
    expect(globalOutput).not.toMatch(/warn|deprecated|install-scripts|lifecycle|ERR/i);
    // Nothing but keywarden itself lands in node_modules.
    expect(
      execFileSync('ls', [path.join(project, 'node_modules')], { encoding: 'utf8' })
        .trim()
        .split('\n'),
    ).toEqual(['keywarden']);
  });

  it('its bin scans a tree (local and global installs)', () => {
    const tree = path.join(base, 'tree');
    mkdirSync(tree);
    const keyId = makeKeyId('AKIA', { seed: 77 });
    writeFileSync(path.join(tree, 'settings.env'), `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${makeSecret(77)}\n`);
    for (const bin of [path.join(project, 'node_modules/.bin/keywarden'), path.join(globalPrefix, 'bin/keywarden')]) {
      let status = 0;
      let stdout = '';
      try {
        stdout = execFileSync(bin, ['scan', tree, '--no-color'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        status = (error as { status: number }).status;
        stdout = (error as { stdout: string }).stdout;
      }
      expect(status, bin).toBe(1);
      expect(stdout).toContain(`settings.env:1:19  error  aws-access-key-id`);
      expect(stdout).toContain('settings.env:2:');
    }
  });

  it("import 'keywarden' and 'keywarden/eslint' resolve through the exports map", () => {
    const text = `aws_access_key_id = ${makeKeyId('AKIA', { seed: 78 })}\n`;
    const script = [
      "const { detect, ruleIds } = await import('keywarden');",
      "const plugin = (await import('keywarden/eslint')).default;",
      'console.log(JSON.stringify({ rules: ruleIds.length, found: detect(process.env.KW_TEXT).map((f) => f.ruleId), pluginRules: Object.keys(plugin.rules).length, configs: Object.keys(plugin.configs) }));',
    ].join('\n');
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project,
      env: { ...process.env, KW_TEXT: text },
      encoding: 'utf8',
    });
    const result = JSON.parse(output) as { rules: number; found: string[]; pluginRules: number; configs: string[] };
    expect(result.found).toEqual(['aws-access-key-id']);
    expect(result.pluginRules).toBe(result.rules);
    expect(result.configs).toContain('recommended');
  });

  it('--resolve-accounts works from the install (the AWS SDK is inside the bundle)', async () => {
    const keyId = makeKeyId('AKIA', { account: '111122223333', seed: 79 });
    const tree = path.join(base, 'sts-tree');
    mkdirSync(tree);
    writeFileSync(path.join(tree, 'app.env'), `KEY=${keyId}\n`);
    const sts = await startFakeSts(() => ({ account: '111122223333' }));
    try {
      const env = { PATH: process.env.PATH, HOME: base, ...isolatedAwsChildEnv(path.join(base, 'no-aws-config')) };
      const bin = path.join(project, 'node_modules/.bin/keywarden');
      const result = await execFileAsync(bin, ['scan', tree, '--format', 'json', '--resolve-accounts', '--sts-endpoint', sts.endpoint], {
        env,
        encoding: 'utf8',
      }).catch((error: ExecFileException & { stdout: string; stderr: string }) => error);
      const report = JSON.parse(result.stdout) as { findings: Array<{ accountId: string; accountIdSource: string }> };
      expect(report.findings.map((finding) => [finding.accountId, finding.accountIdSource])).toEqual([['111122223333', 'sts']]);
      expect(sts.calls.map((call) => call.action)).toEqual(['GetAccessKeyInfo']);
    } finally {
      await sts.close();
    }
  });
});
