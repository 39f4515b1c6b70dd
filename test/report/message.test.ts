import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { buildMessage, findingLevel } from '../../src/report/message.js';
import { keys, reportFrom, sampleSources } from './report-fixture.js';

function found(ruleId: Finding['ruleId']): Finding {
  return reportFrom(sampleSources()).findings.find((finding) => finding.ruleId === ruleId && finding.path === 'src/config.ts')!;
}

describe('finding messages', () => {
  it('names the account source: offline decode or STS', () => {
    const keyId = found('aws-access-key-id');
    expect(buildMessage(keyId, false)).toContain('account 123456789012 (offline decode)');
    expect(buildMessage({ ...keyId, accountId: '000011112222', accountIdSource: 'sts' }, false)).toContain('account 000011112222 (STS)');
  });

  it('states owner, verification and commit in a fixed order', () => {
    const finding: Finding = {
      ...found('aws-secret-access-key'),
      owner: { label: 'owned', name: 'prod' },
      verification: { status: 'live', arn: 'arn:aws:iam::123456789012:user/deploy' },
      commit: { sha: '0123456789abcdef0123456789abcdef01234567', authorDate: '2024-03-04T05:06:07Z', author: 'Ada' },
    };
    expect(buildMessage(finding, false)).toBe(
      `AWS secret access key in source: ${keys.secret.slice(0, 4)}${'*'.repeat(16)}; key id ${keys.keyId}; account 123456789012 (offline decode); owner: owned (prod); verification: live (arn:aws:iam::123456789012:user/deploy); commit 0123456789ab (2024-03-04T05:06:07Z, Ada). Rotate: deploy a replacement key, then deactivate and delete this one.`,
    );
  });

  it('gives advice that fits the owner', () => {
    const keyId = found('aws-access-key-id');
    expect(buildMessage({ ...keyId, owner: { label: 'canary' } }, false)).toMatch(
      /owner: canary\. Canary token: using it alerts whoever planted it/,
    );
    expect(buildMessage({ ...keyId, owner: { label: 'third-party' } }, false)).toMatch(/owner: third-party\. Not one of your accounts/);
    expect(buildMessage({ ...keyId, owner: { label: 'unknown' } }, false)).toMatch(/owner: unknown\. Rotate:/);
    expect(buildMessage({ ...keyId, verification: { status: 'error', reason: 'AccessDenied' } }, false)).toContain(
      'verification: error (AccessDenied)',
    );
  });

  it('shows the whole secret only with showSecrets', () => {
    const secret = found('aws-secret-access-key');
    expect(buildMessage(secret, false)).not.toContain(keys.secret);
    expect(buildMessage(secret, true)).toContain(`in source: ${keys.secret};`);
  });

  it('makes examples notes whatever their level', () => {
    const [example] = reportFrom(sampleSources()).examples;
    expect(example!.level).toBe('error');
    expect(findingLevel(example!)).toBe('note');
    expect(findingLevel({ level: 'warning', example: false })).toBe('warning');
  });
});
