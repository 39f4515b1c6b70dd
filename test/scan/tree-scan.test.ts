import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/types.js';
import { gitPrefilterPattern, startGitPrefilter } from '../../src/scan/git-prefilter.js';
import { MAX_FINDINGS_PER_RULE } from '../../src/scan/process-file.js';
import { DEFAULT_MAX_FILE_SIZE, MAX_SCANNABLE_BYTES } from '../../src/scan/read.js';
import { tempTree } from '../helpers/cli.js';
import { scanTree } from '../helpers/scan.js';
import { makeKeyId, makeSecret, makeSessionToken } from '../helpers/keys.js';

const id = makeKeyId('AKIA', { seed: 1301 });
const id2 = makeKeyId('ASIA', { seed: 1302 });
const secret = makeSecret(1303);

const scan = scanTree;

const skips = (report: Report) => report.skipped.map((s) => [s.path, s.reason, s.detail]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));

/** Everything a report says, in a stable order (skips arrive in a different order from workers and the prefilter). */
function comparable(report: Report) {
  return {
    findings: report.findings,
    examples: report.examples,
    skipped: skips(report),
    warnings: [...report.warnings].sort(),
    stats: { ...report.stats, durationMs: 0 },
  };
}

function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

describe('special files are listed as skipped', () => {
  test('a FIFO and a link to it are each listed as not-regular; an ignored FIFO is not', async () => {
    const dir = tempTree({ 'ok.txt': `k=${id}\n`, '.gitignore': 'ignored-pipe\n' });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    execFileSync('mkfifo', [path.join(dir, 'ignored-pipe')]);
    symlinkSync(path.join(dir, 'pipe'), path.join(dir, 'pipe-link'));
    const report = await scan(dir);
    expect(skips(report)).toEqual([
      ['pipe', 'not-regular', 'a FIFO'],
      ['pipe-link', 'not-regular', 'a FIFO'],
    ]);
    expect(report.findings.map((f) => f.path)).toEqual(['ok.txt']);
    expect(report.warnings).toEqual([]);
  });

  test('a link to a character device inside the tree is listed, never read', async () => {
    const dir = tempTree({ 'sub/ok.txt': `k=${id}\n` });
    symlinkSync('/dev/null', path.join(dir, 'sub/null'));
    // /dev/null lies outside the scanned directory: reported as outside-root, not opened.
    const report = await scan(dir);
    expect(skips(report)).toEqual([['sub/null', 'outside-root', 'links outside the scanned directory']]);
  });
});

describe('files reached through links are scanned once, without remembering every file', () => {
  test('a file reached directly and through links (to it and to its directory) is reported once, under its own path', async () => {
    const dir = tempTree({ 'real/a.txt': `k=${id}\n`, 'real/b.txt': `k=${id2}\n` });
    symlinkSync('real/a.txt', path.join(dir, 'link-a.txt'));
    symlinkSync('real/a.txt', path.join(dir, 'z-link-a.txt'));
    symlinkSync('real', path.join(dir, 'linked-dir'));
    const report = await scan(dir);
    expect(report.findings.map((f) => f.path)).toEqual(['real/a.txt', 'real/b.txt']);
    expect(report.stats.filesScanned).toBe(2);
  });

  test('a file ignored where it lies but reached through a link is scanned under the link, once', async () => {
    const dir = tempTree({ '.gitignore': 'vendor/\n', 'vendor/a.txt': `k=${id}\n` });
    symlinkSync('vendor/a.txt', path.join(dir, 'a-link.txt'));
    symlinkSync('vendor/a.txt', path.join(dir, 'b-link.txt'));
    const report = await scan(dir);
    expect(report.findings.map((f) => f.path)).toEqual(['a-link.txt']);
    expect(report.stats.filesScanned).toBe(2); // .gitignore and the linked file
  });

  test('a file named as an argument and also inside a scanned directory is scanned once', async () => {
    const dir = tempTree({ 'a.txt': `k=${id}\n`, 'b.txt': `k=${id2}\n` });
    const report = await scan(dir, { paths: ['a.txt', '.'] });
    expect(report.findings.map((f) => f.path)).toEqual(['a.txt', 'b.txt']);
    expect(report.stats.filesScanned).toBe(2);
  });
});

describe('findings are capped per rule per file', () => {
  test(`past ${MAX_FINDINGS_PER_RULE} findings of one rule in a file, the rest are counted in a warning`, async () => {
    const ids = Array.from({ length: MAX_FINDINGS_PER_RULE + 25 }, (_, i) => makeKeyId('AKIA', { seed: 5000 + i }));
    const dir = tempTree({ 'many.txt': ids.map((key) => `k=${key}\n`).join(''), 'one.txt': `k=${id2}\n` });
    const report = await scan(dir);
    expect(report.findings.filter((f) => f.path === 'many.txt')).toHaveLength(MAX_FINDINGS_PER_RULE);
    expect(report.findings.filter((f) => f.path === 'many.txt').at(-1)!.line).toBe(MAX_FINDINGS_PER_RULE);
    expect(report.findings.filter((f) => f.path === 'one.txt')).toHaveLength(1);
    expect(report.warnings).toEqual([
      `many.txt: 25 more aws-access-key-id findings in this file, not listed (the first ${MAX_FINDINGS_PER_RULE} per rule per file are kept)`,
    ]);
  });

  test('past the cap, suppressed findings are still counted as suppressed, not as more findings', async () => {
    const ids = Array.from({ length: MAX_FINDINGS_PER_RULE + 3 }, (_, i) => makeKeyId('AKIA', { seed: 6000 + i }));
    const lines = ids.map((key, i) => `k=${key}${i >= MAX_FINDINGS_PER_RULE + 1 ? ' # keywarden:allow' : ''}\n`);
    const report = await scan(tempTree({ 'many.txt': lines.join('') }));
    expect(report.findings).toHaveLength(MAX_FINDINGS_PER_RULE);
    expect(report.stats.suppressed).toBe(2);
    expect(report.warnings).toEqual([
      `many.txt: 1 more aws-access-key-id findings in this file, not listed (the first ${MAX_FINDINGS_PER_RULE} per rule per file are kept)`,
    ]);
  });
});

describe('files too large to scan in one piece', () => {
  test('a sparse file past the scannable limit is skipped with a warning; the other findings are kept (exit code 1)', async () => {
    const dir = tempTree({ 'a.txt': `k=${id}\n` });
    const huge = path.join(dir, 'huge.bin');
    writeFileSync(huge, '');
    truncateSync(huge, MAX_SCANNABLE_BYTES + 1);
    const twoGigabytes = path.join(dir, 'huge2.bin');
    writeFileSync(twoGigabytes, '');
    truncateSync(twoGigabytes, Math.floor(2.1 * 1024 ** 3));
    const report = await scan(dir, { maxFileSize: 3 * 1024 ** 3 });
    expect(report.findings.map((f) => f.path)).toEqual(['a.txt']);
    expect(skips(report).map(([file, reason]) => [file, reason])).toEqual([
      ['huge.bin', 'too-large'],
      ['huge2.bin', 'too-large'],
    ]);
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings[0]).toMatch(/^not scanned: huge\.bin: \d+ bytes: larger than keywarden can scan/);
  });

  test('under the default --max-file-size a large file is an ordinary too-large skip, with no warning', async () => {
    const dir = tempTree({});
    const big = path.join(dir, 'big.bin');
    writeFileSync(big, '');
    truncateSync(big, DEFAULT_MAX_FILE_SIZE + 1);
    const report = await scan(dir);
    expect(skips(report)).toEqual([
      ['big.bin', 'too-large', `${DEFAULT_MAX_FILE_SIZE + 1} bytes > --max-file-size ${DEFAULT_MAX_FILE_SIZE}`],
    ]);
    expect(report.warnings).toEqual([]);
  });
});

describe('the git grep prefilter gives the same report as the Node path', () => {
  function hostileTree(): string {
    const cjk = '\u6f22'.repeat(5000);
    const dir = tempTree({
      'clean.js': 'export const region = "us-east-1";\n',
      'empty.txt': '',
      'key.env': `AWS_ACCESS_KEY_ID=${id}\naws_secret_access_key=${secret}\n`,
      'token.txt': `token: ${makeSessionToken(1304)}\n`,
      // UTF-16 with the key past git's 8,000-byte binary sniff: git sees no NUL early and no ASCII anchor.
      'late-utf16.txt': utf16le(`${cjk}\nkey=${id}\n`),
      'early-utf16.txt': utf16le(`key=${id2}\n`),
      'binary.bin': Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`k=${id}`)]),
      'binary-clean.bin': Buffer.from([0, 1, 2, 3]),
      'ignored/key.txt': `k=${id}\n`,
      '.gitignore': 'ignored/\n',
      'deep/a/b/c.txt': `nothing here\n`,
      'deep/a/b/d.txt': `SECRET_ACCESS_KEY = "${secret}"\n`,
      'big.txt': 'x'.repeat(2000),
      'named \u00e9.txt': `k=${id2}\n`,
      'Session-Token.md': `Session-Token: ${'Ab1+'.repeat(100)}\n`,
    });
    mkdirSync(path.join(dir, 'nested'));
    execFileSync('git', ['init', '-q', path.join(dir, 'nested')]);
    writeFileSync(path.join(dir, 'nested/in-repo.txt'), `k=${id}\n`);
    symlinkSync('key.env', path.join(dir, 'link.env'));
    symlinkSync('deep', path.join(dir, 'deep-link'));
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    return dir;
  }

  test('on a tree of clean, keyed, UTF-16, binary, ignored, linked, nested-repo and special files', async () => {
    const dir = hostileTree();
    for (const maxFileSize of [DEFAULT_MAX_FILE_SIZE, 1000]) {
      const withGit = await scan(dir, { gitPrefilter: true, maxFileSize });
      const nodeOnly = await scan(dir, { gitPrefilter: false, maxFileSize });
      expect(comparable(withGit)).toEqual(comparable(nodeOnly));
    }
    const report = await scan(dir, { gitPrefilter: true });
    expect([...new Set(report.findings.map((f) => f.path))]).toEqual([
      'deep/a/b/d.txt',
      'early-utf16.txt',
      'key.env',
      'late-utf16.txt',
      'named \u00e9.txt',
      'nested/in-repo.txt',
      'token.txt',
    ]);
  });

  test('git lists only files it examined and found without an anchor, NUL or byte-order mark', async () => {
    const dir = hostileTree();
    const clean = await startGitPrefilter(dir);
    expect(clean).toBeDefined();
    expect([...clean!].sort()).toEqual(['.gitignore', 'big.txt', 'clean.js', 'deep/a/b/c.txt', 'empty.txt']);
    expect(gitPrefilterPattern()).toContain('\\x00');
  });

  test('without git on PATH the scan runs the Node path alone, with the same report', async () => {
    const dir = hostileTree();
    const saved = process.env.PATH;
    process.env.PATH = path.join(dir, 'no-such-dir');
    try {
      expect(await startGitPrefilter(dir)).toBeUndefined();
      const report = await scan(dir, { gitPrefilter: true });
      process.env.PATH = saved;
      expect(comparable(report)).toEqual(comparable(await scan(dir, { gitPrefilter: false })));
    } finally {
      process.env.PATH = saved;
    }
  });
});
