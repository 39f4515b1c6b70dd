import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { detect } from '../helpers/engine.js';
import { isPlaceholder } from '../../src/core/placeholders.js';
import { makeKeyId } from '../helpers/keys.js';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const base64Secret = fc
  .array(fc.integer({ min: 0, max: 63 }), { minLength: 40, maxLength: 40 })
  .map((digits) => digits.map((d) => BASE64[d]).join(''));
/**
 * What random base64 may rightly be dropped for: a run of five equal characters or six in
 * alphabet order (`ABCDEF`, `012345`), as people type placeholders. Random text holds
 * one about once in 10^7 secrets; 20,000 runs met one now and then, so the property names them.
 */
const typedPattern = (secret: string) => /(.)\1{4,}/.test(secret) || SEQUENCE_SOURCES.some((sequence) => holdsSlice(secret, sequence, 6));
const SEQUENCE_SOURCES = ['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'];
function holdsSlice(text: string, sequence: string, length: number): boolean {
  for (let i = 0; i + length <= sequence.length; i++) if (text.includes(sequence.slice(i, i + length))) return true;
  return false;
}

/** A placeholder word in a random mix of cases, as random base64 spells one now and then. */
const wordInRandomCase = fc
  .tuple(
    fc.constantFrom('your', 'fake', 'todo', 'dummy', 'sample', 'insert', 'secretkey', 'accesskey', 'redacted', 'replace', 'changeme'),
    fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
  )
  .map(([word, upper]) => [...word].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(''))
  .filter((word) => word !== word.toLowerCase() && word !== word.toUpperCase() && !/^[A-Z][a-z]+$/.test(word));

describe('placeholders are words, not substrings of random text', () => {
  test('random 40-char base64 secrets are never dropped as placeholders', () => {
    fc.assert(
      fc.property(base64Secret, (secret) => !isPlaceholder(secret) || typedPattern(secret)),
      { numRuns: 20_000 },
    );
    // The seed that once drew a secret holding `ABCDEF`.
    fc.assert(
      fc.property(base64Secret, (secret) => !isPlaceholder(secret) || typedPattern(secret)),
      { numRuns: 20_000, seed: 395246496 },
    );
  });

  test('nor when they contain a placeholder word in a mixed case (yOuR, faKE): the old case-insensitive test dropped ~1 in 7,000', () => {
    fc.assert(
      fc.property(base64Secret, wordInRandomCase, fc.nat(), (secret, word, at) => {
        const position = at % (40 - word.length);
        const spliced = secret.slice(0, position) + word + secret.slice(position + word.length);
        expect([spliced, isPlaceholder(spliced) && !typedPattern(spliced)]).toEqual([spliced, false]);
      }),
      { numRuns: 2_000 },
    );
  });

  test('the placeholders people write are still not reported', () => {
    const id = makeKeyId('AKIA', { seed: 171 });
    for (const value of [
      'YourSecretAccessKeyGoesHere1234567890abc',
      'yoursecretaccesskeygoeshereReplaceMe1234',
      'FAKESECRETACCESSKEYFORTESTS+4Nq7xZ2pLm9Q',
      'ThisIsAFakeSecretKeyForTheUnitTests/4Nq7',
      'PlaceholderSecretValue/changeme/4Nq7xZ2p',
      'x'.repeat(40),
    ]) {
      expect(value).toHaveLength(40);
      expect([value, detect(`aws_secret_access_key = ${value}\n`)]).toEqual([value, []]);
      expect([value, detect(`${id}\n${value}\n`).map((f) => f.ruleId)]).toEqual([value, ['aws-access-key-id']]);
    }
    for (const tail of ['FAKEACCESSKEYID2', 'YOURACCESSKEY234', 'PLACEHOLDER23456', 'REDACTEDREDACTED', 'X'.repeat(16)]) {
      expect([tail, detect(`AWS_ACCESS_KEY_ID=AKIA${tail}`)]).toEqual([tail, []]);
    }
  });

  test('a real key ID tail that happens to hold a placeholder word is reported', () => {
    // FAKE and TODO alone are a quarter of a 16-char tail: chance, not intent.
    for (const tail of ['FAKE2JQ3KZ4MNPR5', 'TODOZ4J2KWQ7NRMP', 'Q7YOURZ4J2KWNRMP']) {
      expect([tail, detect(`id = AKIA${tail}`).length]).toEqual([tail, 1]);
    }
  });
});
