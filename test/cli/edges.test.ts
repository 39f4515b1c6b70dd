import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, onTestFinished, test } from 'vitest';
import { closestCommand, rejectMissingValues } from '../../src/cli/argv.js';
import { runBin, runCli, tempTree } from '../helpers/cli.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { startFakeSts, type FakeSts } from '../sts/sts-server.js';
import { isolatedAwsChildEnv } from '../sts/env.js';

// The CLI's edges as a user meets them: each case runs the built bin (`npm run build` first; `npm test` does).

const id = makeKeyId('AKIA', { seed: 71, account: '456789012345' });
const secret = makeSecret(72);
const envFile = `AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\n`;

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('-q/--quiet', () => {
  test('prints the findings and no summary line', async () => {
    const dir = tempTree({ '.env': envFile, 'b.txt': 'clean\n' });
    const loud = await runBin(['scan', '--no-color'], { cwd: dir });
    expect(loud.stdout).toMatch(/2 findings in 1 file \(scanned 2 files/);
    for (const flag of ['-q', '--quiet']) {
      const quiet = await runBin(['scan', '--no-color', flag], { cwd: dir });
      expect(quiet.code).toBe(1);
      expect(quiet.stdout).toContain('.env:1:19');
      expect(quiet.stdout).not.toMatch(/findings? in|scanned/);
      expect(quiet.stderr).toBe('');
    }
  });

  test('prints nothing at all for a clean scan', async () => {
    const dir = tempTree({ 'a.txt': 'clean\n' });
    const result = await runBin(['scan', '-q'], { cwd: dir });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('-o FILE', () => {
  test('writes the report to the file and one summary line with the exit reason to stderr', async () => {
    const dir = tempTree({ '.env': envFile, 'b.txt': 'clean\n' });
    const result = await runBin(['scan', '--format', 'sarif', '-o', 'out.sarif'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')).runs[0].results).toHaveLength(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^keywarden: 2 findings in 1 file \(scanned 2 files, [\d.]+ MB, in [\d.]+s\); report written to out\.sarif; exit 1: findings at or above --fail-on note\n$/,
    );
    expect(result.stderr).not.toContain(secret);
  });

  test('says why a scan with findings below --fail-on exits 0, and -q silences the line', async () => {
    const dir = tempTree({ 'a.txt': `id=${makeKeyId('ASIA', { seed: 73 })}\n` });
    const below = await runBin(['scan', '-o', 'report.json', '-f', 'json', '--fail-on', 'error'], { cwd: dir });
    expect(below.code).toBe(0);
    expect(below.stderr).toMatch(
      /^keywarden: 1 finding in 1 file .*; report written to report\.json; exit 0: no finding at or above --fail-on error\n$/,
    );
    const clean = await runBin(['scan', '-o', 'report.txt'], { cwd: tempTree({ 'a.txt': 'clean\n' }) });
    expect(clean.stderr).toMatch(/^keywarden: No findings \(scanned 1 file.*exit 0: no findings\n$/);
    const quiet = await runBin(['scan', '-q', '-o', 'report.json', '-f', 'json', '--fail-on', 'error'], { cwd: dir });
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('ignored paths named on the command line', () => {
  const ignoredTree = () =>
    tempTree({
      '.gitignore': 'build/\nsecrets.env\n',
      'build/deploy.env': envFile,
      'secrets.env': envFile,
      'src/app.txt': 'clean\n',
    });

  test('a gitignored directory or file named explicitly is scanned; discovery still skips them', async () => {
    const dir = ignoredTree();
    const whole = await runBin(['scan', '-f', 'json'], { cwd: dir });
    expect(whole.code).toBe(0);
    expect(JSON.parse(whole.stdout).findings).toEqual([]);
    for (const named of [['build'], ['build/'], ['secrets.env'], ['build', 'src']]) {
      const result = await runBin(['scan', '-f', 'json', ...named], { cwd: dir });
      expect(result.code, named.join(' ')).toBe(1);
      expect(JSON.parse(result.stdout).findings.length).toBe(2);
    }
  });

  test('ignore files inside a named ignored directory still apply to what is below it', async () => {
    const dir = ignoredTree();
    writeFileSync(path.join(dir, 'build/.gitignore'), 'deploy.env\n');
    writeFileSync(path.join(dir, 'build/kept.env'), envFile);
    const result = await runBin(['scan', '-f', 'json', 'build'], { cwd: dir });
    expect(JSON.parse(result.stdout).findings.map((f: { path: string }) => f.path)).toEqual(['build/kept.env', 'build/kept.env']);
  });
});

describe('a scan that read no file', () => {
  test.each([
    ['every file ignored', { '.gitignore': '*\n', 'a.env': 'x\n' }, [] as string[], /no file was scanned: .*ignored/],
    ['an empty directory', { 'empty/.keep-dir': '' }, ['--exclude', '.keep-dir', 'empty'], /no file was scanned/],
    ['no file matching --include', { 'a.txt': 'x\n' }, ['--include', '*.py'], /no file was scanned/],
  ])('exits 2 with one line on stderr: %s', async (_name, files, argv, message) => {
    const dir = tempTree(files);
    const result = await runBin(['scan', ...argv], { cwd: dir });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  test('exits 2 when the only file named cannot be read (a FIFO), with the report still written', async () => {
    const dir = tempTree();
    execFileSync('mkfifo', [path.join(dir, 'pipe.env')]);
    const result = await runBin(['scan', '-f', 'json', 'pipe.env'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('keywarden: no file was scanned: the only file found was unreadable (--verbose lists why)\n');
    expect(JSON.parse(result.stdout).skipped).toEqual([expect.objectContaining({ path: 'pipe.env', reason: 'unreadable' })]);
  });

  test('binary or over-size files were judged, not missed: exit 0 as in any scan', async () => {
    const dir = tempTree({ 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'big.txt': 'x'.repeat(200) });
    for (const argv of [['logo.png'], ['big.txt', '--max-file-size', '100']]) {
      const result = await runBin(['scan', ...argv], { cwd: dir });
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stderr).toBe('');
    }
  });

  test('baseline writes nothing for a scan that read no file', async () => {
    const dir = tempTree({ '.gitignore': '*\n' });
    const result = await runBin(['baseline'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no file was scanned.*no baseline written/);
  });

  test('standard input and git modes may legitimately scan nothing', async () => {
    const dir = tempTree({ 'a.txt': 'x\n' });
    expect((await runBin(['scan', '-'], { cwd: dir, stdin: '' })).code).toBe(0);
  });
});

describe('an option given without its value', () => {
  test.each([
    [['scan', '--output'], '--output'],
    [['scan', '-o'], '--output'],
    [['scan', '-o', '--format', 'json'], '--output'],
    [['scan', '-c'], '--config'],
    [['scan', '--config'], '--config'],
    [['scan', '--baseline'], '--baseline'],
    [['scan', '--baseline='], '--baseline'],
    [['scan', '--format'], '--format'],
    [['scan', '--max-file-size'], '--max-file-size'],
    [['scan', '--fail-on'], '--fail-on'],
    [['scan', '--threads'], '--threads'],
    [['scan', '--owned-accounts', '--staged'], '--owned-accounts'],
    [['scan', '--region'], '--region'],
    [['scan', '--sts-endpoint'], '--sts-endpoint'],
    [['scan', '--sts-timeout'], '--sts-timeout'],
    [['scan', '--diff'], '--diff'],
    [['baseline', '--file'], '--file'],
    [['baseline', '--output', '--', 'x'], '--output'],
    [['--output'], '--output'],
  ])('%j is a usage error naming the option', async (argv, flag) => {
    const dir = tempTree({ 'a.txt': 'x\n' });
    const result = await runBin(argv, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`keywarden: ${flag} needs a value\n`);
  });

  test('values that look odd but are values still work', async () => {
    const dir = tempTree({ 'a.txt': 'x\n' });
    const result = await runBin(['scan', '--output=report.txt', '-f', 'json', '--threads', '0'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, 'report.txt'), 'utf8')).toContain('"findings"');
    // A negative number reaches the option's own range check.
    expect((await runBin(['scan', '--threads', '-1'], { cwd: dir })).stderr).toMatch(/--threads takes a whole number/);
  });

  test('rejectMissingValues: string and number flags and their aliases; array options keep their own check', () => {
    const types = { string: ['output', 'o', 'paths', 'include'], number: ['threads'], array: ['include'], alias: { output: ['o'] } };
    expect(() => rejectMissingValues(['-o'], types)).toThrow('--output needs a value');
    expect(() => rejectMissingValues(['--threads'], types)).toThrow('--threads needs a value');
    expect(() => rejectMissingValues(['--include'], types)).not.toThrow();
  });
});

describe('unknown commands', () => {
  test.each([
    ['scnan', 'scan'],
    ['sacn', 'scan'],
    ['baselin', 'baseline'],
    ['install', 'install-hook'],
    ['instal-hook', 'install-hook'],
  ])('%s: "unknown command", did you mean %s?', async (word, meant) => {
    const dir = tempTree({ 'a.txt': 'x\n' });
    const result = await runBin([word, '.'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`keywarden: unknown command "${word}" (did you mean ${meant}?)\n`);
  });

  test('a word far from every command and from every path says both', async () => {
    const result = await runBin(['frobnicate'], { cwd: tempTree({ 'a.txt': 'x\n' }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^keywarden: unknown command "frobnicate" \(commands: scan, baseline, install-hook, revoke, merge\), and no file or directory of that name to scan\n$/,
    );
  });

  test('an existing path is still scanned as the default command, even one named like a command typo', async () => {
    const dir = tempTree({ 'scnan/.env': envFile, 'config/app.env': envFile });
    for (const word of ['scnan', 'config', './config']) {
      const result = await runBin([word, '-f', 'json'], { cwd: dir });
      expect(result.code, word).toBe(1);
      expect(JSON.parse(result.stdout).findings).toHaveLength(2);
    }
  });

  test('paths that do not look like a command word are still "path not found"', async () => {
    const dir = tempTree({ 'a.txt': 'x\n' });
    expect((await runBin(['src/missing.ts'], { cwd: dir })).stderr).toBe('keywarden: path not found: src/missing.ts\n');
    expect((await runBin(['scan', 'scnan'], { cwd: dir })).stderr).toBe('keywarden: path not found: scnan\n');
  });

  test('closestCommand', () => {
    const commands = ['scan', 'baseline', 'install-hook'];
    expect(closestCommand('SCAN', commands)).toBe('scan');
    expect(closestCommand('base', commands)).toBe('baseline');
    expect(closestCommand('xyz', commands)).toBeUndefined();
  });
});

describe('"--" ends the options', () => {
  test('scan -- -rf scans the path -rf, and only it', async () => {
    const dir = tempTree({ '-rf': envFile, 'other.env': envFile });
    for (const argv of [
      ['scan', '-f', 'json', '--', '-rf'],
      ['-f', 'json', '--', '-rf'],
      ['scan', '-f', 'json', '--', './-rf'],
    ]) {
      const result = await runBin(argv, { cwd: dir });
      expect(result.code, argv.join(' ')).toBe(1);
      expect([...new Set(JSON.parse(result.stdout).findings.map((f: { path: string }) => f.path))]).toEqual(['-rf']);
    }
  });

  test('words after "--" are never options or commands', async () => {
    const dir = tempTree({ 'a.txt': 'x\n' });
    expect((await runBin(['scan', '--', '--help'], { cwd: dir })).stderr).toBe('keywarden: path not found: --help\n');
    expect((await runBin(['--', 'baseline'], { cwd: dir })).stderr).toBe('keywarden: path not found: baseline\n');
    expect((await runBin(['install-hook', '--', 'a.txt'], { cwd: dir })).stderr).toBe('keywarden: install-hook takes no paths\n');
  });

  test('baseline -- -rf records the findings in -rf', async () => {
    const dir = tempTree({ '-rf': envFile });
    const result = await runBin(['baseline', '--', '-rf'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('keywarden: wrote 2 finding(s) to .keywarden-baseline.json\n');
  });
});

describe('paths longer than the system allows', () => {
  const LEVEL = 'd'.repeat(200);

  /** Runs a small script in a child Node, where process.chdir works (vitest's workers cannot chdir). */
  const inChild = (script: string, ...args: string[]) => execFileSync(process.execPath, ['-e', script, '--', ...args]);

  /**
   * A directory chain whose absolute path passes 4,096 bytes (Linux PATH_MAX), with a file at the
   * bottom. Neither mkdir nor rm can name a path that long, so both walk it one level at a time.
   */
  function deepTree(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-test-'));
    writeFileSync(path.join(dir, 'top.env'), envFile);
    const levels = String(Math.ceil((4_300 - dir.length) / (LEVEL.length + 1)));
    const make = `const fs = require('node:fs'); const [dir, name, levels] = process.argv.slice(-3);
      process.chdir(dir); for (let i = 0; i < Number(levels); i++) { fs.mkdirSync(name); process.chdir(name); }
      fs.writeFileSync('f.txt', 'clean\\n');`;
    const remove = `const fs = require('node:fs'); const [dir, name] = process.argv.slice(-2);
      process.chdir(dir); let depth = 0; while (fs.existsSync(name)) { process.chdir(name); depth++; }
      fs.rmSync('f.txt', { force: true }); for (; depth > 0; depth--) { process.chdir('..'); fs.rmdirSync(name); }`;
    onTestFinished(() => {
      inChild(remove, dir, LEVEL);
      rmSync(dir, { recursive: true, force: true });
    });
    inChild(make, dir, LEVEL, levels);
    return dir;
  }

  test('a directory too deep to read is one clear error with exit 2, not a warning with exit 0', async () => {
    const dir = deepTree();
    const result = await runBin(['scan', '-f', 'json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^keywarden: 1 path longer than the operating system allows \(ENAMETOOLONG\): nothing in it was scanned: d{60}…\[[\d,]+ characters\]…d{60}; shorten or --exclude it\n$/,
    );
    // The report is still written, with the path listed as skipped.
    expect(JSON.parse(result.stdout).skipped).toEqual([expect.objectContaining({ reason: 'unreadable', detail: 'ENAMETOOLONG' })]);
  });

  test('--exclude of that directory makes the scan pass', async () => {
    const dir = deepTree();
    const result = await runBin(['scan', '--exclude', LEVEL, '-q'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
  });

  test('a path argument over 4,096 bytes is one short error line', async () => {
    const dir = tempTree({ 'a.txt': 'x\n' });
    const long = Array.from({ length: 25 }, () => 'p'.repeat(200)).join('/');
    const result = await runBin(['scan', long], { cwd: dir });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr.length).toBeLessThan(500);
    expect(result.stderr).toMatch(
      /^keywarden: path longer than the operating system allows \(ENAMETOOLONG\): p+…\[4,\d{3} characters\]…p+\n$/,
    );
  });
});

describe('the AWS SDK on Node < 22', () => {
  let sts: FakeSts | undefined;
  afterEach(async () => {
    await sts?.close();
    sts = undefined;
  });

  test('no SDK deprecation notice reaches the terminal on the first STS call', async () => {
    sts = await startFakeSts(() => ({ account: '111122223333' }));
    const dir = tempTree({ 'a.env': `KEY=${makeKeyId('AKIA', { account: '111122223333', seed: 74 })}\n` });
    const env = isolatedAwsChildEnv(tempTree());
    const result = await runBin(['scan', '-f', 'json', '--resolve-accounts', '--sts-endpoint', sts.endpoint], { cwd: dir, env });
    expect(sts.calls).toHaveLength(1);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings[0].accountIdSource).toBe('sts');
    expect(result.stderr).toBe('');
  });

  test('a user who sets the SDK variable to "false" still gets the notice (on Node < 22)', async () => {
    sts = await startFakeSts(() => ({ account: '111122223333' }));
    const dir = tempTree({ 'a.env': `KEY=${makeKeyId('AKIA', { account: '111122223333', seed: 75 })}\n` });
    const env = { ...isolatedAwsChildEnv(tempTree()), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    const result = await runBin(['scan', '-q', '--resolve-accounts', '--sts-endpoint', sts.endpoint], { cwd: dir, env });
    const major = Number(process.versions.node.split('.')[0]);
    if (major < 22) expect(result.stderr).toContain('NodeVersionSupportWarning');
    else expect(result.stderr).toBe('');
  });
});

test('in-process runs agree with the bin on the new edges (runCli)', async () => {
  const dir = tempTree({ 'a.txt': 'x\n' });
  expect((await runCli(['scnan'], { cwd: dir })).stderr).toBe('keywarden: unknown command "scnan" (did you mean scan?)\n');
  expect((await runCli(['scan', '-c'], { cwd: dir })).code).toBe(2);
});
