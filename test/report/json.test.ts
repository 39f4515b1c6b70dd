import { describe, expect, it } from 'vitest';
import { jsonReporter } from '../../src/report/json.js';
import type { JsonReport } from '../../src/report/json.js';
import type { ReportOptions } from '../../src/report/types.js';
import { DOC_EXAMPLE_KEY_ID } from '../helpers/keys.js';
import { keys, reportFrom, sampleSources } from './report-fixture.js';

const off: ReportOptions = { showSecrets: false, color: false, includeExamples: false };

const FINDING_KEYS = [
  'ruleId',
  'title',
  'level',
  'message',
  'path',
  'line',
  'column',
  'endLine',
  'endColumn',
  'span',
  'match',
  'redacted',
  'keyId',
  'encoding',
  'accountId',
  'accountIdSource',
  'owner',
  'verification',
  'keyStatus',
  'details',
  'confidence',
  'fingerprint',
  'commit',
  'example',
  'archive',
  'repository',
].sort();

function parse(output: string): JsonReport {
  return JSON.parse(output) as JsonReport;
}

describe('json reporter', () => {
  it('has the documented top-level shape', () => {
    const report = reportFrom(sampleSources(), { warnings: ['w'], skipped: [{ path: 'x.bin', reason: 'binary' }] });
    const json = parse(jsonReporter(report, off));
    expect(Object.keys(json).sort()).toEqual(['findings', 'root', 'skipped', 'staleBaseline', 'stats', 'tool', 'version', 'warnings']);
    expect(json.version).toBe(1);
    expect(json.tool).toEqual({ name: 'keywarden', version: '0.1.0' });
    expect(json.root).toBe('/work/repo');
    expect(json.skipped).toEqual([{ path: 'x.bin', reason: 'binary' }]);
    expect(json.warnings).toEqual(['w']);
    expect(json.stats).toEqual(report.stats);
    expect(json.staleBaseline).toEqual([]);
  });

  it('writes every finding field, null when unknown, sorted by path and position', () => {
    const json = parse(jsonReporter(reportFrom(sampleSources()), off));
    expect(json.findings.map((finding) => `${finding.path}:${finding.line}`)).toEqual([
      'deploy/env.sh:1',
      'deploy/env.sh:2',
      'legacy.ini:1',
      'src/config.ts:1',
      'src/config.ts:2',
    ]);
    for (const finding of json.findings) expect(Object.keys(finding).sort()).toEqual(FINDING_KEYS);
    const secret = json.findings[4]!;
    expect(secret).toMatchObject({
      ruleId: 'aws-secret-access-key',
      title: 'AWS secret access key in source',
      level: 'error',
      line: 2,
      column: 20,
      endLine: 2,
      endColumn: 60,
      match: `${keys.secret.slice(0, 4)}${'*'.repeat(16)}`,
      redacted: true,
      keyId: keys.keyId,
      accountId: '123456789012',
      accountIdSource: 'offline',
      owner: null,
      verification: null,
      details: null,
      confidence: 'high',
      commit: null,
      example: false,
      repository: null,
    });
    expect(secret.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(secret.span.end - secret.span.start).toBe(40);
    const legacy = json.findings[2]!;
    expect(legacy).toMatchObject({
      match: keys.legacyKeyId,
      redacted: false,
      keyId: null,
      encoding: null,
      accountId: null,
      accountIdSource: null,
    });
  });

  it('passes owner, verification and commit through', () => {
    const report = reportFrom(sampleSources());
    const commit = { sha: 'b'.repeat(40), authorDate: '2024-01-02T03:04:05Z' };
    report.findings = report.findings.map((finding) => ({
      ...finding,
      owner: { label: 'third-party' as const },
      verification: { status: 'live' as const, arn: 'arn:aws:iam::123456789012:user/ci' },
      commit,
    }));
    const finding = parse(jsonReporter(report, off)).findings[0]!;
    expect(finding.owner).toEqual({ label: 'third-party' });
    expect(finding.verification).toEqual({ status: 'live', arn: 'arn:aws:iam::123456789012:user/ci' });
    expect(finding.commit).toEqual(commit);
  });

  it('includes examples only when asked, marked as examples', () => {
    const report = reportFrom(sampleSources());
    expect(parse(jsonReporter(report, off)).examples).toBeUndefined();
    const json = parse(jsonReporter(report, { ...off, includeExamples: true }));
    expect(json.examples!.map((example) => [example.match.slice(0, 4), example.level, example.example])).toEqual([
      [DOC_EXAMPLE_KEY_ID.slice(0, 4), 'note', true],
      ['wJal', 'note', true],
    ]);
    expect(json.findings.some((finding) => finding.example)).toBe(false);
  });

  it('shows the credential when showSecrets is set', () => {
    const json = parse(jsonReporter(reportFrom(sampleSources()), { ...off, showSecrets: true }));
    const secret = json.findings.find((finding) => finding.ruleId === 'aws-secret-access-key')!;
    expect(secret.match).toBe(keys.secret);
    expect(secret.redacted).toBe(false);
  });
});
