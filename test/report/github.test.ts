import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { escapeData, escapeProperty, formatCommand, githubReporter } from '../../src/report/github.js';
import type { ReportOptions } from '../../src/report/types.js';
import { DOC_EXAMPLE_KEY_ID } from '../helpers/keys.js';
import { keys, reportFrom, sampleSources } from './report-fixture.js';

const off: ReportOptions = { showSecrets: false, color: false, includeExamples: false };
const stars = '*'.repeat(16);
const rotate = 'Rotate: deploy a replacement key, then deactivate and delete this one.';
const revoke = "Remove it; if it has not expired, revoke the role's active sessions.";

describe('workflow command escaping', () => {
  it('escapes %, CR and LF in messages', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
  });

  it('also escapes : and , in properties', () => {
    expect(escapeProperty('C:\\dir,x/50%\n')).toBe('C%3A\\dir%2Cx/50%25%0A');
  });

  it('formats a command with properties in a fixed order and skips missing ones', () => {
    expect(formatCommand('warning', { title: 'a:b', line: 3, file: 'x,y.ts' }, 'm\nn')).toBe(
      '::warning file=x%2Cy.ts,line=3,title=a%3Ab::m\\x0an',
    );
    expect(formatCommand('notice', {}, 'plain')).toBe('::notice::plain');
  });
});

describe('github reporter', () => {
  it('writes one annotation per finding, in path order', () => {
    const output = githubReporter(reportFrom(sampleSources()), off);
    expect(output.split('\n')).toEqual([
      `::warning file=deploy/env.sh,line=1,endLine=1,col=26,endColumn=46,title=AWS temporary access key ID in source (aws-temporary-access-key-id)::AWS temporary access key ID in source: ${keys.tempKeyId}; account 210987654321 (offline decode). ${revoke}`,
      `::error file=deploy/env.sh,line=2,endLine=2,col=26,endColumn=426,title=AWS session token in source (aws-session-token)::AWS session token in source: ${keys.token.slice(0, 4)}${stars}; key id ${keys.tempKeyId}; account 210987654321 (offline decode). ${revoke}`,
      `::error file=legacy.ini,line=1,endLine=1,col=7,endColumn=27,title=AWS access key ID in source (aws-access-key-id)::AWS access key ID in source: ${keys.legacyKeyId}. ${rotate}`,
      `::error file=src/config.ts,line=1,endLine=1,col=13,endColumn=33,title=AWS access key ID in source (aws-access-key-id)::AWS access key ID in source: ${keys.keyId}; account 123456789012 (offline decode). ${rotate}`,
      `::error file=src/config.ts,line=2,endLine=2,col=20,endColumn=60,title=AWS secret access key in source (aws-secret-access-key)::AWS secret access key in source: ${keys.secret.slice(0, 4)}${stars}; key id ${keys.keyId}; account 123456789012 (offline decode). ${rotate}`,
      '',
    ]);
  });

  it('adds examples as notices only when asked', () => {
    const report = reportFrom(sampleSources());
    expect(githubReporter(report, off)).not.toContain(DOC_EXAMPLE_KEY_ID);
    const lines = githubReporter(report, { ...off, includeExamples: true })
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(7);
    expect(lines).toContain(
      `::notice file=docs/setup.md,line=1,endLine=1,col=21,endColumn=41,title=AWS access key ID in source (aws-access-key-id)::AWS access key ID in source: ${DOC_EXAMPLE_KEY_ID}. AWS documentation example key, not a credential.`,
    );
  });

  it('escapes awkward paths and messages so each annotation stays one command', () => {
    const report = reportFrom([{ path: 'a,b/c:d 100%.env', text: `id = ${keys.keyId}\n` }]);
    report.findings = report.findings.map((finding): Finding => ({ ...finding, owner: { label: 'owned', name: 'prod\r\nteam' } }));
    const output = githubReporter(report, off);
    expect(output.split('\n')).toHaveLength(2);
    expect(output).toContain('::error file=a%2Cb/c%3Ad 100%25.env,line=1,');
    expect(output).toContain('owner: owned (prod\\x0d\\x0ateam)');
  });

  it('prints nothing for a clean report', () => {
    expect(githubReporter(reportFrom([{ path: 'a.txt', text: 'clean\n' }]), off)).toBe('');
  });
});
