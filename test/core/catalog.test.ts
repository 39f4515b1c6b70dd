import { describe, expect, it } from 'vitest';
import { awsAccessKeyId } from '../../rules/aws-access-key-id.js';
import { awsBedrockApiKey } from '../../rules/aws-bedrock-api-key.js';
import { awsTemporaryAccessKeyId } from '../../rules/aws-temporary-access-key-id.js';
import { catalog, rules } from '../../rules/index.js';
import { RuleCatalog } from '../../src/core/catalog.js';
import { detect } from '../../src/core/detect.js';
import { makeKeyId, makeSecret, makeSessionToken } from '../helpers/keys.js';

describe('RuleCatalog: the engine runs the rules it is handed', () => {
  const keyId = makeKeyId('AKIA', { account: '123456789012' });
  const text = `aws_access_key_id = ${keyId}\naws_secret_access_key = ${makeSecret(3)}\naws_session_token = ${makeSessionToken(4)}\n`;

  it('the default catalog finds every kind; a smaller catalog finds only its rules; an empty one finds nothing', () => {
    expect(detect(catalog, text).map((finding) => finding.ruleId)).toEqual([
      'aws-access-key-id',
      'aws-secret-access-key',
      'aws-session-token',
    ]);
    expect(detect(new RuleCatalog([awsAccessKeyId]), text).map((finding) => finding.ruleId)).toEqual(['aws-access-key-id']);
    expect(detect(new RuleCatalog([]), text)).toEqual([]);
  });

  it('derives its anchors from its rules', () => {
    expect(new RuleCatalog([awsTemporaryAccessKeyId]).allAnchors).toEqual(['ASIA']);
    expect(new RuleCatalog([awsAccessKeyId]).anchoredRulesInText(`x ${keyId}`).has(awsAccessKeyId)).toBe(true);
    expect(new RuleCatalog([awsTemporaryAccessKeyId]).anchoredRulesInText(`x ${keyId}`).size).toBe(0);
  });
});

describe('RuleCatalog: rule facts', () => {
  it('tells long-term and temporary access key ids from other prefixes', () => {
    expect(catalog.accessKeyLifetime(makeKeyId('AKIA'))).toBe('long-term');
    expect(catalog.accessKeyLifetime(makeKeyId('ASIA'))).toBe('temporary');
    expect(catalog.accessKeyLifetime(makeKeyId('ABIA'))).toBeUndefined();
    expect(catalog.accessKeyLifetime(makeKeyId('AKIA').slice(0, 19))).toBeUndefined();
    expect(catalog.keyIdPrefixOf(`A3TX${makeKeyId('AKIA').slice(4)}`)).toMatchObject({ prefix: 'A3T?', pairs: false });
  });

  it('says which rules find key ids, and redacts everything else', () => {
    expect(rules.filter((rule) => catalog.isKeyIdRule(rule.id)).map((rule) => rule.id)).toEqual([
      'aws-access-key-id',
      'aws-temporary-access-key-id',
    ]);
    const secret = makeSecret(5);
    expect(catalog.redactValue('aws-access-key-id', makeKeyId('AKIA'))).toBe(makeKeyId('AKIA'));
    expect(catalog.redactValue('aws-secret-access-key', secret)).toBe(`${secret.slice(0, 4)}${'*'.repeat(16)}`);
    expect(catalog.displayMatch({ ruleId: 'aws-secret-access-key', match: secret }, true)).toBe(secret);
  });

  it('gives each rule a noun, an environment variable and advice; decoded details can change the advice', () => {
    for (const rule of rules) {
      expect(rule.noun, rule.id).not.toBe('');
      expect(rule.environmentVariable, rule.id).toMatch(/^AWS_[A-Z_]+$/);
      expect(catalog.remediation({ ruleId: rule.id }), rule.id).toBe(rule.remediation);
    }
    expect(catalog.remediation({ ruleId: 'aws-bedrock-api-key', details: { form: 'long-term' } })).toBe(awsBedrockApiKey.remediation);
    expect(catalog.remediation({ ruleId: 'aws-bedrock-api-key', details: { form: 'short-term', expired: true } }).report).toMatch(
      /^Expired short-term key/,
    );
  });
});
