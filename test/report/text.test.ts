import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/types.js';
import { textReporter } from '../../src/report/text.js';
import type { ReportOptions } from '../../src/report/types.js';
import { DOC_EXAMPLE_KEY_ID, DOC_EXAMPLE_SECRET } from '../helpers/keys.js';
import { keys, reportFrom, sampleSources } from './report-fixture.js';

const off: ReportOptions = { showSecrets: false, color: false, includeExamples: false };
const stars = '*'.repeat(16);
const rotate = 'Rotate: deploy a replacement key, then deactivate and delete this one.';
const revoke = "Remove it; if it has not expired, revoke the role's active sessions.";

function withCounts(): Report {
  return reportFrom([...sampleSources(), { path: 'allowed.env', text: `id = ${keys.keyId} # keywarden:allow\n` }], {
    skipped: [
      { path: 'big.bin', reason: 'too-large', detail: '12.0 MB > 5 MB' },
      { path: 'logo.png', reason: 'binary' },
    ],
    warnings: ['config: rule "aws-foo" does not exist'],
    staleBaseline: [{ fingerprint: 'f'.repeat(32), ruleId: 'aws-access-key-id', path: 'old.env' }],
    stats: { filesScanned: 6, bytesScanned: 2_500_000, filesSkipped: 2, examples: 2, suppressed: 1, baselined: 3, durationMs: 1234 },
  });
}

describe('text reporter', () => {
  it('prints findings grouped by file, aligned, then a summary', () => {
    const output = textReporter(reportFrom(sampleSources()), off);
    expect(output.split('\n')).toEqual([
      `deploy/env.sh:1:26  warning  aws-temporary-access-key-id  AWS temporary access key ID in source: ${keys.tempKeyId}; account 210987654321 (offline decode). ${revoke}`,
      `deploy/env.sh:2:26  error    aws-session-token            AWS session token in source: ${keys.token.slice(0, 4)}${stars}; key id ${keys.tempKeyId}; account 210987654321 (offline decode). ${revoke}`,
      '',
      `legacy.ini:1:7      error    aws-access-key-id            AWS access key ID in source: ${keys.legacyKeyId}. ${rotate}`,
      '',
      `src/config.ts:1:13  error    aws-access-key-id            AWS access key ID in source: ${keys.keyId}; account 123456789012 (offline decode). ${rotate}`,
      `src/config.ts:2:20  error    aws-secret-access-key        AWS secret access key in source: ${keys.secret.slice(0, 4)}${stars}; key id ${keys.keyId}; account 123456789012 (offline decode). ${rotate}`,
      '',
      '5 findings in 3 files (scanned 5 files, 0.00 MB, in 0.00s)',
      '2 examples hidden (--include-examples to list)',
      '',
    ]);
  });

  it('lists examples as notes among the findings when asked', () => {
    const lines = textReporter(reportFrom(sampleSources()), { ...off, includeExamples: true }).split('\n');
    expect(lines).toContain(
      `docs/setup.md:1:21  note     aws-access-key-id            AWS access key ID in source: ${DOC_EXAMPLE_KEY_ID}. AWS documentation example key, not a credential.`,
    );
    expect(lines).toContain(
      `docs/setup.md:2:25  note     aws-secret-access-key        AWS secret access key in source: ${DOC_EXAMPLE_SECRET.slice(0, 4)}${stars}; key id ${DOC_EXAMPLE_KEY_ID}. AWS documentation example key, not a credential.`,
    );
    expect(lines).toContain('2 examples listed');
    // Examples are not findings: the headline still counts five.
    expect(lines).toContain('5 findings in 3 files (scanned 5 files, 0.00 MB, in 0.00s)');
  });

  it('counts what it did not list', () => {
    const lines = textReporter(withCounts(), off).split('\n');
    expect(lines.slice(-3)).toEqual([
      '5 findings in 3 files (scanned 6 files, 2.50 MB, in 1.23s)',
      '2 examples hidden (--include-examples to list), 1 suppressed, 3 baselined, 2 files skipped, 1 warning, 1 stale baseline entry',
      '',
    ]);
    expect(lines.join('\n')).not.toContain('big.bin');
  });

  it('lists skipped files, warnings and stale entries when verbose', () => {
    const lines = textReporter(withCounts(), { ...off, verbose: true }).split('\n');
    const start = lines.indexOf('Skipped files:');
    expect(lines.slice(start - 1)).toEqual([
      '',
      'Skipped files:',
      '  big.bin: too-large (12.0 MB > 5 MB)',
      '  logo.png: binary',
      '',
      'Warnings:',
      '  config: rule "aws-foo" does not exist',
      '',
      'Stale baseline entries (no longer found):',
      `  ${'f'.repeat(32)}  aws-access-key-id  old.env`,
      '',
    ]);
  });

  it('says so when there is nothing to report', () => {
    const report = reportFrom([{ path: 'README.md', text: 'nothing\n' }], {
      stats: { filesScanned: 1, bytesScanned: 1_000_000, filesSkipped: 0, examples: 0, suppressed: 0, baselined: 0, durationMs: 20 },
    });
    expect(textReporter(report, off)).toBe('No findings (scanned 1 file, 1.00 MB, in 0.02s)\n');
  });

  it('uses ANSI colors only when asked, with the same text underneath', () => {
    const report = withCounts();
    const plain = textReporter(report, off);
    const colored = textReporter(report, { ...off, color: true });
    expect(plain).not.toMatch(/\u001b\[/);
    expect(colored).toMatch(/\u001b\[31merror/);
    expect(colored).toMatch(/\u001b\[33mwarning/);
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });
});

describe('text reporter safety', () => {
  it('shows control characters in paths and warnings as \\xNN so they cannot drive the terminal', () => {
    const report = reportFrom([{ path: 'evil\u001b[2J\r.env', text: `id = ${keys.keyId}\n` }], { warnings: ['bad\nline'] });
    const output = textReporter(report, { ...off, verbose: true });
    expect(output).not.toMatch(/[\u001b\r]/);
    expect(output).toContain('evil\\x1b[2J\\x0d.env:1:6');
    expect(output).toContain('  bad\\x0aline');
  });
});
