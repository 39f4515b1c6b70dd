import { describe, expect, test } from 'vitest';
import { findRawMatches, scanText } from '../helpers/engine.js';
import { makeKeyId, makeSecret, makeSessionToken, SESSION_TOKEN_PREFIX } from '../helpers/keys.js';

/**
 * Hang detector, not a timing test: pathological 1 MB inputs must finish. A catastrophic regex or a
 * quadratic loop over 1 MB takes minutes to hours; a linear scan takes under a second for most
 * inputs and a few seconds for 50,000 key ids (each finding gets a content fingerprint). The bound
 * is far above that so a loaded shared machine cannot fail it (a 10 s bound did, at load 20).
 */
const MB = 1 << 20;
const BOUND_MS = 60_000;

function fill(unit: string, size = MB): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Base64 noise: the alphabet in a scrambled but fixed order. */
const BASE64_NOISE = fill('Qx7+Lm2/Zr9aKp4WcT1v8NbHs0ey3JdUo6GfRi5EjPlAYgtBXuCwFnSzOhIkDMqV');

const ids = Array.from({ length: 64 }, (_, i) => makeKeyId(i % 2 ? 'AKIA' : 'ASIA', { seed: 700 + i }));
const denseKeyIds = (separator: string, size = MB) => {
  const parts: string[] = [];
  for (let length = 0, i = 0; length < size; i++) {
    parts.push(ids[i % ids.length]!);
    length += 20 + separator.length;
  }
  return parts.join(separator);
};

const cases: Array<[string, () => string]> = [
  ['secret= then 1 MB of base64', () => `aws_secret_access_key=${BASE64_NOISE}`],
  ['1 MB of "AKIA"', () => fill('AKIA')],
  ['1 MB of "ASIA" with base32 digits', () => fill('ASIA2345')],
  ['secret= then 1 MB of %2F', () => `secret=${fill('%2F')}`],
  ['secret= then 1 MB of %2', () => `secret=${fill('%2')}`],
  ['secret= then alternating \\/ units', () => `"secret": "${fill('\\/')}`],
  ['secret= then alternating \\ and letters', () => `secret=${fill('\\a')}`],
  ['1 MB of "aws_secret_access_key " repeats', () => fill('aws_secret_access_key ')],
  ['1 MB of "aws_secret_access_key=" repeats', () => fill('aws_secret_access_key=')],
  ['1 MB of "secret" with no separator', () => fill('secret')],
  ['a keyword then 1 MB of separators', () => `aws_secret_access_key${fill(' =:"\'')}`],
  ['a keyword then 1 MB of &quot;', () => `secret${fill('&quot;')}`],
  ['keyword, value and type words repeated', () => fill('secret: string = value default ')],
  ['token prefix then 1 MB of base64', () => SESSION_TOKEN_PREFIX + BASE64_NOISE],
  ['1 MB of token prefixes', () => fill(SESSION_TOKEN_PREFIX)],
  ['1 MB of "session_token=" repeats', () => fill('session_token=')],
  ['session_token= then 1 MB of base64 with padding runs', () => `session_token=${fill('Ab1=')}`],
  ['x-amz-security-token: then 1 MB of %3D', () => `x-amz-security-token: ${fill('%3D')}`],
  ['1 MB of one letter', () => fill('A')],
  ['1 MB of newlines', () => fill('\n')],
  ['1 MB of keywarden:allow markers', () => fill('keywarden:allow ')],
  ['a key id then 1 MB of base64 (pairing window search)', () => `${ids[1]} ${BASE64_NOISE}`],
  ['1 MB of key ids on one line', () => denseKeyIds(' ')],
  ['1 MB of key ids, one per line', () => denseKeyIds('\n')],
  ['1 MB of key ids in CSV rows with 41-char values', () => denseKeyIds(`,${fill('aB3/', 41)},`)],
];

describe('pathological 1 MB inputs finish', () => {
  test.each(cases)(
    '%s',
    (_name, build) => {
      const text = build();
      expect(text.length).toBeGreaterThanOrEqual(MB);
      const started = performance.now();
      const result = scanText({ path: 'hostile.txt', text });
      expect(performance.now() - started).toBeLessThan(BOUND_MS);
      for (const finding of result.findings) expect(text.slice(finding.span.start, finding.span.end).length).toBeGreaterThan(0);
    },
    2 * BOUND_MS,
  );

  // Before the fix each key id searched to the end of the text for a candidate secret: 128 KB of key
  // ids took 24 s and 1 MB would have taken about half an hour.
  test(
    'every key id in a dense file is found, and secrets beside them still pair',
    () => {
      const secret = makeSecret(71);
      const text = `${denseKeyIds('\n')}\n${ids[3]} ${secret}\n`;
      const started = performance.now();
      const matches = findRawMatches(text);
      expect(performance.now() - started).toBeLessThan(BOUND_MS);
      expect(matches.filter((m) => m.ruleId !== 'aws-secret-access-key')).toHaveLength(Math.ceil(MB / 21) + 1);
      // Paired with the first key id (in catalog order) whose window holds it, as without the crowd.
      const paired = matches.filter((m) => m.ruleId === 'aws-secret-access-key');
      expect(paired.map((m) => m.value)).toEqual([secret]);
      expect(ids).toContain(paired[0]!.keyId);
    },
    2 * BOUND_MS,
  );

  test('a session token among thousands of key ids pairs with the nearest one', () => {
    const token = makeSessionToken(72, 600);
    const text = `${denseKeyIds(' ')} ${ids[5]} aws_session_token=${token} ${denseKeyIds(' ', 64 * 1024)}`;
    const tokens = findRawMatches(text).filter((m) => m.ruleId === 'aws-session-token');
    expect(tokens.map((m) => [m.value, m.keyId])).toEqual([[token, ids[5]]]);
  });
});

describe('no stack overflow on huge match counts', () => {
  // 250,000 key ids (5 MB, the default --max-file-size) used to throw "Maximum call stack size
  // exceeded": the matches were pushed as spread arguments.
  test('a 5 MB file holding 250,000 key ids', () => {
    const text = denseKeyIds('\n', 5 * MB);
    const result = scanText({ path: 'many.txt', text });
    expect(result.findings.length).toBe(Math.ceil((5 * MB) / 21));
  }, 180_000);
});
