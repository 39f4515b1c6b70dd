import { describe, expect, test } from 'vitest';
import { scanText } from '../helpers/engine.js';
import { CONTEXT_LINES } from '../../rules/aws-secret-access-key.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';

const secret = makeSecret(21);
const keyId = makeKeyId('AKIA', { seed: 21, account: '123456789012' });

function secrets(text: string) {
  return scanText({ path: 'f', text })
    .findings.filter((finding) => finding.ruleId === 'aws-secret-access-key')
    .map((finding) => ({ line: finding.line, match: finding.match, confidence: finding.confidence }));
}

describe('a bare `secret` key counts with AWS context', () => {
  const forms: Array<[string, string]> = [
    ['YAML', `storage:\n  provider: aws\n  region: eu-west-1\n  secret: ${secret}\n`],
    ['YAML, quoted', `s3:\n  endpoint: https://s3.eu-west-1.amazonaws.com\n  secret: "${secret}"\n`],
    ['XML element', `<aws>\n  <bucket>reports</bucket>\n  <secret>${secret}</secret>\n</aws>\n`],
    ['assignment', `# AWS upload credentials\nsecret = "${secret}"\n`],
    ['assignment after a key id', `key = "${keyId}"\nsecret = '${secret}'\n`],
    ['credentials-file profile', `[profile deploy]\nregion = us-east-1\nsecret = ${secret}\n`],
    ['upper case key', `AWS_REGION=us-east-1\nSECRET=${secret}\n`],
  ];
  test.each(forms)('%s', (_name, text) => {
    expect(secrets(text).map((finding) => finding.match)).toEqual([secret]);
  });

  test('medium confidence, at the value', () => {
    expect(secrets(`provider: aws\nsecret: ${secret}\n`)).toEqual([{ line: 2, match: secret, confidence: 'medium' }]);
  });
});

describe('a bare `secret` key without AWS context is not reported', () => {
  const cases: Array<[string, string]> = [
    ['no AWS anywhere', `oauth:\n  client_id: my-app\n  secret: ${secret}\n`],
    ['"aws" only inside other words', `laws: strict\njaws: shark\nsecret: ${secret}\n`],
    ['AWS mentioned too far above', `provider: aws\n${'x: 1\n'.repeat(CONTEXT_LINES + 1)}secret: ${secret}\n`],
    ['secret as part of a longer key', `provider: aws\nclient_secret: ${secret}\nsecrets: ${secret}\nmy.secret: ${secret}\n`],
  ];
  test.each(cases)('%s', (_name, text) => {
    expect(secrets(text)).toEqual([]);
  });

  test('AWS context just inside the window counts', () => {
    expect(secrets(`provider: aws\n${'x: 1\n'.repeat(CONTEXT_LINES - 1)}secret: ${secret}\n`)).toHaveLength(1);
  });
});

describe('a secret under a misnamed key id key', () => {
  test.each([
    ['aws_access_key', `aws_access_key = "${secret}"\n`],
    ['AWS_ACCESS_KEY env', `AWS_ACCESS_KEY=${secret}\n`],
    ['awsAccessKey property', `const config = { awsAccessKey: '${secret}' };\n`],
  ])('%s', (_name, text) => {
    expect(secrets(text).map((finding) => finding.match)).toEqual([secret]);
  });

  test('aws_access_key_id holding a 40-char value is not this form', () => {
    expect(secrets(`aws_access_key_id = "${secret}"\n`)).toEqual([]);
  });

  test('access_key without aws is not this form', () => {
    expect(secrets(`access_key = "${secret}"\n`)).toEqual([]);
  });
});
