import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runBin, runCli, tempTree, type CliResult } from '../helpers/cli.js';
import { runBinUnprivileged, unprivilegedUnavailable } from './unprivileged.js';

/**
 * Error UX: every mistake the user can make (flags, config, globs, baseline, output, paths) is one
 * line on stderr naming the problem, exit code 2, nothing on stdout and no stack trace. The cases
 * already in test/cli/scan.test.ts and test/sts/cli.test.ts are not repeated here.
 */

const FILES = {
  'a.txt': 'nothing here\n',
  'outdir/x': '',
  'arr.json': '[1, 2]\n',
  'notjson.json': 'nope\n{\n',
  'baseline-array.json': '[]\n',
  'baseline-entries.json': JSON.stringify({ version: 1, salt: 'abcdef0123456789', entries: 'x' }),
};

function tree(extra: Record<string, string> = {}): string {
  const dir = tempTree({ ...FILES, ...extra });
  symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
  return dir;
}

function expectOneLineError(result: CliResult, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^keywarden: [^\n]+\n$/);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\s+at .+:\d+:\d+/);
  expect(result.stderr).not.toContain('\u001b');
}

describe('bad flags, paths, globs, baselines and outputs', () => {
  test.each([
    [['scan', '--include', '[x'], /--include: invalid glob "\[x"/],
    [['scan', '--exclude', ''], /--exclude: empty glob/],
    [['scan', '-x'], /Unknown argument: x/],
    [['scan', '--format'], /--format needs a value/],
    [['scan', '--fail-on'], /--fail-on needs a value/],
    [['scan', '--max-file-size', '0'], /--max-file-size: "0" is not a size/],
    [['scan', '--max-file-size', '-5'], /--max-file-size: "-5" is not a size/],
    [['scan', '--threads', '65'], /--threads takes a whole number from 0 to 64/],
    [['scan', '--threads', 'abc'], /--threads takes a whole number from 0 to 64/],
    [['scan', '--sts-timeout', '0'], /--sts-timeout: "0" must be a whole number/],
    [['scan', '--sts-concurrency', '999'], /--sts-concurrency: "999" must be a whole number from 1 to 64/],
    [['scan', '--region', ''], /--region: empty region/],
    [['scan', '--since', 'HEAD'], /--since only works with --history/],
    [['scan', '--staged', '--history'], /--staged and --history cannot be combined/],
    [['scan', '--diff', ''], /--diff needs a range/],
    [['scan', 'dangling'], /path not found: dangling/],
    [['scan', '*.nothing'], /no files match "\*\.nothing"/],
    [['scan', ''], /empty path argument/],
    [['scan', '--output', 'outdir'], /--output: cannot write outdir: EISDIR/],
    [['scan', '--config', 'outdir'], /outdir: cannot read: not a regular file/],
    [['scan', '--config', 'arr.json'], /arr\.json: the config must be a JSON object/],
    [['scan', '--config', 'notjson.json'], /notjson\.json: invalid JSON/],
    [['scan', '--baseline', 'notjson.json'], /notjson\.json: baseline is not valid JSON/],
    [['scan', '--baseline', 'baseline-array.json'], /baseline-array\.json: not a keywarden baseline: expected a JSON object/],
    [['scan', '--baseline', 'baseline-entries.json'], /baseline-entries\.json: not a keywarden baseline/],
    [['scan', '--baseline', 'outdir'], /outdir: cannot read baseline: not a regular file/],
    [['scan', '--baseline', 'dangling'], /dangling: baseline file not found/],
    [['baseline', '--file', ''], /--file: empty path/],
    [['baseline', '--file', 'outdir'], /cannot write baseline outdir: E[A-Z]+/],
  ])('%j', async (argv, message) => {
    expectOneLineError(await runCli(argv, { cwd: tree() }), message);
  });

  // Node's JSON.parse messages quote the input; a path may hold anything. Still one line, no escapes.
  test('user input with newlines and terminal escapes is quoted on one line', async () => {
    const dir = tree();
    const evil = 'a\nb\u001b[2J';
    const result = await runCli(['scan', evil], { cwd: dir });
    expectOneLineError(result, /path not found: a\\x0ab\\x1b\[2J/);
  });
});

describe('bad config files', () => {
  test.each([
    [{ gitignore: 'yes' }, /"gitignore" must be true or false/],
    [{ includeExamples: 1 }, /"includeExamples" must be true or false/],
    [{ rules: ['aws-access-key-id'] }, /"rules" must be an object/],
    [{ allow: { bogus: [] } }, /unknown key "allow\.bogus"/],
    [{ allow: { paths: 'x' } }, /"allow\.paths" must be an array/],
    [{ allow: [] }, /"allow" must be an object/],
    [{ baseline: 5 }, /"baseline" must be a file path/],
    [{ accounts: { '123456789012': 7 } }, /"accounts\.123456789012" must be a name/],
    [{ maxFileSize: -1 }, /"maxFileSize" must be/],
    [{ exclude: [1] }, /"exclude" must be an array of glob strings/],
  ])('%j', async (config, message) => {
    const result = await runCli(['scan'], { cwd: tree({ 'keywarden.config.json': JSON.stringify(config) }) });
    expectOneLineError(result, new RegExp(`keywarden\\.config\\.json: ${message.source}`));
  });

  test('a package.json whose "keywarden" key is not an object', async () => {
    const result = await runCli(['scan'], { cwd: tree({ 'package.json': JSON.stringify({ name: 'x', keywarden: 5 }) }) });
    expectOneLineError(result, /package\.json "keywarden": the config must be a JSON object/);
  });

  test('a bad glob in the config is named', async () => {
    const result = await runCli(['scan'], { cwd: tree({ '.keywardenrc.json': JSON.stringify({ exclude: ['[x'] }) }) });
    expectOneLineError(result, /invalid glob "\[x"/);
  });
});

describe('through the real bin: one line, exit 2, no stack trace', () => {
  test.each([
    [['scan', '--bogus'], {}, /Unknown argument: bogus/],
    [['scan'], { 'keywarden.config.json': '{"colour": true}' }, /keywarden\.config\.json: unknown key "colour"/],
    [['scan', '--exclude', '[x'], {}, /--exclude: invalid glob/],
    [['scan', '--baseline', 'notjson.json'], {}, /notjson\.json: baseline is not valid JSON/],
    [['scan', '--output', 'outdir'], {}, /--output: cannot write outdir: EISDIR/],
    [['scan', 'dangling'], {}, /path not found: dangling/],
    [['scan', '--threads', 'many'], {}, /--threads takes a whole number/],
  ])('%j', async (argv, extra, message) => {
    expectOneLineError(await runBin(argv, { cwd: tree(extra) }), message);
  });

  if (unprivilegedUnavailable) console.warn(`skipping the unreadable-config test: ${unprivilegedUnavailable}`);

  test.skipIf(unprivilegedUnavailable !== undefined)('an unreadable config file', async () => {
    const dir = tree({ 'keywarden.config.json': '{}' });
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, 'keywarden.config.json'), 0o000);
    mkdirSync(path.join(dir, 'home'));
    const result = await runBinUnprivileged(['scan', 'a.txt'], dir, { HOME: path.join(dir, 'home') });
    expectOneLineError(result, /keywarden\.config\.json: cannot read: EACCES/);
  });
});
