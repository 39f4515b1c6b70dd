import { deflateRawSync } from 'node:zlib';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '../../src/archive/limits.js';
import { archiveFormat } from '../../src/archive/sniff.js';
import { walkArchive, type ArchiveEvent } from '../../src/archive/walk.js';
import { scanBatch } from '../../src/scan/worker.js';
import { gzip, tar, tarHeader, zip } from '../helpers/archives.js';
import { runCli, tempTree } from '../helpers/cli.js';
import { makeKeyId } from '../helpers/keys.js';

const id = makeKeyId('AKIA', { seed: 311 });
const MB = 1024 * 1024;

function walk(name: string, bytes: Buffer, limits: Partial<ArchiveLimits> = {}) {
  const events: ArchiveEvent[] = [];
  walkArchive(name, bytes, archiveFormat(bytes)!, { ...DEFAULT_ARCHIVE_LIMITS, maxMemberSize: 5 * MB, ...limits }, (event) =>
    events.push(event),
  );
  return {
    members: events.flatMap((e) => (e.kind === 'member' ? [e.member.path] : [])),
    warnings: events.flatMap((e) => (e.kind === 'warning' ? [e.message] : [])),
    skipped: events.flatMap((e) => (e.kind === 'skipped' ? [`${e.skipped.path} ${e.skipped.reason}`] : [])),
  };
}

/** Runs a scan in-process and measures it: wall time and the most memory held in buffers at any sample. */
async function measuredScan(argv: string[], cwd: string) {
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
  const started = performance.now();
  const result = await runCli(['scan', '--format', 'json', ...argv], { cwd });
  const ms = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  return { ...result, report: JSON.parse(result.stdout), ms, extraBuffers: peak - before };
}

describe('zip bombs and other hostile archives', () => {
  test('a high-ratio .tgz (a 600 MB member in 600 KB) is stopped by the ratio limit, in bounded time and memory', async () => {
    // Concatenated gzip members inflate as one stream (RFC 1952 2.2): a tar header, then 600 x 1 MB of zeros.
    const megabyteOfZeros = gzip(Buffer.alloc(MB));
    const bomb = Buffer.concat([gzip(tarHeader('package/huge.bin', 600 * MB)), ...Array.from({ length: 600 }, () => megabyteOfZeros)]);
    const dir = tempTree({ 'bomb.tgz': bomb, 'next.env': `AWS_ACCESS_KEY_ID=${id}\n` });
    const { code, report, ms, extraBuffers } = await measuredScan([], dir);
    expect(code).toBe(1);
    expect(report.findings.map((f: { path: string }) => f.path)).toEqual(['next.env']);
    expect(report.warnings).toEqual([
      `archive bomb.tgz: inflates more than 100 times its ${bomb.length} bytes, taken for a zip bomb; the rest of it was not scanned`,
    ]);
    // Sorted by path: the archive before its members.
    expect(report.skipped).toEqual([
      expect.objectContaining({ path: 'bomb.tgz', reason: 'archive-limit' }),
      {
        path: 'bomb.tgz!/package/huge.bin',
        reason: 'too-large',
        detail: `${600 * MB} bytes > --max-file-size ${5 * MB}`,
        archive: { path: 'bomb.tgz', member: 'package/huge.bin' },
      },
    ]);
    expect(ms).toBeLessThan(15_000);
    expect(extraBuffers).toBeLessThan(64 * MB);
  });

  test('a zip of many highly compressed text members is stopped by the ratio limit', async () => {
    const text = Buffer.alloc(4 * MB, 'a');
    const compressed = deflateRawSync(text, { level: 9 });
    const members = Array.from({ length: 40 }, (_, i) => ({ name: `part${i}.txt`, data: '', compressed, declaredSize: text.length }));
    const bomb = zip(members);
    const dir = tempTree({ 'bomb.zip': bomb });
    const { code, report, ms, extraBuffers } = await measuredScan([], dir);
    expect(code).toBe(0);
    expect(report.warnings).toEqual([
      `archive bomb.zip: inflates more than 100 times its ${bomb.length} bytes, taken for a zip bomb; the rest of it was not scanned`,
    ]);
    // Stopped well before the 160 MB it would inflate to.
    expect(report.stats.bytesScanned).toBeLessThan(100 * bomb.length + 8 * MB);
    expect(ms).toBeLessThan(15_000);
    expect(extraBuffers).toBeLessThan(64 * MB);
  });

  test('a zip listing more members than the limit is scanned up to the limit, with a warning', async () => {
    const members = Array.from({ length: 20_005 }, (_, i) => ({ name: `m${i}`, data: '', method: 'store' as const }));
    const dir = tempTree({ 'many.zip': zip(members) });
    const { report, ms } = await measuredScan([], dir);
    expect(report.warnings).toEqual(['archive many.zip: more than 20000 members; the rest of it was not scanned']);
    expect(ms).toBeLessThan(15_000);
  });

  test('the inflated-bytes budget is shared by nested archives and ends the whole file', () => {
    const inner = zip([{ name: 'a.txt', data: 'x'.repeat(300_000) }]);
    const outer = zip([
      { name: 'one.zip', data: inner },
      { name: 'two.zip', data: inner },
      { name: 'three.txt', data: 'three\n' },
    ]);
    const result = walk('outer.zip', outer, { maxInflatedBytes: 500_000, maxRatio: 1e9 });
    expect(result.members).toEqual(['outer.zip!/one.zip!/a.txt']);
    expect(result.warnings).toEqual(['archive outer.zip: more than 500000 bytes inflated; the rest of it was not scanned']);
  });

  test('a bomb nested in an archive ends only that archive: its siblings are still read', () => {
    const bomb = zip([{ name: 'zeros.txt', data: ' '.repeat(3 * MB) }]);
    const outer = zip([
      { name: 'bomb.zip', data: bomb, method: 'store' },
      { name: 'after.txt', data: `${id}\n` },
    ]);
    const result = walk('outer.zip', outer);
    expect(result.members).toEqual(['outer.zip!/after.txt']);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^archive outer\.zip!\/bomb\.zip: inflates more than 100 times its \d+ bytes, taken for a zip bomb/),
    ]);
  });

  test('depth 1 opens only the file on disk', () => {
    const outer = zip([
      { name: 'in.zip', data: zip([{ name: 'x.txt', data: 'x' }]) },
      { name: 'y.txt', data: 'y' },
    ]);
    const result = walk('o.zip', outer, { maxDepth: 1 });
    expect(result.members).toEqual(['o.zip!/y.txt']);
    expect(result.skipped).toEqual(['o.zip!/in.zip archive-limit']);
  });

  test('tar: GNU long names, PAX paths and the ustar prefix all name members', () => {
    const longName = `package/${'deep/'.repeat(30)}x.txt`;
    const pax = `path=${longName}\n`;
    const paxRecord = `${pax.length + 3 + String(pax.length + 3).length - 2} ${pax}`;
    const prefixed = tarHeader('x.txt', 2);
    prefixed.write('package/prefix', 345);
    // Rewrite the checksum for the added prefix.
    prefixed.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of prefixed) sum += byte;
    prefixed.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    const archive = Buffer.concat([
      tar([
        { name: '././@LongLink', data: `${longName}\0`, type: 'L' },
        { name: 'short', data: 'gnu\n' },
      ]).subarray(0, -1024),
      tar([
        { name: 'PaxHeader', data: paxRecord, type: 'x' },
        { name: 'short', data: 'pax\n' },
      ]).subarray(0, -1024),
      prefixed,
      Buffer.concat([Buffer.from('p\n'), Buffer.alloc(510)]),
      Buffer.alloc(1024),
    ]);
    expect(paxRecord.length).toBe(Number(paxRecord.split(' ')[0]));
    expect(walk('t.tar', archive).members).toEqual([`t.tar!/${longName}`, `t.tar!/${longName}`, 't.tar!/package/prefix/x.txt']);
  });

  test('a tar header with a bad checksum is a corrupt archive', () => {
    const archive = tar([{ name: 'a.txt', data: 'a\n' }]);
    archive[0] = 0x62;
    expect(walk('bad.tar', archive).warnings).toEqual(['cannot read archive bad.tar: bad tar header checksum']);
  });

  test('worker batches send archive results (skips and warnings) back instead of counting them clean', () => {
    const dir = tempTree({ 'corrupt.zip': zip([{ name: 'a.txt', data: 'a' }]).subarray(0, 40) });
    const batch = scanBatch({
      files: [{ absolutePath: path.join(dir, 'corrupt.zip'), displayPath: 'corrupt.zip' }],
      maxFileSize: 5 * MB,
      detect: {},
    });
    expect(batch.cleanFiles).toBe(0);
    expect(batch.results).toEqual([
      expect.objectContaining({
        kind: 'scanned',
        archive: expect.objectContaining({ warnings: [expect.stringMatching(/^cannot read archive corrupt\.zip/)] }),
      }),
    ]);
  });
});
