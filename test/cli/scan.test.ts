import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli, tempTree } from '../helpers/cli.js';
import { DOC_EXAMPLE_KEY_ID, makeKeyId, makeSecret } from '../helpers/keys.js';

const id = makeKeyId('AKIA', { seed: 51, account: '456789012345' });
const secret = makeSecret(52);
const tree = tempTree;

async function scanJson(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const result = await runCli(['scan', '--format', 'json', ...argv], { cwd, env });
  return { ...result, report: result.code === 2 ? undefined : JSON.parse(result.stdout) };
}

const paths = (report: { findings: Array<{ path: string }> }) => [...new Set(report.findings.map((f) => f.path))];

describe('exit codes', () => {
  test('0 when clean', async () => {
    const dir = tree({ 'a.txt': 'nothing here\n' });
    const result = await runCli(['scan', '.'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No findings');
  });

  test('1 when something is found', async () => {
    const dir = tree({ '.env': `AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\n` });
    const result = await runCli(['scan'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`.env:1:19`);
    expect(result.stdout).toContain(id);
    expect(result.stdout).not.toContain(secret);
    expect(result.stdout).toContain(`${secret.slice(0, 4)}****`);
  });

  test.each([
    [['scan', '--bogus'], /Unknown argument: bogus/],
    [['scan', 'missing-dir'], /path not found: missing-dir/],
    [['scan', '--format', 'xml'], /--format: unknown format "xml"/],
    [['scan', '--max-file-size', 'huge'], /--max-file-size: "huge" is not a size/],
    [['scan', '--fail-on', 'sometimes'], /--fail-on: "sometimes"/],
    [['scan', '--rule', 'aws-nope'], /--rule: unknown rule "aws-nope"/],
    [['scan', '--exclude', '[unclosed'], /--exclude: invalid glob "\[unclosed"/],
    [['scan', '--baseline', 'none.json'], /none\.json: baseline file not found/],
    [['scan', '--config', 'nope.json'], /nope\.json: config file not found/],
    [['scan', '-', 'a.txt'], /cannot be combined/],
    [['scan', '--rule'], /--rule needs a value/],
    [['scan', '--include'], /--include needs a value/],
    [['scan', '--exclude'], /--exclude needs a value/],
  ])('2 with one clear line for %j', async (argv, message) => {
    const dir = tree({ 'a.txt': 'x\n' });
    const result = await runCli(argv, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('--fail-on error ignores warning-level temporary key ids', async () => {
    const dir = tree({ 'a.txt': `id=${makeKeyId('ASIA', { seed: 2 })}\n` });
    expect((await runCli(['scan'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['scan', '--fail-on', 'error'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['scan', '--fail-on', 'none'], { cwd: dir })).code).toBe(0);
  });
});

describe('file discovery', () => {
  test('includes dotfiles and .github, honours .gitignore and .keywardenignore', async () => {
    const dir = tree({
      '.env': `k=${id}\n`,
      '.github/workflows/ci.yml': `env:\n  AWS_ACCESS_KEY_ID: ${id}\n`,
      '.gitignore': 'ignored.txt\nbuild/\n',
      '.keywardenignore': 'fixtures/**\n',
      'ignored.txt': `k=${id}\n`,
      'build/out.js': `k="${id}"\n`,
      'fixtures/sample.txt': `k=${id}\n`,
      'src/app.js': `const k = "${id}";\n`,
    });
    const { report } = await scanJson([], dir);
    expect(paths(report)).toEqual(['.env', '.github/workflows/ci.yml', 'src/app.js']);
    const all = await scanJson(['--no-gitignore'], dir);
    expect(paths(all.report)).toContain('ignored.txt');
    expect(paths(all.report)).toContain('fixtures/sample.txt');
  });

  test('a name that starts with two dots is inside its directory, so ignore files apply to it', async () => {
    const dir = tree({ '.gitignore': '..env\n', '..env': `k=${id}\n`, 'sub/..env': `k=${id}\n`, '..keep': `k=${id}\n` });
    expect(paths((await scanJson([], dir)).report)).toEqual(['..keep']);
  });

  test('a parent .gitignore applies when scanning a subdirectory', async () => {
    const dir = tree({ '.gitignore': 'secret.txt\n', 'sub/secret.txt': `k=${id}\n`, 'sub/ok.txt': `k=${id}\n` });
    const { report } = await scanJson(['sub'], dir);
    expect(paths(report)).toEqual(['sub/ok.txt']);
  });

  test('--include and --exclude globs', async () => {
    const dir = tree({ 'a.ts': `"${id}"`, 'b.js': `"${id}"`, 'vendor/c.ts': `"${id}"`, 'deep/x/d.ts': `"${id}"` });
    expect(paths((await scanJson(['--include', '**/*.ts'], dir)).report)).toEqual(['a.ts', 'deep/x/d.ts', 'vendor/c.ts']);
    expect(paths((await scanJson(['--exclude', 'vendor', '--exclude', '*.js'], dir)).report)).toEqual(['a.ts', 'deep/x/d.ts']);
  });

  test('glob arguments are expanded', async () => {
    const dir = tree({ 'a.ts': `"${id}"`, 'b.js': `"${id}"` });
    expect(paths((await scanJson(['*.ts'], dir)).report)).toEqual(['a.ts']);
  });

  test('binary files and files over --max-file-size are skipped and reported', async () => {
    const dir = tree({
      'bin.dat': Buffer.concat([Buffer.from(`k=${id}\n`), Buffer.from([0, 1, 2])]),
      'big.txt': `k=${id}\n${'x'.repeat(2000)}`,
      'small.txt': `k=${id}\n`,
    });
    const { report } = await scanJson(['--max-file-size', '1KB'], dir);
    expect(paths(report)).toEqual(['small.txt']);
    expect(report.skipped.map((s: { path: string; reason: string }) => [s.path, s.reason]).sort()).toEqual([
      ['big.txt', 'too-large'],
      ['bin.dat', 'binary'],
    ]);
    const text = await runCli(['scan', '--max-file-size', '1KB'], { cwd: dir });
    expect(text.stdout).toMatch(/2 files skipped/);
  });

  test('UTF-16 files with a BOM are decoded and scanned', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`k=${id}\r\n`, 'utf16le')]);
    const dir = tree({ 'win.txt': utf16 });
    const { report } = await scanJson([], dir);
    expect(report.findings.map((f: { match: string; column: number }) => [f.match, f.column])).toEqual([[id, 3]]);
  });

  test('symlink loops are skipped, the scan goes on', async () => {
    const dir = tree({ 'real/a.txt': `k=${id}\n` });
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'real/loop'));
    const { code, report } = await scanJson([], dir);
    expect(code).toBe(1);
    expect(paths(report)).toEqual(['real/a.txt']);
    expect(report.skipped.some((s: { reason: string }) => s.reason === 'symlink-loop')).toBe(true);
  });

  test.skipIf(process.getuid?.() === 0)('unreadable files become a warning; the scan goes on', async () => {
    const dir = tree({ 'locked.txt': `k=${id}\n`, 'open.txt': `k=${id}\n` });
    chmodSync(path.join(dir, 'locked.txt'), 0o000);
    const { code, report } = await scanJson([], dir);
    expect(code).toBe(1);
    expect(paths(report)).toEqual(['open.txt']);
    expect(report.warnings.join('\n')).toMatch(/cannot read locked\.txt/);
  });

  test('standard input with -', async () => {
    const dir = tree({});
    const result = await runCli(['scan', '-', '--format', 'json'], { cwd: dir, stdin: `AWS_SECRET_ACCESS_KEY=${secret}\n` });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings[0].path).toBe('<stdin>');
  });
});

describe('output', () => {
  test('--output writes the report to a file', async () => {
    const dir = tree({ 'a.txt': `k=${id}\n` });
    const result = await runCli(['scan', '--format', 'sarif', '--output', 'out.sarif'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  test('--output into a missing directory is a usage error', async () => {
    const dir = tree({ 'a.txt': 'x' });
    const result = await runCli(['scan', '--output', 'no/such/dir/out.txt'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--output: cannot write/);
  });

  test('--show-secrets prints secrets in full', async () => {
    const dir = tree({ 'a.txt': `AWS_SECRET_ACCESS_KEY=${secret}\n` });
    expect((await runCli(['scan'], { cwd: dir })).stdout).not.toContain(secret);
    expect((await runCli(['scan', '--show-secrets'], { cwd: dir })).stdout).toContain(secret);
  });

  test('examples are counted, listed only with --include-examples, and never fail', async () => {
    const dir = tree({ 'README.md': `aws_access_key_id = ${DOC_EXAMPLE_KEY_ID}\n` });
    const plain = await runCli(['scan'], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain(DOC_EXAMPLE_KEY_ID);
    expect(plain.stdout).toMatch(/1 example/);
    const listed = await runCli(['scan', '--include-examples'], { cwd: dir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(DOC_EXAMPLE_KEY_ID);
  });

  test('color only on a TTY, and never with NO_COLOR', async () => {
    const dir = tree({ 'a.txt': `k=${id}\n` });
    const esc = '\u001b[';
    expect((await runCli(['scan'], { cwd: dir })).stdout).not.toContain(esc);
    expect((await runCli(['scan'], { cwd: dir, stdoutIsTTY: true })).stdout).toContain(esc);
    expect((await runCli(['scan'], { cwd: dir, stdoutIsTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(esc);
    expect((await runCli(['scan', '--color'], { cwd: dir })).stdout).toContain(esc);
  });
});

describe('config files', () => {
  test('keywarden.config.json is found upward (to the git top level) and applied', async () => {
    const dir = tree({
      'keywarden.config.json': JSON.stringify({ exclude: ['generated'], rules: { 'aws-access-key-id': 'warning' }, failOn: 'error' }),
      'pkg/src/a.txt': `k=${id}\n`,
      'pkg/generated/b.txt': `k=${id}\n`,
    });
    execFileSync('git', ['init', '-q', dir]);
    const result = await scanJson([], path.join(dir, 'pkg'));
    expect(paths(result.report)).toEqual(['src/a.txt']);
    expect(result.report.findings[0].level).toBe('warning');
    expect(result.code).toBe(0);
  });

  test('package.json "keywarden" key', async () => {
    const dir = tree({
      'package.json': JSON.stringify({ name: 'x', keywarden: { rules: { 'aws-access-key-id': 'off' } } }),
      'a.txt': `k=${id}\n`,
    });
    expect((await scanJson([], dir)).code).toBe(0);
  });

  test('allow list of values and paths', async () => {
    const dir = tree({
      '.keywardenrc.json': JSON.stringify({ allow: { values: [`^${id.slice(0, 8)}`], paths: ['^test/'] } }),
      'a.txt': `k=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\n`,
      'test/b.txt': `AWS_SECRET_ACCESS_KEY=${secret}\n`,
    });
    const { report } = await scanJson([], dir);
    expect(report.findings.map((f: { path: string; ruleId: string }) => [f.path, f.ruleId])).toEqual([['a.txt', 'aws-secret-access-key']]);
  });

  test.each([
    [{ colour: true }, /keywarden\.config\.json: unknown key "colour"/],
    [{ rules: { 'aws-key': 'error' } }, /"rules\.aws-key" is not a rule/],
    [{ rules: { 'aws-access-key-id': 'loud' } }, /"rules\.aws-access-key-id" must be/],
    [{ maxFileSize: 'big' }, /"maxFileSize" must be/],
    [{ include: 'src' }, /"include" must be an array/],
    [{ allow: { values: ['('] } }, /allow\.values\[0\]: not a valid regular expression/],
    [
      { allow: { paths: ['^test/', '^(a+)+$'] } },
      /keywarden\.config\.json: allow\.paths\[1\]: regular expression is not safe \(nested quantifier\)\n/,
    ],
    [{ accounts: { '1234': 'prod' } }, /"accounts\.1234" is not a 12-digit/],
    [{ failOn: 'always' }, /"failOn" must be one of/],
  ])('bad config %j: exit 2 naming the key', async (config, message) => {
    const dir = tree({ 'keywarden.config.json': JSON.stringify(config) });
    const result = await runCli(['scan'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a super-linear allow regex is refused at load, before it can meet a hostile path', async () => {
    const name = `${'a'.repeat(200)}.env`;
    const dir = tree({ 'keywarden.config.json': JSON.stringify({ allow: { paths: ['^(a+)+$'] } }), [name]: `k=${id}\n` });
    const start = Date.now();
    const result = await runCli(['scan'], { cwd: dir });
    expect(Date.now() - start).toBeLessThan(5000);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'keywarden: keywarden.config.json: allow.paths[0]: regular expression is not safe (nested quantifier)',
    ]);
    expect(result.stderr).not.toContain('(a+)');
  });

  test('outside git, the search stops at the scanned directory', async () => {
    const dir = tree({ 'keywarden.config.json': JSON.stringify({ rules: { 'aws-access-key-id': 'off' } }), 'pkg/a.txt': `k=${id}\n` });
    expect((await runCli(['scan'], { cwd: path.join(dir, 'pkg') })).code).toBe(1);
  });

  const foreign = '{ "not-for-logs": TOPSECRETVALUE }';

  test.each(['keywarden.config.json', '.keywardenrc', 'package.json'])(
    'a %s that links outside the repository is refused without reading it',
    async (name) => {
      const outside = tree({ 'private.json': foreign });
      const dir = tree({ 'a.txt': `k=${id}\n` });
      execFileSync('git', ['init', '-q', dir]);
      symlinkSync(path.join(outside, 'private.json'), path.join(dir, name));
      const result = await runCli(['scan'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([
        `keywarden: ${name}: config file leads outside the repository (a link?); refusing to read it (name it with --config to use it)`,
      ]);
    },
  );

  test('a config file typed with --config may be anywhere; a JSON error gives the position, never the text', async () => {
    const outside = tree({ 'private.json': foreign, 'ok.json': JSON.stringify({ rules: { 'aws-access-key-id': 'off' } }) });
    const dir = tree({ 'a.txt': `k=${id}\n` });
    expect((await runCli(['scan', '-c', path.join(outside, 'ok.json')], { cwd: dir })).code).toBe(0);
    const result = await runCli(['scan', '-c', path.join(outside, 'private.json')], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/private\.json: invalid JSON \(line 1, column 19\)\n$/);
    expect(result.stderr).not.toMatch(/TOP|SECRET|not-for/);
  });

  test.each([
    ['a relative path up and out', (outside: string) => path.relative('/', outside).replace(/^/, '../'.repeat(20)) + '/b.json'],
    ['an absolute path', (outside: string) => path.join(outside, 'b.json')],
  ])('a config "baseline" outside the repository is refused: %s', async (_, baseline) => {
    const outside = tree({ 'b.json': foreign });
    const dir = tree({ 'a.txt': `k=${id}\n` });
    writeFileSync(path.join(dir, 'keywarden.config.json'), JSON.stringify({ baseline: baseline(outside) }));
    const result = await runCli(['scan'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^keywarden: keywarden\.config\.json: "baseline" leads outside the repository \(.*\); refusing to use it \(choose a file yourself with --baseline, or --file for keywarden baseline\)$/,
    );
    // Typed on the command line, the same file is read (and its JSON error gives no text).
    const typed = await runCli(['scan', '--baseline', path.join(outside, 'b.json')], { cwd: dir });
    expect(typed.code).toBe(2);
    expect(typed.stderr).toMatch(/baseline is not valid JSON \(line 1, column 19\)/);
    expect(typed.stderr).not.toMatch(/TOP|SECRET|not-for/);
  });

  test('a config "baseline" that is a link out of the repository is refused', async () => {
    const outside = tree({ 'b.json': foreign });
    const dir = tree({ 'a.txt': `k=${id}\n`, 'keywarden.config.json': JSON.stringify({ baseline: 'kw-baseline.json' }) });
    symlinkSync(path.join(outside, 'b.json'), path.join(dir, 'kw-baseline.json'));
    const result = await runCli(['scan'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"baseline" leads outside the repository/);
    expect(result.stderr).not.toMatch(/TOP|SECRET|not-for/);
  });

  test('invalid JSON names the file', async () => {
    const dir = tree({ '.keywardenrc.json': '{ "exclude": [' });
    const result = await runCli(['scan'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.keywardenrc\.json: invalid JSON/);
  });

  test('--no-config ignores the config file', async () => {
    const dir = tree({ 'keywarden.config.json': '{ "colour": 1 }', 'a.txt': `k=${id}\n` });
    expect((await runCli(['scan', '--no-config'], { cwd: dir })).code).toBe(1);
  });
});

describe('baseline', () => {
  test('baseline then scan reports only new findings and lists stale entries', async () => {
    const dir = tree({ 'a.txt': `k=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\n` });
    const written = await runCli(['baseline'], { cwd: dir });
    expect(written.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const baselineText = readFileSync(path.join(dir, '.keywarden-baseline.json'), 'utf8');
    expect(baselineText).not.toContain(secret);
    expect(baselineText).not.toContain(id);

    const clean = await scanJson(['--baseline', '.keywarden-baseline.json'], dir);
    expect(clean.code).toBe(0);
    expect(clean.report.stats.baselined).toBe(2);

    const newId = makeKeyId('AKIA', { seed: 99 });
    writeFileSync(path.join(dir, 'a.txt'), `k=${newId}\n`);
    const fresh = await scanJson(['--baseline', '.keywarden-baseline.json'], dir);
    expect(fresh.code).toBe(1);
    expect(fresh.report.findings.map((f: { match: string }) => f.match)).toEqual([newId]);
    expect(fresh.report.staleBaseline).toHaveLength(2);
  });

  test('a corrupt baseline is exit 2 with one line', async () => {
    const dir = tree({ 'b.json': '{"version": 7}', 'a.txt': 'x' });
    const result = await runCli(['scan', '--baseline', 'b.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/b\.json: not a keywarden baseline: unsupported "version" \(expected 1\)/);
  });

  test('baseline keeps its salt when rewritten', async () => {
    const dir = tree({ 'a.txt': `k=${id}\n` });
    mkdirSync(path.join(dir, 'x'));
    await runCli(['baseline'], { cwd: dir });
    const { readFileSync } = await import('node:fs');
    const first = JSON.parse(readFileSync(path.join(dir, '.keywarden-baseline.json'), 'utf8'));
    await runCli(['baseline'], { cwd: dir });
    const second = JSON.parse(readFileSync(path.join(dir, '.keywarden-baseline.json'), 'utf8'));
    expect(second.salt).toBe(first.salt);
    expect(second).toEqual(first);
  });
});

describe('links inside the tree', () => {
  test('a file reached through a linked directory and a linked file is scanned once', async () => {
    const dir = tree({ 'real/a.txt': `k=${id}\n` });
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'alias'));
    symlinkSync(path.join(dir, 'real/a.txt'), path.join(dir, 'b.txt'));
    const { report } = await scanJson([], dir);
    expect(report.findings).toHaveLength(1);
    expect(report.stats.filesScanned).toBe(1);
  });
});

test('a link from a scanned subdirectory to a sibling directory counts as outside the scanned root', async () => {
  const dir = tree({ 'store/.keep': '', 'data/x.txt': `k=${id}\n` });
  symlinkSync(path.join(dir, 'data'), path.join(dir, 'store/current'));
  const { report } = await scanJson(['store'], dir);
  expect(report.findings).toEqual([]);
  expect(report.skipped.map((s: { path: string; reason: string }) => [s.path, s.reason])).toEqual([['store/current', 'outside-root']]);
  const all = await scanJson([], dir);
  expect(all.report.findings.map((f: { path: string }) => f.path)).toEqual(['data/x.txt']);
});
