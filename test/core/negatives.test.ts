import { describe, expect, test } from 'vitest';
import { scanText } from '../helpers/engine.js';
import { DOC_EXAMPLE_KEY_ID, DOC_EXAMPLE_SECRET, makeKeyId, makeSecret, prefix, prng } from '../helpers/keys.js';

const id = makeKeyId('AKIA', { seed: 41, account: '345678901234' });

function findings(text: string) {
  return scanText({ path: 'f', text }).findings;
}

function hex(length: number, seed: number): string {
  const random = prng(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'[Math.floor(random() * 16)];
  return out;
}

function base64(bytes: number, seed: number): string {
  const random = prng(seed);
  return Buffer.from(Array.from({ length: bytes }, () => Math.floor(random() * 256))).toString('base64');
}

describe('lookalikes that are not credentials', () => {
  const cases: Array<[string, string]> = [
    ['git commit SHA-1 after a secret keyword', `aws_secret_access_key = ${hex(40, 1)}`],
    ['git SHA-1 next to a key id', `${id}\ncommit ${hex(40, 2)}`],
    ['GPG fingerprint, upper-case hex', `secret_key: ${hex(40, 3).toUpperCase()}`],
    ['package-lock integrity', `"integrity": "sha512-${base64(64, 4)}"`],
    ['go.sum hash', `github.com/aws/aws-sdk-go v1.44.0 h1:${base64(32, 5)}`],
    ['UUIDs', `secret: 3f2504e0-4f89-11d3-9a0c-0305e82c3301 token: 6ba7b810-9dad-11d1-80b4-00c04fd430c8`],
    ['placeholder x', `AWS_SECRET_ACCESS_KEY=${'x'.repeat(40)}`],
    ['placeholder words', `AWS_SECRET_ACCESS_KEY=YOUR_SECRET_ACCESS_KEY_GOES_HERE_REPLACEME`],
    ['angle placeholder', 'AWS_SECRET_ACCESS_KEY=<your-secret-access-key>'],
    ['shell reference', 'AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}'],
    ['template reference', 'aws_secret_access_key: "{{ vault_aws_secret_access_key_for_prod }}"'],
    ['environment read', 'secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY'],
    ['Python environment read', 'aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"]'],
    ['all lowercase 40 chars', `aws_secret_access_key = ${'q'}${'wertyuiopasdfghjklzxcvbnm'.repeat(2).slice(0, 39)}`],
    ['41-char value', `AWS_SECRET_ACCESS_KEY=${makeSecret(6)}Z`],
    ['40 chars cut out of a longer base64 blob', `secret=${base64(60, 7)}`],
    ['low-entropy mixed case', `AWS_SECRET_ACCESS_KEY=${'AbAbAbAbAb'.repeat(4)}`],
    ['alphabet sequence', `AWS_SECRET_ACCESS_KEY=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn`],
    ['key id placeholder', `AWS_ACCESS_KEY_ID=${prefix('AKIA')}XXXXXXXXXXXXXXXX`],
    ["key id of A's", `AWS_ACCESS_KEY_ID=${prefix('AKIA')}${'A'.repeat(16)}`],
    ['a 40-char identifier near a key id', `key = "${id}"\nconst provider = getAwsCredentialsProviderChainForTesting();`],
    ['a 40-char word near a key id', `key = "${id}"\nname = "ThisIsTheNameOfTheApplicationWeDeployNow"`],
  ];
  test.each(cases)('%s', (_name, text) => {
    const reported = findings(text).filter((f) => f.ruleId !== 'aws-access-key-id');
    expect(reported).toEqual([]);
  });
});

describe('unique identifiers that are not secrets (IAM User Guide, unique ID prefixes)', () => {
  test.each(['AIDA', 'AROA', 'AGPA', 'AIPA', 'ANPA', 'ANVA', 'APKA', 'ASCA'] as const)('%s ids are never reported', (kind) => {
    const uniqueId = makeKeyId(kind, { seed: 8 });
    expect(findings(`"UserId": "${uniqueId}", "RoleId": "${uniqueId}"`)).toEqual([]);
  });
});

describe('AWS documentation examples', () => {
  test('are not findings but are counted', () => {
    const result = scanText({
      path: 'README.md',
      text: `aws_access_key_id = ${DOC_EXAMPLE_KEY_ID}\naws_secret_access_key = ${DOC_EXAMPLE_SECRET}\n`,
    });
    expect(result.findings).toEqual([]);
    expect(result.examples.map((f) => [f.ruleId, f.match])).toEqual([
      ['aws-access-key-id', DOC_EXAMPLE_KEY_ID],
      ['aws-secret-access-key', DOC_EXAMPLE_SECRET],
    ]);
  });

  test('the non-base32 example id AKIAI44QH8DHBEXAMPLE is an example too', () => {
    const result = scanText({ path: 'x', text: `id: ${prefix('AKIA')}I44QH8DHBEXAMPLE` });
    expect(result.findings).toEqual([]);
    expect(result.examples).toHaveLength(1);
  });
});

describe('inline suppressions', () => {
  test('keywarden:allow on the same line, in any comment syntax', () => {
    for (const comment of [
      '# keywarden:allow',
      '// keywarden:allow',
      '/* keywarden:allow */',
      '<!-- keywarden:allow -->',
      '-- keywarden:allow',
    ]) {
      const result = scanText({ path: 'x', text: `key = "${id}" ${comment}\n` });
      expect(result.findings).toEqual([]);
      expect(result.suppressed).toBe(1);
    }
  });

  test('keywarden:allow-next-line covers only the next line', () => {
    const text = `# keywarden:allow-next-line\nkey = "${id}"\nkey2 = "${id}"\n`;
    const result = scanText({ path: 'x', text });
    expect(result.findings.map((f) => f.line)).toEqual([3]);
    expect(result.suppressed).toBe(1);
  });

  test('allow-next-line does not suppress its own line', () => {
    const result = scanText({ path: 'x', text: `key = "${id}" # keywarden:allow-next-line\n` });
    expect(result.findings).toHaveLength(1);
  });

  test('suppressions can be turned off', () => {
    const result = scanText({ path: 'x', text: `key = "${id}" # keywarden:allow\n` }, { suppressions: false });
    expect(result.findings).toHaveLength(1);
  });
});

describe('added-line filtering (git modes)', () => {
  test('only findings on added lines are reported', () => {
    const text = `a = "${id}"\nb = 1\nc = "${id}"\n`;
    const result = scanText({ path: 'x', text, addedLines: [{ start: 2, end: 3 }] });
    expect(result.findings.map((f) => f.line)).toEqual([3]);
  });
});

describe('rule selection and levels', () => {
  test('secret pairing still works when key-id rules are off', () => {
    const secret = makeSecret(44);
    const result = scanText({ path: 'x', text: `new Creds("${id}", "${secret}")` }, { rules: ['aws-secret-access-key'] });
    expect(result.findings.map((f) => [f.ruleId, f.keyId])).toEqual([['aws-secret-access-key', id]]);
  });

  test('config level overrides reach the finding', () => {
    const result = scanText({ path: 'x', text: `k=${id}` }, { levels: { 'aws-access-key-id': 'note' } });
    expect(result.findings[0]!.level).toBe('note');
  });
});

describe('fingerprints', () => {
  test('are content based and never contain the credential', () => {
    const [a] = findings(`k=${id}`);
    const [b] = findings(`\n\n   other = "${id}"`);
    expect(a!.fingerprint).toBe(b!.fingerprint);
    expect(a!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(a!.fingerprint).not.toContain(id.toLowerCase());
  });
});
