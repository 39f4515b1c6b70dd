import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statfsSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Finding, Report } from '../../src/core/types.js';
import type { JsonReport } from '../../src/report/json.js';
import { BIN, runBin, runCli, tempTree } from '../helpers/cli.js';
import { scanTree } from '../helpers/scan.js';
import { makeKeyId, makeSecret, SESSION_TOKEN_PREFIX } from '../helpers/keys.js';
import { runBinUnprivileged, unprivilegedUnavailable } from './unprivileged.js';

/**
 * Hostile files through the real scanner: every case ends with a report (and a per-file skip or
 * warning where a file could not be read), never an exception or a hang. The real bin is used where
 * worker threads or process boundaries matter; it needs a build (`npm test` builds first).
 */

const id = makeKeyId('AKIA', { seed: 801 });
const id2 = makeKeyId('ASIA', { seed: 802 });
const secret = makeSecret(803);
const MB = 1 << 20;

// Other resources (servers, modes to restore) are released after each test; trees remove themselves.
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
const tree = tempTree;

const scan = scanTree;

const where = (findings: readonly Finding[]) => findings.map((f) => [f.path, f.ruleId, f.line, f.column, f.endLine, f.endColumn, f.match]);
const skips = (report: Report) => report.skipped.map((s) => [s.path, s.reason]).sort();

describe('huge and strange content', () => {
  test('a 50 MB single line of base64 noise and AKIA fragments finishes and finds what is planted', async () => {
    const noise = 'Qx7+Lm2/Zr9aKp4WcT1v8NbHs0ey3JdUo6GfRi5EjPlAYgtBXuCwFnSzOhIkDMqV';
    const unit = `${noise}AKIA${noise.slice(0, 20)}AKIAAKIA%2F\\/`;
    const head = `aws_secret_access_key="${secret}" `;
    const body = unit.repeat(Math.ceil((50 * MB) / unit.length));
    const dir = tree({ 'huge.txt': `${head}${body} ${id} ` });
    const report = await scan(dir, { maxFileSize: 64 * MB });
    expect(report.stats.filesScanned).toBe(1);
    expect(report.stats.bytesScanned).toBeGreaterThan(50 * MB);
    expect(where(report.findings)).toEqual([
      ['huge.txt', 'aws-secret-access-key', 1, head.indexOf(secret) + 1, 1, head.indexOf(secret) + 41, secret],
      ['huge.txt', 'aws-access-key-id', 1, head.length + body.length + 2, 1, head.length + body.length + 22, id],
    ]);
  });

  // V8 keeps a backtrack entry per repetition of a `(?:a|b){80,}` group: past a few million
  // characters the token regex threw "Maximum call stack size exceeded" and the scan died.
  test('session-token-like values of 24 MB each are found whole, not a crash', async () => {
    const noise = 'Qx7+Lm2/Zr9aKp4WcT1v8NbHs0ey3JdUo6GfRi5EjPlAYgtBXuCwFnSzOhIkDMqV';
    const byPrefix = SESSION_TOKEN_PREFIX + noise.repeat((24 * MB) / noise.length);
    const escaped = `${noise}\\/`.repeat((24 * MB) / (noise.length + 2));
    const dir = tree({ 'tokens.txt': `${byPrefix}==\naws_session_token="${escaped}"\n` });
    const report = await scan(dir, { maxFileSize: 64 * MB });
    expect(report.findings.map((f) => [f.ruleId, f.line, f.column, f.match.length])).toEqual([
      ['aws-session-token', 1, 1, byPrefix.length + 2],
      ['aws-session-token', 2, 20, escaped.length - escaped.length / (noise.length + 2)],
    ]);
  });

  test('JSON nested 100,000 levels deep', async () => {
    const depth = 100_000;
    const dir = tree({ 'deep.json': `${'['.repeat(depth)}"${id}"${']'.repeat(depth)}\n` });
    const report = await scan(dir);
    expect(where(report.findings)).toEqual([['deep.json', 'aws-access-key-id', 1, depth + 2, 1, depth + 22, id]]);
  });

  test('invalid UTF-8 around a credential: decoded with replacement characters, positions intact', async () => {
    const bad = Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0xfe, 0xed, 0xa0, 0x80]);
    const content = Buffer.concat([bad, Buffer.from('\n'), Buffer.from(`k=${id}\n`), bad, Buffer.from(` ${id2}`), bad]);
    const dir = tree({ 'bad-utf8.txt': content });
    const report = await scan(dir);
    const text = content.toString('utf8');
    expect(report.findings.map((f) => [f.line, f.match, text.slice(f.span.start, f.span.end)])).toEqual([
      [2, id, id],
      [3, id2, id2],
    ]);
    expect(report.findings[0]!.column).toBe(3);
  });

  test.each([
    ['utf-16le', Buffer.from([0xff, 0xfe])],
    ['utf-16be', Buffer.from([0xfe, 0xff])],
  ] as const)('%s with a BOM and CRLF line ends is decoded before scanning', async (encoding, bom) => {
    const text = `first line\r\n  AWS_ACCESS_KEY_ID=${id}\r\n\u00e9t\u00e9 secret_key="${secret}"\r\n`;
    const le = Buffer.from(text, 'utf16le');
    const bytes = encoding === 'utf-16le' ? le : Buffer.from(le).swap16();
    const dir = tree({ 'win.txt': Buffer.concat([bom, bytes]) });
    const report = await scan(dir);
    expect(report.skipped).toEqual([]);
    expect(where(report.findings)).toEqual([
      ['win.txt', 'aws-access-key-id', 2, 21, 2, 41, id],
      ['win.txt', 'aws-secret-access-key', 3, 17, 3, 57, secret],
    ]);
  });

  test('a UTF-16 BOM in front of ASCII or UTF-8 text does not hide its keys: without zero bytes it is not UTF-16', async () => {
    const body = `AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\n`;
    const dir = tree({
      'le.env': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'latin1')]),
      'be.env': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(`caf\u00e9 ${body}`, 'utf8')]),
    });
    const report = await scan(dir);
    expect(report.skipped).toEqual([]);
    expect(where(report.findings)).toEqual([
      ['be.env', 'aws-access-key-id', 1, 26, 1, 46, id],
      ['be.env', 'aws-secret-access-key', 2, 23, 2, 63, secret],
      // The two bytes decode as two replacement characters, so columns on the first line count them.
      ['le.env', 'aws-access-key-id', 1, 21, 1, 41, id],
      ['le.env', 'aws-secret-access-key', 2, 23, 2, 63, secret],
    ]);
  });

  test('real UTF-16 with plain ASCII spliced in: both readings are scanned', async () => {
    // A UTF-16 reader shows the spliced ASCII as CJK characters; a byte-oriented tool reads a key.
    const utf16 = Buffer.from(`\uFEFFfirst line\nAWS_ACCESS_KEY_ID=${id}\n`, 'utf16le');
    const spliced = Buffer.from(`\nAWS_SECRET_ACCESS_KEY=${secret}\n`, 'latin1');
    const dir = tree({ 'mixed.txt': Buffer.concat([utf16, spliced]) });
    const report = await scan(dir);
    expect(report.skipped).toEqual([]);
    expect(report.findings.map((f) => [f.ruleId, f.match]).sort()).toEqual([
      ['aws-access-key-id', id],
      ['aws-secret-access-key', secret],
    ]);
  });

  test('CRLF and lone-CR files: columns count from the line start, the CR is not part of a match', async () => {
    const dir = tree({
      'crlf.env': `A=1\r\nAWS_ACCESS_KEY_ID=${id}\r\nAWS_SECRET_ACCESS_KEY=${secret}\r\n`,
      'cr.txt': `one\rtwo ${id}\r`,
    });
    const report = await scan(dir);
    expect(where(report.findings)).toEqual([
      // A lone CR ends a line (classic Mac OS), as SARIF and editors count lines.
      ['cr.txt', 'aws-access-key-id', 2, 5, 2, 25, id],
      ['crlf.env', 'aws-access-key-id', 2, 19, 2, 39, id],
      ['crlf.env', 'aws-secret-access-key', 3, 23, 3, 63, secret],
    ]);
  });
});

describe('files that change or vanish during the scan', () => {
  // Discovery is lazy: each file is read when the walk reaches it, so a progress callback after the
  // first file can change a later one deterministically.
  function racingTree(): string {
    return tree({ 'a.txt': `k=${id}\n`, 'b.txt': `k=${id}\n`, 'c.txt': `k=${id}\n`, 'd.txt': `k=${id}\n` });
  }

  test('a file deleted between discovery and read is skipped as not-found', async () => {
    const dir = racingTree();
    let once = false;
    const report = await scan(dir, {
      onProgress: () => {
        if (!once) unlinkSync(path.join(dir, 'c.txt'));
        once = true;
      },
    });
    expect(report.findings.map((f) => f.path)).toEqual(['a.txt', 'b.txt', 'd.txt']);
    expect(report.skipped).toEqual([{ path: 'c.txt', reason: 'not-found', detail: 'deleted during the scan' }]);
  });

  test('a file replaced by a FIFO or a directory is skipped with a warning, without blocking', async () => {
    const dir = racingTree();
    let once = false;
    const report = await scan(dir, {
      onProgress: () => {
        if (once) return;
        once = true;
        unlinkSync(path.join(dir, 'b.txt'));
        execFileSync('mkfifo', [path.join(dir, 'b.txt')]);
        unlinkSync(path.join(dir, 'c.txt'));
        mkdirSync(path.join(dir, 'c.txt'));
      },
    });
    expect(report.findings.map((f) => f.path)).toEqual(['a.txt', 'd.txt']);
    expect(skips(report)).toEqual([
      ['b.txt', 'unreadable'],
      ['c.txt', 'unreadable'],
    ]);
    expect(report.warnings).toEqual(['cannot read b.txt: not a regular file', 'cannot read c.txt: not a regular file']);
  });
});

describe('special files and links in the tree', () => {
  test('FIFOs, sockets and dangling links are passed over; the scan neither blocks nor fails', async () => {
    const dir = tree({ 'ok.txt': `k=${id}\n` });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    symlinkSync(path.join(dir, 'pipe'), path.join(dir, 'pipe-link'));
    symlinkSync(path.join(dir, 'gone.txt'), path.join(dir, 'dangling'));
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'sock'), resolve));
    cleanups.push(() => server.close());
    const report = await scan(dir);
    expect(report.findings.map((f) => f.path)).toEqual(['ok.txt']);
    expect(report.stats.filesScanned).toBe(1);
    expect(report.warnings).toEqual([]);
  });

  test('a FIFO named on the command line is one warning, not a hang (real bin, worker threads)', async () => {
    const dir = tree({ 'ok.txt': `k=${id}\n` });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    const result = await runBin(['scan', 'pipe', 'ok.txt', '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => f.path)).toEqual(['ok.txt']);
    expect(report.warnings).toEqual(['cannot read pipe: not a regular file']);
  });

  test('a FIFO named package.json where keywarden runs is never opened (real bin: yargs looks for a package.json as it starts)', async () => {
    const dir = tree({ 'sub/a.txt': `k=${id}\n` });
    execFileSync('mkfifo', [path.join(dir, 'package.json')]);
    execFileSync('mkfifo', [path.join(dir, 'sub/package.json')]);
    const result = await runBinLimited(['scan', 'a.txt', '--no-config', '--format', 'json'], path.join(dir, 'sub'));
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as JsonReport).findings.map((f) => f.path)).toEqual(['a.txt']);
  });

  test('ignore files that are FIFOs or links to endless devices are passed over, not read', async () => {
    const dir = tree({ 'sub/a.txt': `k=${id}\n`, 'b.txt': `k=${id2}\n` });
    chmodSync(dir, 0o755);
    execFileSync('mkfifo', [path.join(dir, 'sub/.gitignore')]);
    symlinkSync('/dev/zero', path.join(dir, '.keywardenignore'));
    const result = await runBinLimited(['scan', '.', '--format', 'json', '--threads', '0'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as JsonReport).findings.map((f) => f.path)).toEqual(['b.txt', 'sub/a.txt']);
  });

  test('a config or baseline that is a FIFO or a link to a device is one clear error line', async () => {
    const dir = tree({ 'a.txt': 'x\n' });
    execFileSync('mkfifo', [path.join(dir, 'fifo.json')]);
    symlinkSync('/dev/zero', path.join(dir, 'keywarden.config.json'));
    const config = await runBinLimited(['scan', '.'], dir);
    expect([config.code, config.stderr]).toEqual([
      2,
      'keywarden: keywarden.config.json: config file leads outside the repository (a link?); refusing to read it (name it with --config to use it)\n',
    ]);
    const typed = await runBinLimited(['scan', '.', '-c', 'keywarden.config.json'], dir);
    expect([typed.code, typed.stderr]).toEqual([2, 'keywarden: keywarden.config.json: cannot read: not a regular file\n']);
    execFileSync('mkfifo', [path.join(dir, '.keywardenrc.json')]);
    const fifo = await runBinLimited(['scan', '.', '-c', '.keywardenrc.json'], dir);
    expect([fifo.code, fifo.stderr]).toEqual([2, 'keywarden: .keywardenrc.json: cannot read: not a regular file\n']);
    const baseline = await runBinLimited(['scan', '.', '--no-config', '--baseline', 'fifo.json'], dir);
    expect([baseline.code, baseline.stderr]).toEqual([2, 'keywarden: fifo.json: cannot read baseline: not a regular file\n']);
  });

  test('symlink loops of every shape are skipped and the rest is scanned', async () => {
    const dir = tree({ 'real/a.txt': `k=${id}\n`, 'b.txt': `k=${id2}\n` });
    symlinkSync('self', path.join(dir, 'self'));
    symlinkSync('pong', path.join(dir, 'ping'));
    symlinkSync('ping', path.join(dir, 'pong'));
    symlinkSync('..', path.join(dir, 'real/up'));
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'real/again'));
    const report = await scan(dir);
    expect(report.findings.map((f) => f.path)).toEqual(['b.txt', 'real/a.txt']);
    expect(skips(report)).toEqual([
      ['ping', 'symlink-loop'],
      ['pong', 'symlink-loop'],
      ['real/again', 'symlink-loop'],
      ['real/up', 'symlink-loop'],
      ['self', 'symlink-loop'],
    ]);
    // Named on the command line, a loop is a skip too, not a usage error.
    const named = await runCli(['scan', 'self', 'b.txt', '--format', 'json'], { cwd: dir });
    expect(named.code).toBe(1);
    expect((JSON.parse(named.stdout) as JsonReport).skipped).toEqual([{ path: 'self', reason: 'symlink-loop' }]);
  });

  test('links out of the scanned directory are not followed: the host stays out of the report', async () => {
    const host = tree({ '.aws/credentials': `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n` });
    const dir = tree({ 'repo/app.txt': `k=${id2}\n`, 'repo/sub/inner.txt': `k=${id2}\n` });
    const repo = path.join(dir, 'repo');
    symlinkSync(path.join(host, '.aws/credentials'), path.join(repo, 'creds'));
    symlinkSync(path.join(host, '.aws'), path.join(repo, 'aws'));
    symlinkSync('/', path.join(repo, 'everything'));
    // Inside the scanned directory a link is still followed, and what it leads to is scanned once,
    // under its own path.
    symlinkSync('sub', path.join(repo, 'also-sub'));
    symlinkSync('../outside-only', path.join(repo, 'dangling'));
    const report = await scan(repo);
    expect(report.findings.map((f) => [f.path, f.match])).toEqual([
      ['app.txt', id2],
      ['sub/inner.txt', id2],
    ]);
    expect(report.skipped).toEqual(
      ['aws', 'creds', 'everything'].map((name) => ({ path: name, reason: 'outside-root', detail: 'links outside the scanned directory' })),
    );
    // Globs do not follow links either.
    const globbed = await runCli(['scan', '**/*', '--format', 'json'], { cwd: repo });
    expect((JSON.parse(globbed.stdout) as JsonReport).findings.map((f) => f.path)).toEqual(['app.txt', 'sub/inner.txt']);
    // Named on the command line, a link is the user's explicit choice and is scanned.
    const named = await runCli(['scan', 'creds', '--format', 'json'], { cwd: repo });
    expect((JSON.parse(named.stdout) as JsonReport).findings.map((f) => f.match)).toEqual([id, secret.slice(0, 4) + '*'.repeat(16)]);
  });

  test('hostile file names cannot forge output lines or terminal escapes', async () => {
    const name = 'evil\n::error file=x::forged\u001b[2J.txt';
    const dir = tree({ [name]: `k=${id}\n` });
    const text = await runCli(['scan', '--no-color'], { cwd: dir });
    expect(text.stdout).not.toContain('\u001b');
    expect(text.stdout).toContain('evil\\x0a::error');
    const github = await runCli(['scan', '--format', 'github'], { cwd: dir });
    expect(github.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(github.stdout).not.toContain('\u001b');
    expect(github.stdout).toContain('file=evil\\x0a%3A%3Aerror file=x%3A%3Aforged\\x1b[2J.txt,');
  });
});

/**
 * The real bin with a time limit, so a regression that blocks (a FIFO opened for reading waits
 * for a writer) fails the test instead of hanging it.
 */
function runBinLimited(argv: string[], cwd: string): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...argv],
      { cwd, env: { PATH: process.env.PATH, HOME: cwd }, timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (error.killed ? 'killed (timeout)' : typeof error.code === 'number' ? error.code : 2) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

describe('permission denied', () => {
  if (unprivilegedUnavailable) console.warn(`skipping permission tests: ${unprivilegedUnavailable}`);

  test.skipIf(unprivilegedUnavailable !== undefined)(
    'unreadable files and directories become per-file warnings; the scan goes on',
    async () => {
      const dir = tree({ 'locked.txt': `k=${id}\n`, 'closed/inner.txt': `k=${id}\n`, 'open.txt': `k=${id2}\n` });
      chmodSync(dir, 0o755);
      chmodSync(path.join(dir, 'locked.txt'), 0o000);
      chmodSync(path.join(dir, 'closed'), 0o000);
      cleanups.unshift(() => chmodSync(path.join(dir, 'closed'), 0o755));
      const result = await runBinUnprivileged(['scan', '.', '--format', 'json', '--threads', '0'], dir);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(report.findings.map((f) => f.path)).toEqual(['open.txt']);
      expect(report.warnings.sort()).toEqual(['cannot read closed: EACCES', 'cannot read locked.txt: EACCES']);
    },
  );
});

/**
 * Creating 100,000 files on a disk-backed /tmp can take 20 s of kernel time on a busy machine; a
 * tmpfs takes under a second. /dev/shm when it is a roomy tmpfs (a small Docker default of 64 MB
 * cannot hold 100,000 inodes' pages), else the usual temp directory.
 */
function fastTempDir(): string {
  try {
    const stats = statfsSync('/dev/shm');
    if (stats.bavail * stats.bsize > 2 * 1024 * MB) return '/dev/shm';
  } catch {
    // no /dev/shm here
  }
  return tmpdir();
}

describe('a few large files', () => {
  test('past 32 MB on the main thread the rest goes to workers, and nothing is lost or scanned twice (real bin)', async () => {
    const dir = tree();
    const filler = 'const value = "plain text without credentials";\n'.repeat((4 * MB) / 48);
    for (let i = 0; i < 12; i++)
      writeFileSync(path.join(dir, `big${String(i).padStart(2, '0')}.js`), `${filler}key=${makeKeyId('AKIA', { seed: 900 + i })}\n`);
    const result = await runBin(['scan', '.', '--format', 'json', '--threads', '2'], { cwd: dir });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.stats.filesScanned).toBe(12);
    expect(report.stats.bytesScanned).toBeGreaterThan(40 * MB);
    expect(report.findings.map((f) => f.path)).toEqual(Array.from({ length: 12 }, (_, i) => `big${String(i).padStart(2, '0')}.js`));
  });
});

describe('a 100,000-file tree', () => {
  test('every file is scanned once and every planted key found (real bin, worker threads)', async () => {
    const dir = mkdtempSync(path.join(fastTempDir(), 'keywarden-100k-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let planted = 0;
    for (let d = 0; d < 100; d++) {
      const sub = path.join(dir, `d${String(d).padStart(3, '0')}`);
      mkdirSync(sub);
      for (let f = 0; f < 1000; f++) {
        const withKey = f % 250 === 0;
        if (withKey) planted++;
        writeFileSync(path.join(sub, `f${f}.txt`), withKey ? `key=${id}\n` : `plain file ${d}/${f}\n`);
      }
    }
    const result = await runBin(['scan', '.', '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.stats.filesScanned).toBe(100_000);
    expect(report.skipped).toEqual([]);
    expect(report.findings).toHaveLength(planted);
    expect(new Set(report.findings.map((f) => f.path)).size).toBe(planted);
  });
});
