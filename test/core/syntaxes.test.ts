import { describe, expect, test } from 'vitest';
import { scanText } from '../helpers/engine.js';
import type { Finding } from '../../src/core/types.js';
import { makeKeyId, makeSecret, makeSecretWithSlash, makeSessionToken } from '../helpers/keys.js';

const id = makeKeyId('AKIA', { seed: 11, account: '123456789012' });
const secret = makeSecret(21);
const slashed = makeSecretWithSlash(22);
const token = makeSessionToken(31, 420);

function found(text: string, path = 'file') {
  return scanText({ path, text }).findings;
}

function secretsIn(text: string): Finding[] {
  return found(text).filter((finding) => finding.ruleId === 'aws-secret-access-key');
}

/** Asserts the finding's span covers exactly `value` as written in `text`. */
function expectSpan(text: string, finding: Finding | undefined, written: string): void {
  expect(finding).toBeDefined();
  expect(text.slice(finding!.span.start, finding!.span.end)).toBe(written);
  const lines = text.split('\n');
  expect(lines[finding!.line - 1]!.slice(finding!.column - 1, finding!.endColumn - 1)).toBe(written);
}

// Each syntax puts the secret after a keyword, with no key id nearby, so only the keyword path can find it.
const keywordSyntaxes: Array<[string, string]> = [
  ['env file', `AWS_SECRET_ACCESS_KEY=${secret}`],
  ['env file, quoted', `AWS_SECRET_ACCESS_KEY="${secret}"`],
  ['shell export', `export AWS_SECRET_ACCESS_KEY='${secret}'`],
  ['INI credentials file', `[default]\naws_secret_access_key = ${secret}`],
  ['JSON', `{"SecretAccessKey": "${secret}"}`],
  ['JSON, camelCase', `{ "secretAccessKey":"${secret}" }`],
  ['YAML', `aws:\n  secret_access_key: ${secret}`],
  ['YAML, quoted', `secretKey: '${secret}'`],
  ['HCL / Terraform', `provider "aws" {\n  secret_key = "${secret}"\n}`],
  ['XML tag', `<SecretAccessKey>${secret}</SecretAccessKey>`],
  ['XML element with key attribute', `<add key="AWSSecretKey" value="${secret}"/>`],
  ['Python kwargs', `boto3.client("s3", aws_secret_access_key="${secret}")`],
  ['JS object', `const creds = { secretAccessKey: '${secret}' };`],
  ['JS object, template literal', 'const creds = { secretAccessKey: `' + secret + '` };'],
  ['PHP array', `'secret_key' => '${secret}',`],
  ['Dockerfile ENV', `ENV AWS_SECRET_ACCESS_KEY=${secret}`],
  ['Dockerfile ENV, space form', `ENV AWS_SECRET_ACCESS_KEY ${secret}`],
  ['Dockerfile ENV, line continuation', `ENV AWS_REGION=us-east-1 \\\n    AWS_SECRET_ACCESS_KEY=${secret}`],
  ['Java properties', `aws.secretKey=${secret}`],
  ['Go struct literal', `cfg := Config{SecretKey: "${secret}"}`],
  ['Ruby hash', `secret_access_key: "${secret}",`],
  ['PowerShell', `$env:AWS_SECRET_ACCESS_KEY = "${secret}"`],
  ['CLI flag', `aws configure set aws_secret_access_key ${secret}`],
  ['HTML-escaped JSON', `{&quot;aws_secret&quot;:&quot;${secret}&quot;}`],
  ['JSON-escaped JSON', `"{\\"SecretAccessKey\\": \\"${secret}\\"}"`],
  ['CRLF line endings', `AWS_SECRET_ACCESS_KEY=${secret}\r\nOTHER=1`],
];

describe('secret access key after a keyword', () => {
  test.each(keywordSyntaxes)('%s', (_name, text) => {
    const secrets = secretsIn(text);
    expect(secrets).toHaveLength(1);
    expectSpan(text, secrets[0], secret);
    expect(secrets[0]!.match).toBe(secret);
    expect(secrets[0]!.confidence).toBe('high');
  });
});

describe('secret access key by pairing with a key id', () => {
  const pairings: Array<[string, string]> = [
    ['Java constructor', `new BasicAWSCredentials("${id}", "${secret}");`],
    ['Go static provider', `credentials.NewStaticCredentials("${id}", "${secret}", "")`],
    ['PHP SDK credentials array', `'credentials' => [\n    'key'    => '${id}',\n    'secret' => '${secret}',\n],`],
    [
      'IAM console CSV export',
      `User name,Password,Access key ID,Secret access key,Console login link\nalice,,${id},${secret},https://console.aws.amazon.com/`,
    ],
    ['IAM access key CSV', `Access key ID,Secret access key\n${id},${secret}`],
    ['next lines', `key = "${id}"\n# comment\nother = "${secret}"`],
    ['previous line', `pass = "${secret}"\nuser = "${id}"`],
  ];
  test.each(pairings)('%s', (_name, text) => {
    const secrets = secretsIn(text);
    expect(secrets).toHaveLength(1);
    expectSpan(text, secrets[0], secret);
    expect(secrets[0]!.keyId).toBe(id);
    expect(secrets[0]!.accountId).toBe('123456789012');
  });

  test('no pairing beyond the window', () => {
    const text = `key = "${id}"\n${'\n'.repeat(20)}other = "${secret}"`;
    expect(secretsIn(text)).toHaveLength(0);
  });
});

describe('escaped secrets', () => {
  test('JSON-escaped slashes are decoded', () => {
    const written = slashed.replace(/\//g, '\\/');
    const text = `{"aws_secret_access_key":"${written}"}`;
    const secrets = secretsIn(text);
    expect(secrets).toHaveLength(1);
    expect(secrets[0]!.match).toBe(slashed);
    expectSpan(text, secrets[0], written);
  });

  test('URL-encoded secrets are decoded', () => {
    const written = encodeURIComponent(slashed);
    expect(written).toMatch(/%2F/);
    const text = `https://example.test/?aws_secret_access_key=${written}&x=1`;
    const secrets = secretsIn(text);
    expect(secrets).toHaveLength(1);
    expect(secrets[0]!.match).toBe(slashed);
    expectSpan(text, secrets[0], written);
  });

  test('URL-encoded key id after %3D', () => {
    const text = `https://bucket.s3.amazonaws.com/o?AWSAccessKeyId%3D${id}%26Expires%3D1`;
    expect(found(text).map((f) => f.match)).toEqual([id]);
  });
});

describe('key ids', () => {
  test.each([
    ['env', `AWS_ACCESS_KEY_ID=${id}`],
    ['JSON', `{"AccessKeyId":"${id}"}`],
    ['newline escape before it', `"line\\n${id}"`],
    ['URL path', `https://example.test/${id}/x`],
    ['end of text', id],
  ])('found in %s', (_name, text) => {
    const findings = found(text).filter((f) => f.ruleId === 'aws-access-key-id');
    expect(findings).toHaveLength(1);
    expectSpan(text, findings[0], id);
    expect(findings[0]!.accountId).toBe('123456789012');
    expect(findings[0]!.accountIdSource).toBe('offline');
  });

  test('not inside a longer token', () => {
    expect(found(`x${id}`)).toHaveLength(0);
    expect(found(`${id}9`)).toHaveLength(0);
    expect(found(`${id}Q`)).toHaveLength(0);
  });

  test('ASIA ids are temporary key ids with an account', () => {
    const temporary = makeKeyId('ASIA', { seed: 3, account: '012345678901' });
    const findings = found(`AWS_ACCESS_KEY_ID=${temporary}`);
    expect(findings.map((f) => [f.ruleId, f.accountId, f.level])).toEqual([['aws-temporary-access-key-id', '012345678901', 'warning']]);
  });

  test('ABIA and ACCA prefixes are credentials', () => {
    for (const kind of ['ABIA', 'ACCA'] as const) {
      const keyId = makeKeyId(kind, { seed: 5 });
      expect(found(`key: ${keyId}`).map((f) => f.ruleId)).toEqual(['aws-access-key-id']);
    }
  });

  test('old-format ids carry no account: null, never a guess', () => {
    const legacy = makeKeyId('AKIA', { seed: 9, legacy: true });
    expect(legacy[4]).toMatch(/[A-P]/);
    const [finding] = found(`id=${legacy}`);
    expect(finding!.accountId).toBeNull();
    expect(finding!.accountIdSource).toBeNull();
  });

  test('lowercase is not a key id', () => {
    expect(found(`id=${id.toLowerCase()}`)).toHaveLength(0);
  });

  test('non-base32 tails (0, 1, 8, 9) are not key ids', () => {
    expect(found(`id=${id.slice(0, 10)}0189${id.slice(14)}`)).toHaveLength(0);
  });
});

describe('session tokens', () => {
  test('known prefix, no keyword', () => {
    const text = `token: ${token}`;
    const findings = found(text).filter((f) => f.ruleId === 'aws-session-token');
    expect(findings).toHaveLength(1);
    expectSpan(text, findings[0], token);
    expect(findings[0]!.confidence).toBe('high');
  });

  test.each(['FwoGZXIvYXdzE', 'FQoGZXIvYXdzE', 'AQoDYXdzE'])('older prefix %s', (prefix) => {
    const older = makeSessionToken(7, 300, prefix);
    expect(found(`"${older}"`).map((f) => f.ruleId)).toEqual(['aws-session-token']);
  });

  test('keyword context without a known prefix', () => {
    const other = makeSessionToken(8, 200, 'Zm9v');
    const text = `aws_session_token = ${other}`;
    const findings = found(text);
    expect(findings.map((f) => [f.ruleId, f.confidence])).toEqual([['aws-session-token', 'medium']]);
    expectSpan(text, findings[0], other);
  });

  test('a complete temporary credential set pairs secret and token with the ASIA id', () => {
    const temporary = makeKeyId('ASIA', { seed: 4, account: '210987654321' });
    const text = `[tmp]\naws_access_key_id = ${temporary}\naws_secret_access_key = ${secret}\naws_session_token = ${token}\n`;
    const findings = found(text);
    expect(findings.map((f) => f.ruleId)).toEqual(['aws-temporary-access-key-id', 'aws-secret-access-key', 'aws-session-token']);
    expect(findings.slice(1).map((f) => f.keyId)).toEqual([temporary, temporary]);
    expect(findings.every((f) => f.accountId === '210987654321')).toBe(true);
  });

  test('short base64 after the keyword is not a token', () => {
    expect(found(`aws_session_token = ${makeSessionToken(2, 60, 'Zm9v')}`)).toHaveLength(0);
  });
});

describe('secret after a keyword with words between name and value', () => {
  const secret2 = makeSecret(77);
  test.each([
    ['TypeScript annotation', `const secretAccessKey: string = "${secret2}";`],
    ['Python annotation', `aws_secret: str = "${secret2}"`],
    ['Go typed var', `var secretKey string = "${secret2}"`],
    ['Terraform variable default', `variable "aws_secret_key" {\n  type    = string\n  default = "${secret2}"\n}`],
    ['Java final field', `private static final String SECRET_KEY = "${secret2}";`],
  ])('%s', (_name, text) => {
    const secrets = scanText({ path: 'x', text }).findings.filter((f) => f.ruleId === 'aws-secret-access-key');
    expect(secrets.map((f) => f.match)).toEqual([secret2]);
  });
});

describe('keyword casing (as rules/aws-secret-access-key.md and aws-session-token.md describe it)', () => {
  test('each word in a usual casing is a keyword; around "secret" case does not matter', () => {
    expect(secretsIn(`AWS_Secret_access_KEY = ${secret}`)).toHaveLength(1);
    for (const keyword of ['Session_token', 'SESSION_token', 'securityTOKEN']) {
      expect(found(`${keyword} = ${token}`).map((f) => f.ruleId)).toEqual(['aws-session-token']);
    }
  });

  test('a wild casing counts only in a file that also holds a usual one', () => {
    const wild = `sEcReT_kEy = ${secret}\nsEsSiOn_tOkEn = ${makeSessionToken(32, 300, 'QUJD')}`;
    expect(found(wild)).toEqual([]);
    expect(
      found(`${wild}\n# see secret_key and session_token`)
        .map((f) => f.ruleId)
        .sort(),
    ).toEqual(['aws-secret-access-key', 'aws-session-token']);
  });
});
