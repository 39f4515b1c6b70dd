/**
 * The readers of peers' test files (bench/peers.js, issue 12), on synthetic files built here in the
 * shape of each peer's format: no peer's text is copied. If a reader breaks, these fail instead of
 * the benchmark quietly measuring zero samples.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { classifySample, missCategory, summarize } from '../../bench/lib/peer-eval.js';
import {
  credentialCandidates,
  kindsForRuleName,
  parseDetectSecrets,
  parseGitleaks,
  parseGitleaksTemplates,
  parseTrufflehog,
  parseYamlRules,
  randomFromPattern,
} from '../../bench/lib/peer-samples.js';
import { ensureBuilt } from '../helpers/build.js';
import { makeKeyId, makeSecret, makeSessionToken, prefix } from '../helpers/keys.js';

beforeAll(() => ensureBuilt());

const BACKTICK = '`';

/** A generate.go-shaped file: a samples map with two templates, one commented out, one raw string. */
const GENERATE_GO = [
  'package utils',
  '',
  'func GenerateSampleSecrets(identifier string, secret string) []string {',
  '\tsamples := map[string]string{',
  '\t\t// INI',
  '\t\t"ini - quoted": "{i}Token=\\"{s}\\"",',
  '\t\t// "ignored - commented": "{i}: {s}",',
  `\t\t"yaml - unquoted": ${BACKTICK}{I}_TOKEN: {s}${BACKTICK},`,
  '\t}',
  '\treturn nil',
  '}',
].join('\n');

describe('gitleaks reader', () => {
  const literalKeyId = makeKeyId('AKIA', { seed: 3 });
  const awsGo = [
    'package rules',
    '',
    'func AWS() *config.Rule {',
    '\tr := config.Rule{',
    '\t\tRuleID: "aws-access-token",',
    '\t\tKeywords: []string{"AKIA"},',
    '\t}',
    `\ttps := utils.GenerateSampleSecrets("AWS", "${literalKeyId}") // gitleaks:allow`,
    `\ttps = append(tps, utils.GenerateSampleSecrets("AWS", "${prefix('ASIA')}"+secrets.NewSecret("[A-Z2-7]{16}"))...)`,
    '\tfps := []string{',
    '\t\t`key = not-a-key`, // low entropy',
    '\t\t"wrong length",',
    '\t}',
    '\treturn utils.Validate(r, tps, fps)',
    '}',
    '',
    'func Bedrock() *config.Rule {',
    '\tr := config.Rule{RuleID: "aws-amazon-bedrock-api-key-long-lived"}',
    '\ttps := []string{',
    '\t\tutils.GenerateSampleSecret("bedrock", "ABSK"+secrets.NewSecret(utils.AlphaNumeric("120"))),',
    '\t}',
    '\treturn utils.Validate(r, tps, nil)',
    '}',
    '',
    'func Other() *config.Rule {',
    '\tr := config.Rule{RuleID: "github-pat"}',
    '\ttps := []string{"not taken"}',
    '\treturn utils.Validate(r, tps, nil)',
    '}',
  ].join('\n');

  it('reads the template map, skipping comments', () => {
    expect(parseGitleaksTemplates(GENERATE_GO)).toEqual([
      { name: 'ini - quoted', template: '{i}Token="{s}"' },
      { name: 'yaml - unquoted', template: '{I}_TOKEN: {s}' },
    ]);
  });

  it('expands GenerateSampleSecrets over every template, generates NewSecret values, reads fps literals', () => {
    const { samples, rules, skipped } = parseGitleaks(awsGo, GENERATE_GO);
    expect(rules).toEqual(['aws-access-token', 'aws-amazon-bedrock-api-key-long-lived']);
    expect(skipped).toEqual([]);
    const positives = samples.filter((s) => s.polarity === 'positive' && s.rule === 'aws-access-token');
    expect(positives).toHaveLength(4);
    expect(positives[0]).toMatchObject({ text: `AWSToken="${literalKeyId}"`, fileName: 'sample.ini', expected: [literalKeyId] });
    expect(positives[1]).toMatchObject({ text: `AWS_TOKEN: ${literalKeyId}`, fileName: 'sample.yaml' });
    const generated = positives[2]!.expected![0]!;
    expect(generated).toMatch(new RegExp(`^${prefix('ASIA')}[A-Z2-7]{16}$`));
    expect(positives[3]!.expected).toEqual([generated]);
    expect(samples.filter((s) => s.polarity === 'negative').map((s) => s.text)).toEqual(['key = not-a-key', 'wrong length']);
    const bedrock = samples.filter((s) => s.rule.includes('bedrock'));
    expect(bedrock).toHaveLength(1);
    expect(bedrock[0]!.text).toMatch(/^bedrock_api_token = "ABSK[a-z0-9]{120}"$/);
    expect(bedrock[0]!.kinds).toEqual(['bedrock']);
  });

  it('keywarden finds the generated key ids and stays silent on the fps', () => {
    const outcomes = parseGitleaks(awsGo, GENERATE_GO).samples.flatMap(classifySample);
    const summary = summarize(outcomes);
    expect(summary).toMatchObject({ positives: 5, found: 4, missed: 1, negatives: 2, falsePositives: 0 });
    expect(summary.missCategories).toEqual({ 'form not supported (Amazon Bedrock API key)': 1 });
  });

  it('reports a call it cannot evaluate instead of guessing', () => {
    const odd = awsGo.replace('secrets.NewSecret("[A-Z2-7]{16}")', 'secrets.NewSecret(someVariable)');
    expect(parseGitleaks(odd, GENERATE_GO).skipped).toEqual([
      { rule: 'aws-access-token', reason: 'unsupported expression at someVariable' },
    ]);
  });
});

describe('trufflehog reader', () => {
  const keyId = makeKeyId('AKIA', { seed: 5 });
  const secret = makeSecret(5);
  const testGo = [
    'package access_keys',
    '',
    'func TestAWS_Pattern(t *testing.T) {',
    '\ttests := []struct {',
    '\t\tname  string',
    '\t\tinput string',
    '\t\twant  []string',
    '\t}{',
    '\t\t{',
    '\t\t\tname: "valid pattern",',
    `\t\t\tinput: ${BACKTICK}`,
    `\t\t\t\taws_access_key_id = ${keyId}`,
    `\t\t\t\taws_secret_access_key = ${secret}`,
    `\t\t\t${BACKTICK},`,
    `\t\t\twant: []string{"${keyId}:${secret}"},`,
    '\t\t},',
    '\t\t{',
    '\t\t\tname: "invalid pattern",',
    '\t\t\tinput: "id: lowercase-thing",',
    '\t\t\twant: nil,',
    '\t\t},',
    '\t}',
    '}',
    '',
    'func TestAWS_Other(t *testing.T) {',
    '\tname: "not a case"',
    '}',
  ].join('\n');

  it('reads name/input/want; want parts are the credentials, want nil is a negative', () => {
    const samples = parseTrufflehog(testGo, 'aws access_keys', ['key-id', 'secret']);
    expect(samples.map((s) => [s.label, s.polarity, s.expected])).toEqual([
      ['valid pattern', 'positive', [keyId, secret]],
      ['invalid pattern', 'negative', undefined],
    ]);
    const summary = summarize(samples.flatMap(classifySample));
    expect(summary).toMatchObject({ positives: 2, found: 2, negatives: 1, falsePositives: 0 });
  });

  it('fails loudly when the Pattern test is gone', () => {
    expect(() => parseTrufflehog('package x\nfunc TestOther(t *testing.T) {}\n', 'r', ['key-id'])).toThrow(/no Test\.\.\._Pattern/);
  });
});

describe('noseyparker / kingfisher reader', () => {
  const keyId = makeKeyId('AKIA', { seed: 7 });
  const yamlText = [
    'rules:',
    '- name: AWS API Key',
    '  id: np.aws.1',
    "  pattern: '\\b(AKIA[A-Z0-9]{16})\\b'",
    '  examples:',
    `  - '${keyId}'`,
    '  negative_examples:',
    "  - '======================'",
    '- name: AWS S3 Bucket',
    '  id: np.s3.1',
    '  examples:',
    "  - 'bucket.s3.amazonaws.com'",
    '- name: AWS Session Token',
    '  id: np.aws.4',
    '  examples:',
    '  - |',
    `      export AWS_SESSION_TOKEN="${makeSessionToken(7, 200)}"`,
  ].join('\n');

  it('takes the AWS credential rules only, examples as positives and negative_examples as negatives', () => {
    const { samples, rules } = parseYamlRules('noseyparker', yamlText);
    expect(rules).toEqual(['np.aws.1', 'np.aws.4']);
    expect(samples.map((s) => [s.rule, s.polarity, s.kinds])).toEqual([
      ['np.aws.1', 'positive', ['key-id']],
      ['np.aws.1', 'negative', ['key-id']],
      ['np.aws.4', 'positive', ['session-token']],
    ]);
    expect(summarize(samples.flatMap(classifySample))).toMatchObject({ positives: 2, found: 2, negatives: 1, falsePositives: 0 });
  });

  it('maps rule names to credential kinds', () => {
    expect(kindsForRuleName('AWS Access Key ID')).toEqual(['key-id']);
    expect(kindsForRuleName('AWS API Credentials')).toEqual(['key-id', 'secret']);
    expect(kindsForRuleName('Amazon Bedrock API Key')).toEqual(['bedrock']);
    expect(kindsForRuleName('AWS Account ID')).toBeNull();
  });

  it('rejects a file without a rules list', () => {
    expect(() => parseYamlRules('kingfisher', 'something: else\n')).toThrow(/no rules list/);
  });
});

describe('detect-secrets reader', () => {
  const secret = makeSecret(9);
  const testPy = [
    'import pytest',
    '',
    `SOME_SECRET = '${secret}'`,
    '',
    '',
    'class TestAWSKeyDetector:',
    '    @pytest.mark.parametrize(',
    "        'line,should_flag',",
    '        [',
    '            (',
    '                \'aws_secret_access_key = "{}"\'.format(SOME_SECRET),',
    '                True,',
    '            ),',
    '            (',
    '                \'aws_secret_access_key = "{}"\'.format(SOME_SECRET[0:39]),',
    '                False,',
    '            ),',
    '            (',
    "                'secret = {}'.format(SOME_SECRET + 'a'),  # too long",
    '                False,',
    '            ),',
    "            ('x' * 3, False),",
    '        ],',
    '    )',
    '    def test_analyze(self, line, should_flag):',
    '        pass',
  ].join('\n');

  it('evaluates the parametrize cases of test_analyze: constants, .format, slices, + and *', () => {
    const { samples, skipped } = parseDetectSecrets(testPy);
    expect(skipped).toEqual([]);
    expect(samples.map((s) => [s.polarity, s.text])).toEqual([
      ['positive', `aws_secret_access_key = "${secret}"`],
      ['negative', `aws_secret_access_key = "${secret.slice(0, 39)}"`],
      ['negative', `secret = ${secret}a`],
      ['negative', 'xxx'],
    ]);
    expect(summarize(samples.flatMap(classifySample))).toMatchObject({ positives: 1, found: 1, negatives: 3, falsePositives: 0 });
  });
});

describe('candidates and miss categories', () => {
  it('finds credential-shaped values by kind', () => {
    const keyId = makeKeyId('AKIA', { seed: 11 });
    const secret = makeSecret(11);
    const text = `id=${keyId}\nsecret=${secret}\n`;
    expect(credentialCandidates(text, ['key-id', 'secret'])).toEqual([
      { value: keyId, kind: 'key-id' },
      { value: secret, kind: 'secret' },
    ]);
  });

  it('generates strings from character-class patterns', () => {
    const random = { chars: (alphabet: string, n: number) => alphabet[0]!.repeat(n) };
    expect(randomFromPattern('[A-Z2-7]{3}x[a-z0-9]{2}', random)).toBe('AAAxaa');
    expect(() => randomFromPattern('(a|b)', random)).toThrow(/unsupported pattern/);
  });

  it('names the probable reason for a miss', () => {
    const tail = 'Q'.repeat(3) + 'W9ERTY8UIOP2345';
    expect(missCategory(prefix('AKIA') + tail.slice(0, 16), 'key-id')).toBe('key id not base32 (0, 1, 8 or 9 in the tail)');
    expect(missCategory('a'.repeat(40), 'secret')).toBe('secret: repeated characters or low entropy');
    expect(missCategory(makeSecret(12), 'secret', 'value: x')).toBe('secret: no secret-key keyword and no valid key id to pair with');
    expect(missCategory(null, 'secret')).toBe('no credential-shaped value in the sample');
  });
});
