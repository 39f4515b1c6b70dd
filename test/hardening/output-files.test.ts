import { execFile, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { removeStaleTemps, writeFileAtomic } from '../../src/fs/atomic-write.js';
import { isInsideRoot } from '../../src/fs/inside-root.js';
import type { JsonReport } from '../../src/report/json.js';
import { BIN, REPO_ROOT, runBin, runCli, tempTree } from '../helpers/cli.js';
import { makeKeyId } from '../helpers/keys.js';

/**
 * Output files (-o, the baseline, the Action's SARIF file) and standard output under crashes,
 * links, devices, FIFOs, full disks and closed pipes. Real processes and real files throughout;
 * the bin needs a build (`npm test` builds first).
 */

const tree = tempTree;
const id = makeKeyId('AKIA', { seed: 1601 });
const tempFiles = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.tmp'))
    .sort();
const OLD_REPORT = `${JSON.stringify({ version: 1, note: 'the previous report' })}\n`;

/** Runs the built CLI's main() in a child whose atomic writer dies (SIGKILL) after writing 4 KB of the temp file. */
const CRASHING_CLI = `
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
const realOpen = fsp.open;
fsp.open = async (file, flags, ...rest) => {
  const handle = await realOpen(file, flags, ...rest);
  if (flags === 'wx') {
    handle.writeFile = async (data) => { await handle.write(String(data).slice(0, 4096)); await handle.sync(); process.kill(process.pid, 'SIGKILL'); await new Promise(() => {}); };
  }
  return handle;
};
syncBuiltinESMExports();
const { main } = await import(${JSON.stringify(path.join(REPO_ROOT, 'dist/src/cli/main.js'))});
const { processIo } = await import(${JSON.stringify(path.join(REPO_ROOT, 'dist/src/cli/io.js'))});
process.exitCode = await main(process.argv.slice(2), processIo());
`;

function runCrashingCli(dir: string, argv: string[]): Promise<{ signal: string | null }> {
  const script = path.join(dir, 'crash.mjs');
  writeFileSync(script, CRASHING_CLI);
  return new Promise((resolve) =>
    execFile(process.execPath, [script, ...argv], { cwd: dir, timeout: 30_000 }, (error) => resolve({ signal: error?.signal ?? null })),
  );
}

/**
 * Many findings, so a report is far larger than the 4 KB the crash leaves behind and than a pipe's
 * buffer; in files of 50 key ids, since a file keeps at most 100 findings per rule.
 */
function manyFindings(count = 400): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++)
    files[`keys/${Math.floor(i / 50)}.txt`] =
      (files[`keys/${Math.floor(i / 50)}.txt`] ?? '') + `key_${i} = ${makeKeyId('AKIA', { seed: 2000 + i })}\n`;
  return files;
}

describe('scan -o and baseline: killed mid-write', () => {
  test('scan -o killed while writing leaves the previous report whole; the next run removes the stale temp file', async () => {
    const dir = tree({ ...manyFindings(), 'report.json': OLD_REPORT });
    const crashed = await runCrashingCli(dir, ['scan', 'keys', '--format', 'json', '-o', 'report.json']);
    expect(crashed.signal).toBe('SIGKILL');
    expect(readFileSync(path.join(dir, 'report.json'), 'utf8')).toBe(OLD_REPORT);
    const left = tempFiles(dir);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.report\.json\.\d+\.[0-9a-f]{12}\.tmp$/);

    // Files the cleanup must leave alone: another target's temp, a name that only looks similar,
    // and a temp file of a writer that is still running (this test process).
    // (999999999 is above Linux's largest pid, so never a live process.)
    const keep = [
      '.other.json.999999999.abcdefabcdef.tmp',
      '.report.json.999999999.notourshex0.tmp',
      'report.json.tmp',
      `.report.json.${process.pid}.0123456789ab.tmp`,
    ];
    for (const name of keep) writeFileSync(path.join(dir, name), 'keep');
    mkdirSync(path.join(dir, '.report.json.999999999.fedcba987654.tmp'));
    keep.push('.report.json.999999999.fedcba987654.tmp');

    const next = await runBin(['scan', 'keys', '--format', 'json', '-o', 'report.json'], { cwd: dir });
    expect(next.code).toBe(1);
    expect((JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as JsonReport).findings).toHaveLength(400);
    expect(tempFiles(dir)).toEqual([...keep].sort());
  });

  test('a killed baseline write: old baseline whole, temp removed by the next baseline run', async () => {
    const dir = tree({ ...manyFindings(50) });
    expect((await runBin(['baseline'], { cwd: dir })).code).toBe(0);
    const before = readFileSync(path.join(dir, '.keywarden-baseline.json'), 'utf8');
    writeFileSync(path.join(dir, 'more.txt'), `k=${id}\n`);
    expect((await runCrashingCli(dir, ['baseline'])).signal).toBe('SIGKILL');
    expect(readFileSync(path.join(dir, '.keywarden-baseline.json'), 'utf8')).toBe(before);
    expect(tempFiles(dir)).toHaveLength(1);
    expect((await runBin(['baseline'], { cwd: dir })).code).toBe(0);
    expect(tempFiles(dir)).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(dir, '.keywarden-baseline.json'), 'utf8')).salt).toBe(JSON.parse(before).salt);
  });

  test('removeStaleTemps takes only its own pattern, regular files, dead writers', async () => {
    const dir = tree({
      'a.json': '{}',
      '.a.json.999999999.00112233aabb.tmp': 'stale',
      '.a.jsonX.999999999.00112233aabb.tmp': 'other',
      '.b.json.999999999.00112233aabb.tmp': 'other',
    });
    symlinkSync('/etc/hostname', path.join(dir, '.a.json.999999998.00112233aabb.tmp'));
    const removed = await removeStaleTemps(path.join(dir, 'a.json'));
    expect(removed.map((file) => path.basename(file))).toEqual(['.a.json.999999999.00112233aabb.tmp']);
    expect(tempFiles(dir)).toEqual([
      '.a.json.999999998.00112233aabb.tmp',
      '.a.jsonX.999999999.00112233aabb.tmp',
      '.b.json.999999999.00112233aabb.tmp',
    ]);
  });
});

describe('write through links, devices and FIFOs', () => {
  test('a symlinked report: the link stays, its target gets the new report (also a dangling link)', async () => {
    const dir = tree({ 'a.txt': `k=${id}\n`, 'reports/old.json': OLD_REPORT });
    symlinkSync('reports/old.json', path.join(dir, 'report.json'));
    symlinkSync('reports/new.json', path.join(dir, 'dangling.json'));
    expect((await runCli(['scan', 'a.txt', '--format', 'json', '-o', 'report.json'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['scan', 'a.txt', '--format', 'json', '-o', 'dangling.json'], { cwd: dir })).code).toBe(1);
    for (const [link, target] of [
      ['report.json', 'reports/old.json'],
      ['dangling.json', 'reports/new.json'],
    ] as const) {
      expect(lstatSync(path.join(dir, link)).isSymbolicLink()).toBe(true);
      expect(readlinkSync(path.join(dir, link))).toBe(target);
      expect((JSON.parse(readFileSync(path.join(dir, target), 'utf8')) as JsonReport).findings.map((f) => f.match)).toEqual([id]);
    }
    expect(tempFiles(path.join(dir, 'reports'))).toEqual([]);
  });

  test('a report replacing a file keeps that file’s mode', async () => {
    const dir = tree({ 'a.txt': 'clean\n' });
    const file = path.join(dir, 'private.txt');
    writeFileSync(file, 'old', { mode: 0o600 });
    expect((await runCli(['scan', '-o', 'private.txt'], { cwd: dir })).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^No findings/);
  });

  /**
   * The null and full devices to write at. As root, private copies made with mknod in the test's
   * own directory: a regression that renames over its target would otherwise replace the
   * machine's /dev/null (it did, before this fix). Without root, /dev cannot be renamed into.
   */
  function devices(dir: string): { nul: string; full: string } {
    if (process.getuid?.() !== 0) return { nul: '/dev/null', full: '/dev/full' };
    const nul = path.join(dir, 'dev-null');
    const full = path.join(dir, 'dev-full');
    execFileSync('mknod', ['-m', '666', nul, 'c', '1', '3']);
    execFileSync('mknod', ['-m', '666', full, 'c', '1', '7']);
    return { nul, full };
  }

  test('baseline --file onto the null device and a link to it: written through, the device and the link stay', async () => {
    const dir = tree({ 'a.txt': `k=${id}\n` });
    const { nul } = devices(dir);
    symlinkSync(nul, path.join(dir, 'sink'));
    const direct = await runBin(['baseline', 'a.txt', '--file', nul], { cwd: dir });
    const viaLink = await runBin(['baseline', 'a.txt', '--file', 'sink'], { cwd: dir });
    expect([direct.code, direct.stderr]).toEqual([0, `keywarden: wrote 1 finding(s) to ${nul}\n`]);
    expect([viaLink.code, viaLink.stderr]).toEqual([0, 'keywarden: wrote 1 finding(s) to sink\n']);
    expect(lstatSync(nul).isCharacterDevice()).toBe(true);
    expect(readlinkSync(path.join(dir, 'sink'))).toBe(nul);
    expect(tempFiles(path.dirname(nul))).toEqual([]);
  });

  test('baseline --file and scan -o onto the full device: one line, exit 2, the device is still a device', async () => {
    const dir = tree({ 'a.txt': `k=${id}\n` });
    const { full } = devices(dir);
    const baseline = await runBin(['baseline', 'a.txt', '--file', full], { cwd: dir });
    expect([baseline.code, baseline.stderr]).toEqual([2, `keywarden: cannot write baseline ${full}: ENOSPC\n`]);
    const scan = await runBin(['scan', 'a.txt', '-o', full], { cwd: dir });
    expect([scan.code, scan.stderr]).toEqual([2, `keywarden: --output: cannot write ${full}: ENOSPC\n`]);
    expect(lstatSync(full).isCharacterDevice()).toBe(true);
  });

  test('scan -o into a FIFO: the reader gets the report, the FIFO stays a FIFO', async () => {
    const dir = tree({ 'a.txt': `k=${id}\n` });
    const fifo = path.join(dir, 'report.pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = new Promise<string>((resolve) => execFile('cat', [fifo], { timeout: 20_000 }, (_error, stdout) => resolve(stdout)));
    const result = await runBin(['scan', '--format', 'json', '-o', 'report.pipe'], { cwd: dir });
    expect(result.code).toBe(1);
    expect((JSON.parse(await reader) as JsonReport).findings.map((f) => f.match)).toEqual([id]);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  test('writeFileAtomic onto a directory through a link: EISDIR, nothing replaced', async () => {
    const dir = tree({ 'real/inside.txt': 'keep' });
    symlinkSync('real', path.join(dir, 'link'));
    await expect(writeFileAtomic(path.join(dir, 'link'), 'x')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(lstatSync(path.join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'real/inside.txt'), 'utf8')).toBe('keep');
  });
});

describe('a baseline path from a config file stays inside the repository', () => {
  /** A repository (a .git directory is what marks its root) with a config naming the baseline. */
  function repoWithConfig(baseline: string): string {
    const dir = tree({
      'outer/repo/.git/HEAD': 'ref: refs/heads/main\n',
      'outer/repo/a.txt': `k=${id}\n`,
      'outer/repo/keywarden.config.json': JSON.stringify({ baseline }),
    });
    return path.join(dir, 'outer/repo');
  }

  test('the config’s baseline is where `keywarden baseline` writes, and where scans then read it', async () => {
    const repo = repoWithConfig('security/baseline.json');
    const written = await runCli(['baseline'], { cwd: repo });
    expect([written.code, written.stderr]).toEqual([0, 'keywarden: wrote 1 finding(s) to security/baseline.json\n']);
    expect(JSON.parse(readFileSync(path.join(repo, 'security/baseline.json'), 'utf8')).version).toBe(1);
    expect((await runCli(['scan'], { cwd: repo })).code).toBe(0);
  });

  test.each([
    ['a parent directory', '../outside.json'],
    ['an absolute path', '/tmp/keywarden-config-escape.json'],
  ])('refused: %s', async (_label, baseline) => {
    const repo = repoWithConfig(baseline);
    const result = await runCli(['baseline'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^keywarden: keywarden\.config\.json: "baseline" leads outside the repository \(.*\); refusing to use it \(choose a file yourself with --baseline, or --file for keywarden baseline\)\n$/,
    );
    expect(readdirSync(path.dirname(repo))).toEqual(['repo']);
    expect(existsSync(path.resolve(repo, baseline))).toBe(false);
  });

  test('refused: a link inside the repository that leads out of it', async () => {
    const repo = repoWithConfig('linked/baseline.json');
    symlinkSync(path.dirname(repo), path.join(repo, 'linked'));
    const result = await runCli(['baseline'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(readdirSync(path.dirname(repo))).toEqual(['repo']);
  });

  test('typed on the command line, the same path is the user’s choice and is written', async () => {
    const repo = repoWithConfig('../outside.json');
    const result = await runCli(['baseline', '--file', '../outside.json'], { cwd: repo });
    expect(result.code).toBe(0);
    expect(readdirSync(path.dirname(repo)).sort()).toEqual(['outside.json', 'repo']);
  });

  test('isInsideRoot: the root itself and siblings with a common prefix are outside', () => {
    const dir = tree({ 'root/x': '', 'root-other/y': '' });
    expect(isInsideRoot(path.join(dir, 'root/new/file.json'), path.join(dir, 'root'))).toBe(true);
    expect(isInsideRoot(path.join(dir, 'root'), path.join(dir, 'root'))).toBe(false);
    expect(isInsideRoot(path.join(dir, 'root-other/y'), path.join(dir, 'root'))).toBe(false);
  });
});

describe('standard output that fails', () => {
  /** The real bin through bash, so stdout is whatever the shell makes of `redirect`; prints the bin's own status. */
  function binThroughShell(cwd: string, args: string, redirect: string): Promise<{ status: number; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        'bash',
        ['-c', `"$0" "$1" ${args} ${redirect}; echo "status=\${PIPESTATUS[0]}" >&2`, process.execPath, BIN],
        { cwd, env: { PATH: process.env.PATH, HOME: cwd }, timeout: 30_000 },
        (_error, _stdout, stderr) => {
          const status = /status=(\d+)\n$/.exec(stderr);
          resolve({ status: Number(status?.[1]), stderr: stderr.replace(/status=\d+\n$/, '') });
        },
      );
    });
  }

  test('`| head -1` with findings: quiet, exit 1 (the scan’s code, not a crash)', async () => {
    const dir = tree(manyFindings(2000));
    const result = await binThroughShell(dir, 'scan --no-color', '| head -1 >/dev/null');
    expect(result).toEqual({ status: 1, stderr: '' });
  });

  test('a reader that is already gone, clean scan: quiet, exit 0', async () => {
    const dir = tree({ 'a.txt': 'clean\n' });
    const child = spawn(process.execPath, [BIN, 'scan'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the bin has started: its first write fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  test.each([
    ['clean', { 'a.txt': 'clean\n' }],
    ['with findings', manyFindings(50)],
  ])('`> /dev/full` (%s): one line on stderr, exit 2', async (_label, files) => {
    const dir = tree(files);
    for (const format of ['text', 'json']) {
      const result = await binThroughShell(dir, `scan --format ${format}`, '> /dev/full');
      expect(result).toEqual({ status: 2, stderr: 'keywarden: cannot write to standard output: ENOSPC\n' });
    }
  });

  test('--help into /dev/full is an error too, not a silent success', async () => {
    const result = await binThroughShell(tree(), '--help', '> /dev/full');
    expect(result).toEqual({ status: 2, stderr: 'keywarden: cannot write to standard output: ENOSPC\n' });
  });
});
