import { describe, expect, test } from 'vitest';
import { detect } from '../helpers/engine.js';
import { DOC_EXAMPLE_KEY_ID, makeKeyId, makeSecret } from '../helpers/keys.js';

describe('pairing a secret with a key id', () => {
  test('prefers the real key id above over a documentation example on the next line', () => {
    const real = makeKeyId('AKIA', { seed: 91 });
    const secret = makeSecret(91);
    const text = `aws_access_key_id = ${real}\n# rotated 2026-11-02 by the ops team\naws_secret_access_key = ${secret}\n# e.g. ${DOC_EXAMPLE_KEY_ID}\n`;
    const found = detect(text, { path: 'credentials' }).find((finding) => finding.ruleId === 'aws-secret-access-key');
    expect(found?.keyId).toBe(real);
  });

  test('between two real key ids, the nearer one wins', () => {
    const far = makeKeyId('AKIA', { seed: 92 });
    const near = makeKeyId('AKIA', { seed: 93 });
    const text = `first = ${far}\n\n\nsecond = ${near}\naws_secret_access_key = ${makeSecret(92)}\n`;
    const found = detect(text, { path: 'credentials' }).find((finding) => finding.ruleId === 'aws-secret-access-key');
    expect(found?.keyId).toBe(near);
  });

  test('with only an example id near, the secret still pairs with it', () => {
    const text = `aws_access_key_id = ${DOC_EXAMPLE_KEY_ID}\naws_secret_access_key = ${makeSecret(94)}\n`;
    const found = detect(text, { path: 'credentials' }).find((finding) => finding.ruleId === 'aws-secret-access-key');
    expect(found?.keyId).toBe(DOC_EXAMPLE_KEY_ID);
  });
});

describe('key ids whose offline decode is not a 12-digit account', () => {
  test('are reported without an account and with lower confidence', () => {
    const overflowing = makeKeyId('AKIA', { seed: 95, account: '1000076740093' });
    const normal = makeKeyId('AKIA', { seed: 95, account: '123456789012' });
    const findings = detect(`a = ${overflowing}\nb = ${normal}\n`, { path: 'x.env' });
    expect(findings.map((finding) => [finding.line, finding.accountId, finding.confidence])).toEqual([
      [1, null, 'medium'],
      [2, '123456789012', 'high'],
    ]);
  });
});
