import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { buildMessage, describeKeyStatus, sortFindings } from '../../src/report/message.js';
import { scanSources } from '../helpers/scan.js';
import { makeKeyId } from '../helpers/keys.js';

describe('key status in messages and order', () => {
  it('describes every shape IAM can give', () => {
    expect(
      describeKeyStatus({
        user: 'alice',
        status: 'active',
        created: null,
        lastUsed: { date: '2026-11-20T08:15:00.000Z', service: 's3', region: null },
      }),
    ).toBe('key status: ACTIVE, user alice, last used 2026-11-20 s3');
    expect(describeKeyStatus({ user: null, status: null, created: null, lastUsed: null })).toBe('key status: status unknown, never used');
  });

  it('puts active keys first, and leaves the path order alone otherwise', () => {
    const ids = [1, 2, 3].map((i) => makeKeyId('AKIA', { account: '111122223333', seed: 600 + i }));
    const findings: Finding[] = scanSources(
      ids.map((id, i) => ({ path: `f${i}.env`, text: `K=${id}\n` })),
      '/repo',
      {},
    ).findings;
    findings[2]!.keyStatus = { user: 'a', status: 'active', created: null, lastUsed: null };
    findings[0]!.keyStatus = { user: 'b', status: 'inactive', created: null, lastUsed: null };
    expect(sortFindings(findings).map((f) => f.path)).toEqual(['f2.env', 'f0.env', 'f1.env']);
    expect(buildMessage(findings[2]!, false)).toMatch(
      /key status: ACTIVE, user a, never used\. Active key: deploy a replacement, deactivate this key now \(keywarden revoke\), then delete it\.$/,
    );
    expect(buildMessage(findings[0]!, false)).toMatch(/key status: inactive, user b, never used\. Rotate:/);
  });
});
