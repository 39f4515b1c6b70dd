import { RuleTester } from 'eslint';
import { describe, expect, test } from 'vitest';
import { SHORT_TERM_HOST_BASE64 } from '../../src/core/bedrock.js';
import { scanText } from '../helpers/engine.js';
import type { Finding } from '../../src/core/types.js';
import plugin from '../../src/eslint/index.js';
import { jsonReporter, type JsonReport } from '../../src/report/json.js';
import { buildMessage } from '../../src/report/message.js';
import { buildSarif } from '../../src/report/sarif.js';
import { reportFrom } from '../report/report-fixture.js';
import { makeBedrockLongTermKey, makeBedrockShortTermKey } from '../helpers/bedrock.js';
import { makeSecret, prng } from '../helpers/keys.js';
import { expectedMessage, suggestion } from '../eslint/messages.js';
import { useVitestForRuleTester } from '../eslint/setup.js';

useVitestForRuleTester();

const HOUR = 3_600_000;
const LONG = ['AB', 'SK'].join('');
const SHORT = ['bedrock', 'api-key-'].join('-');

const longTerm = makeBedrockLongTermKey({ user: 'BedrockAPIKey-q7zk', account: '123456789012', seed: 3 });
const live = await makeBedrockShortTermKey({ account: '210987654321', region: 'eu-west-3', expiresInSeconds: 3600, seed: 4 });
const expiredSignedAt = new Date(Date.now() - 48 * HOUR);
const expired = await makeBedrockShortTermKey({ account: '345678901234', region: 'us-west-2', signedAt: expiredSignedAt, seed: 5 });
const signedByUser = await makeBedrockShortTermKey({ kind: 'AKIA', account: '456789012345', region: 'ap-southeast-2', seed: 6 });

function base64(bytes: number, seed: number): string {
  const random = prng(seed);
  return Buffer.from(Array.from({ length: bytes }, () => Math.floor(random() * 256))).toString('base64');
}

function bedrockFindings(text: string): Finding[] {
  const scan = scanText({ path: 'f', text });
  return [...scan.findings, ...scan.examples].filter((finding) => finding.ruleId === 'aws-bedrock-api-key');
}

function only(text: string): Finding {
  const found = bedrockFindings(text);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('long-term keys (ABSK + base64 of <user>-at-<account>:<secret>)', () => {
  test('decodes the IAM user and the account', () => {
    const finding = only(`AWS_BEARER_TOKEN_BEDROCK=${longTerm}\n`);
    expect(finding).toMatchObject({
      match: longTerm,
      accountId: '123456789012',
      accountIdSource: 'offline',
      confidence: 'high',
      level: 'error',
      example: false,
    });
    expect(finding.details).toEqual({ form: 'long-term', iamUser: 'BedrockAPIKey-q7zk' });
    expect(finding.span).toEqual({ start: 25, end: 25 + longTerm.length });
    expect(buildMessage(finding, false)).toContain('account 123456789012 (offline decode); IAM user BedrockAPIKey-q7zk.');
  });

  test('a key for an IAM user created by hand, with a short name, decodes too', () => {
    const key = makeBedrockLongTermKey({ user: 'ci.bot@build', account: '000123456789', seed: 7 });
    expect(only(`key: "${key}"`)).toMatchObject({ accountId: '000123456789', details: { iamUser: 'ci.bot@build' } });
  });

  test('a key with a JSON-escaped slash is found whole and unescaped', () => {
    // base64 of ASCII text never holds a slash, so the escaped form is shown on a key that does not decode.
    let seed = 20;
    let key = LONG + base64(100, seed);
    while (!key.includes('/')) key = LONG + base64(100, ++seed);
    const finding = only(`{"apiKey": "${key.replaceAll('/', '\\/')}"}`);
    expect(finding.match).toBe(key);
    expect(finding.span.end - finding.span.start).toBe(key.length + key.split('/').length - 1);
  });

  test("a value of the public detectors' shape that does not decode to the layout: low confidence, no account", () => {
    const value = LONG + base64(96, 11).replace(/=+$/, '');
    const finding = only(`bedrock_key = "${value}"`);
    expect(finding).toMatchObject({ confidence: 'low', accountId: null, details: { form: 'long-term' } });
  });

  test('a documentation example is counted as an example', () => {
    const example =
      LONG + Buffer.from(`BedrockAPIKey-EXAMPLE-at-111122223333:${makeSecret(12)}${makeSecret(13).slice(0, 20)}`).toString('base64');
    const scan = scanText({ path: 'f', text: `token = ${example}` });
    expect(scan.findings).toEqual([]);
    expect(scan.examples.map((finding) => finding.ruleId)).toEqual(['aws-bedrock-api-key']);
  });
});

describe('short-term keys (bedrock-api-key- + base64 of a presigned URL), from @aws/bedrock-token-generator', () => {
  test('the generator writes the shape the rule anchors on', () => {
    expect(live.token.startsWith(`${SHORT}${SHORT_TERM_HOST_BASE64}`)).toBe(true);
  });

  test('a live key: the signing key id, its account, the Region and the expiry', () => {
    const before = Date.now();
    const finding = only(`export AWS_BEARER_TOKEN_BEDROCK=${live.token}\n`);
    expect(finding).toMatchObject({
      match: live.token,
      keyId: live.keyId,
      accountId: '210987654321',
      level: 'error',
      confidence: 'high',
      example: false,
    });
    expect(finding.details).toMatchObject({ form: 'short-term', region: 'eu-west-3', expired: false });
    const issuedAt = Date.parse(finding.details!.issuedAt!);
    expect(Math.abs(issuedAt - before)).toBeLessThan(60_000);
    expect(Date.parse(finding.details!.expiresAt!) - issuedAt).toBe(HOUR);
    expect(buildMessage(finding, false)).toMatch(
      /key id ASIA\w{16}; account 210987654321 \(offline decode\); Region eu-west-3; expires 20\d\d-/,
    );
  });

  test('an expired key is still reported, as a note', () => {
    const finding = only(`token: ${expired.token}`);
    expect(finding).toMatchObject({
      level: 'note',
      keyId: expired.keyId,
      accountId: '345678901234',
      details: { form: 'short-term', region: 'us-west-2', expired: true },
    });
    expect(Date.parse(finding.details!.issuedAt!)).toBe(Math.floor(expiredSignedAt.getTime() / 1000) * 1000);
    expect(Date.parse(finding.details!.expiresAt!) - Date.parse(finding.details!.issuedAt!)).toBe(12 * HOUR);
    expect(buildMessage(finding, false)).toContain('Expired short-term key');
  });

  test("a key signed with an IAM user's long-term key id", () => {
    expect(only(signedByUser.token)).toMatchObject({
      keyId: signedByUser.keyId,
      accountId: '456789012345',
      details: { region: 'ap-southeast-2' },
    });
  });

  test('two keys on one line are two findings', () => {
    expect(bedrockFindings(`${live.token} ${longTerm}`).map((finding) => finding.details!.form)).toEqual(['short-term', 'long-term']);
  });
});

describe('reports', () => {
  const report = reportFrom([
    { path: 'live.env', text: `AWS_BEARER_TOKEN_BEDROCK=${live.token}\n` },
    { path: 'old.env', text: `AWS_BEARER_TOKEN_BEDROCK=${expired.token}\n` },
    { path: 'long.env', text: `AWS_BEARER_TOKEN_BEDROCK=${longTerm}\n` },
  ]);
  const options = { showSecrets: false, color: false, includeExamples: false };

  test('JSON carries the decoded details and never the key', () => {
    const output = jsonReporter(report, options);
    for (const key of [live.token, expired.token, longTerm]) expect(output).not.toContain(key.slice(20, 60));
    const json = JSON.parse(output) as JsonReport;
    const byPath = Object.fromEntries(json.findings.map((finding) => [finding.path, finding]));
    expect(byPath['long.env']).toMatchObject({
      level: 'error',
      accountId: '123456789012',
      details: { form: 'long-term', iamUser: 'BedrockAPIKey-q7zk' },
      match: `${LONG}${'*'.repeat(16)}`,
    });
    expect(byPath['live.env']).toMatchObject({
      level: 'error',
      keyId: live.keyId,
      details: { form: 'short-term', region: 'eu-west-3', expired: false },
    });
    expect(byPath['old.env']).toMatchObject({ level: 'note', details: { expired: true } });
  });

  test('SARIF: rule metadata, levels and details', () => {
    const run = buildSarif(report, options).runs[0];
    const rule = run.tool.driver.rules.find((candidate) => candidate.id === 'aws-bedrock-api-key')!;
    expect(rule).toMatchObject({
      name: 'AwsBedrockApiKey',
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '8.0', precision: 'high' },
    });
    expect(rule.properties.tags).toEqual(expect.arrayContaining(['security', 'secret', 'external/cwe/cwe-798']));
    expect(rule.help.markdown).toContain('AWS_BEARER_TOKEN_BEDROCK');
    const levels = Object.fromEntries(
      run.results.map((result) => [result.locations[0]!.physicalLocation.artifactLocation.uri, result.level]),
    );
    expect(levels).toEqual({ 'live.env': 'error', 'old.env': 'note', 'long.env': 'error' });
    const old = run.results.find((result) => result.level === 'note')!;
    expect(old.properties.details).toMatchObject({ form: 'short-term', region: 'us-west-2', expired: true });
    expect(old.message.text).toContain('Region us-west-2; expired ');
  });
});

describe('lookalikes that are not Bedrock API keys', () => {
  const url = (query: string) => SHORT + Buffer.from(`bedrock.amazonaws.com/?${query}`).toString('base64');
  const cases: Array<[string, string]> = [
    ['ABSK inside words', `const TABSKey = 1; ${LONG}ILLS = 2; ${LONG}_total = 3;`],
    ['ABSK inside a base64 blob', `data: ${base64(60, 1)}${LONG}${base64(120, 2)}`],
    ['a short base64 value after ABSK', `${LONG}${base64(40, 3)}`],
    ['a long-term key cut short', `key = ${longTerm.slice(0, 60)}`],
    ['a long-term key that runs on into more base64', `key = ${longTerm.replace(/=+$/, '')}${base64(300, 4)}`],
    ['an ABSK placeholder', `AWS_BEARER_TOKEN_BEDROCK=${LONG}${'x'.repeat(140)}`],
    ['an ABSK angle placeholder', `AWS_BEARER_TOKEN_BEDROCK=${LONG}<your-long-term-key>`],
    ['the prefix alone', `AWS_BEARER_TOKEN_BEDROCK=${SHORT}`],
    ['the prefix in prose', `Short-term keys start with ${SHORT}, followed by base64.`],
    ['the prefix and the host only', `${SHORT}${SHORT_TERM_HOST_BASE64}`],
    ['the prefix and base64 that is not a URL', `${SHORT}${Buffer.from('a made-up value, not a presigned URL at all').toString('base64')}`],
    ['the prefix and random base64', `${SHORT}${base64(300, 5)}`],
    ['a short-term key cut short', `key = ${live.token.slice(0, 600)}`],
    [
      'a URL without a signature',
      url('Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&Version=1'),
    ],
    [
      'a URL for another action',
      SHORT +
        Buffer.from(
          Buffer.from(live.token.slice(SHORT.length), 'base64').toString().replace('CallWithBearerToken', 'GetCallerIdentity'),
        ).toString('base64'),
    ],
    ['an ABSK placeholder in a template', `apiKey: "${LONG}\${BEDROCK_KEY}"`],
  ];
  test.each(cases)('%s', (_name, text) => {
    expect(bedrockFindings(text)).toEqual([]);
  });
});

describe('hostile input', () => {
  test('multi-megabyte base64 runs after either prefix are not decoded, and scanning stays linear', () => {
    const run = base64(3 * 1024 * 1024, 9);
    const text = `${LONG}${run}\n${SHORT}${SHORT_TERM_HOST_BASE64}${run}\n${`${LONG}=${SHORT}${SHORT_TERM_HOST_BASE64} `.repeat(50_000)}`;
    const started = performance.now();
    expect(bedrockFindings(text)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

const tester = new RuleTester();
const masked = (value: string) => `${value.slice(0, 4)}${'*'.repeat(16)}`;
const LONG_TERM_ADVICE =
  'Move it to the environment (AWS_BEARER_TOKEN_BEDROCK) or a secret manager, then delete or reset this service-specific credential in IAM.';
const SHORT_TERM_ADVICE =
  "Move it to the environment (AWS_BEARER_TOKEN_BEDROCK) or a secret manager; it expires within 12 hours, sooner if you revoke the signing role's active sessions.";

tester.run('aws-bedrock-api-key', plugin.rules['aws-bedrock-api-key']!, {
  valid: [
    'const apiKey = process.env.AWS_BEARER_TOKEN_BEDROCK;',
    `const prefix = '${SHORT}';`,
    { code: `const apiKey = '${longTerm}';`, options: [{ allow: [`^${longTerm.slice(0, 30)}`] }] },
  ],
  invalid: [
    {
      code: `const apiKey = '${longTerm}';`,
      errors: [
        {
          message: expectedMessage(
            'Amazon Bedrock API key',
            masked(longTerm),
            ' (account 123456789012, IAM user BedrockAPIKey-q7zk)',
            'a string literal',
            LONG_TERM_ADVICE,
          ),
          line: 1,
          column: 17,
          endColumn: 17 + longTerm.length,
          suggestions: [{ desc: suggestion('AWS_BEARER_TOKEN_BEDROCK'), output: 'const apiKey = process.env.AWS_BEARER_TOKEN_BEDROCK;' }],
        },
      ],
    },
    {
      code: `client.config({ token: \`${live.token}\` });`,
      errors: [
        {
          message: new RegExp(
            `^Amazon Bedrock API key bedr\\*{16} \\(signed with key ID ${live.keyId}, account 210987654321, Region eu-west-3, expires 20[-\\d]+T[\\d:.]+Z\\) is hard-coded in a template literal\\. ${SHORT_TERM_ADVICE.replace(/[.()]/g, '\\$&')}$`,
          ),
          suggestions: [
            { desc: suggestion('AWS_BEARER_TOKEN_BEDROCK'), output: 'client.config({ token: process.env.AWS_BEARER_TOKEN_BEDROCK });' },
          ],
        },
      ],
    },
    {
      code: `// expired: ${expired.token}`,
      errors: [
        {
          message:
            /\(signed with key ID ASIA\w{16}, account 345678901234, Region us-west-2, expired 20[-\dT:.]+Z\) is hard-coded in a comment\./,
          suggestions: [],
        },
      ],
    },
  ],
});
