import { describe, expect, test } from 'vitest';
import { buildReport, ReportBuilder, type ScanEvent } from '../../src/scan/report-builder.js';
import { scanSources } from '../../src/scan/scan.js';
import { PAST_SCANNABLE_LIMIT } from '../../src/scan/read.js';
import { makeKeyId } from '../helpers/keys.js';

const id = (seed: number) => makeKeyId('AKIA', { seed });

/** Real detection: the scanned events of texts, as standard input's producer yields them. */
function scanned(files: Record<string, string>): ScanEvent[] {
  return [
    ...scanSources(
      Object.entries(files).map(([path, text]) => ({ path, text })),
      '/repo',
      {},
    ).events,
  ];
}

describe('one report from any producer’s events', () => {
  test('clean files counted in bulk, scanned files one by one, skips with their warnings', () => {
    const builder = new ReportBuilder('/repo');
    const events: ScanEvent[] = [
      { kind: 'clean', files: 3, bytes: 300 },
      ...scanned({ 'a.env': `K=${id(1501)}\n` }),
      { kind: 'skipped', skipped: { path: 'gone.txt', reason: 'unreadable', detail: 'EACCES' } },
      { kind: 'skipped', skipped: { path: 'huge.bin', reason: 'too-large', detail: `9 bytes: ${PAST_SCANNABLE_LIMIT}` } },
      { kind: 'skipped', skipped: { path: 'big.txt', reason: 'too-large', detail: '9 bytes > --max-file-size 1' } },
    ];
    for (const event of events) builder.add(event);
    const report = builder.build();
    expect(report.root).toBe('/repo');
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([['a.env', 1]]);
    expect(report.stats).toMatchObject({ filesScanned: 4, bytesScanned: 300 + `K=${id(1501)}\n`.length, filesSkipped: 3 });
    expect(report.warnings).toEqual(['cannot read gone.txt: EACCES', `not scanned: huge.bin: 9 bytes: ${PAST_SCANNABLE_LIMIT}`]);
  });

  test('findings keep the stream’s order unless the producer asks for them sorted by position', async () => {
    const events = scanned({ 'b.env': `K=${id(1502)}\n`, 'a.env': `X\nK=${id(1503)}\n` });
    const paths = async (sortByPosition: boolean) =>
      (await buildReport({ root: '/repo', events, sortByPosition })).findings.map((f) => f.path);
    expect(await paths(false)).toEqual(['b.env', 'a.env']);
    expect(await paths(true)).toEqual(['a.env', 'b.env']);
  });

  test('a sorted report does not depend on the order files finished in: skips and warnings by path too', async () => {
    const events: ScanEvent[] = [
      { kind: 'skipped', skipped: { path: 'z.png', reason: 'binary' } },
      ...scanned({ 'b.env': `K=${id(1505)}\n` }),
      { kind: 'skipped', skipped: { path: 'm.txt', reason: 'unreadable', detail: 'EACCES' } },
      { kind: 'skipped', skipped: { path: 'a.png', reason: 'binary' } },
      { kind: 'skipped', skipped: { path: 'c.txt', reason: 'unreadable', detail: 'EIO' } },
    ];
    const reports = [events, [...events].reverse()].map(async (order) => {
      const report = await buildReport({ root: '/repo', events: order, sortByPosition: true });
      return { skipped: report.skipped.map((skip) => skip.path), warnings: report.warnings };
    });
    const [forward, backward] = await Promise.all(reports);
    expect(forward).toEqual({
      skipped: ['a.png', 'c.txt', 'm.txt', 'z.png'],
      warnings: ['cannot read c.txt: EIO', 'cannot read m.txt: EACCES'],
    });
    expect(backward).toEqual(forward);
    // A stream in its own order (git's walk) keeps it.
    const unsorted = await buildReport({ root: '/repo', events });
    expect(unsorted.skipped.map((skip) => skip.path)).toEqual(['z.png', 'm.txt', 'a.png', 'c.txt']);
  });

  test('progress after each event', async () => {
    const seen: number[] = [];
    await buildReport(
      { root: '/repo', events: [{ kind: 'clean', files: 2, bytes: 10 }, ...scanned({ 'a.env': `K=${id(1504)}\n` })] },
      (p) => seen.push(p.filesScanned),
    );
    expect(seen).toEqual([2, 3]);
  });
});
