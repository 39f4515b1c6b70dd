import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { KEYWORD_VALUE, SECRET_WORD_LEADS } from '../../rules/aws-secret-access-key.js';
import { BY_KEYWORD, TOKEN_WORD_LEADS } from '../../rules/aws-session-token.js';
import { keywordHits } from '../../src/core/keyword-hits.js';
import { matchAllLocated } from '../../src/core/patterns.js';
import { makeSecret } from '../helpers/keys.js';

/** The secret rule finds keyword matches from "secret" hits; they must be exactly matchAll's. */
const everywhere = new RegExp(KEYWORD_VALUE.source, 'dgi');
const spans = (matches: Iterable<RegExpExecArray>) => [...matches].map((match) => [match.index, match[0].length, match.indices![1]![0]]);

const piece = fc.oneof(
  fc.constantFrom(
    'aws_secret_access_key',
    'AWS_SECRET_ACCESS_KEY',
    'awsSecret',
    'aws-secret',
    'AWSSECRET',
    'secret_key',
    'SecretAccessKey',
    'sEcReT kEy',
    '"secret"',
    "'secret'",
    'secret',
    'aws',
    'AWS_',
    '=',
    ': ',
    ' = ',
    '"',
    "'",
    '\n',
    ' ',
    'value=',
    'string ',
    '\\/',
    '%2F',
    'x',
  ),
  fc.integer({ min: 1, max: 500 }).map((seed) => makeSecret(seed)),
  fc.string({ maxLength: 6 }),
);

describe('matchAllLocated', () => {
  test('gives the same matches as matchAll for the secret keyword pattern', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(spans(matchAllLocated(text, keywordHits(text).secret, KEYWORD_VALUE, SECRET_WORD_LEADS))).toEqual(
          spans(text.matchAll(everywhere)),
        );
      }),
      { numRuns: 400 },
    );
  });

  test('overlapping candidates: the leftmost match wins and the next search starts after it', () => {
    const secret = makeSecret(7);
    const text = `aws_secret_access_key = ${secret} secret_key=${makeSecret(8)} AWS_SECRET ${secret}`;
    const found = spans(matchAllLocated(text, keywordHits(text).secret, KEYWORD_VALUE, SECRET_WORD_LEADS));
    expect(found).toEqual(spans(text.matchAll(everywhere)));
    expect(found).toHaveLength(3);
  });
});

describe('matchAllLocated for the session-token keyword pattern', () => {
  const everywhereToken = new RegExp(BY_KEYWORD.source, 'dgi');
  const tokenPiece = fc.oneof(
    fc.constantFrom(
      'aws_session_token',
      'AWS_SESSION_TOKEN',
      'aws-security-token',
      'awsSessionToken',
      'SessionToken',
      'sessiontoken',
      'security token',
      'x-amz-security-token',
      'X-Amz-Security-Token',
      'sEsSiOn_ToKeN',
      'token',
      'session',
      'aws',
      '=',
      ': ',
      '"',
      '\n',
      '\\n',
      ' ',
      'value=',
      'IQoJb3JpZ2luX2Vj',
      'x',
    ),
    fc.string({ maxLength: 6 }),
  );
  test('gives the same matches as matchAll, from "token" hits', () => {
    fc.assert(
      fc.property(fc.array(tokenPiece, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(spans(matchAllLocated(text, keywordHits(text).token, BY_KEYWORD, TOKEN_WORD_LEADS))).toEqual(
          spans(text.matchAll(everywhereToken)),
        );
      }),
      { numRuns: 600 },
    );
  });
});

describe('keywordHits: one pass for the secret and session-token rules’ keyword searches', () => {
  const word = fc.oneof(
    fc.constantFrom(
      'secret',
      'SECRET',
      'Secret',
      'access',
      'ACCESS',
      'accessecret',
      'secretaccess',
      'secretoken',
      'token',
      'TOKEN',
      'tOkEn',
      'tokensecret',
      'acces',
      'secre',
      'toke',
      's',
      'a',
      't',
      'x',
      '_',
    ),
    fc.string({ maxLength: 4 }),
  );
  test('the same hits as a global /secret/gi, /secret|access/gi and /token/gi, overlapping words included', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const hits = keywordHits(text);
        expect(hits.secret).toEqual(Array.from(text.matchAll(/secret/gi), (hit) => hit.index));
        expect(hits.bare).toEqual(Array.from(text.matchAll(/secret|access/gi), (hit) => hit.index));
        expect(hits.token).toEqual(Array.from(text.matchAll(/token/gi), (hit) => hit.index));
      }),
      { numRuns: 1000 },
    );
  });

  test('"accessecret" and "secretoken": words inside others are hits though the bare search passes over them', () => {
    expect(keywordHits('accessecret')).toEqual({ secret: [5], bare: [0], token: [] });
    expect(keywordHits('secretoken')).toEqual({ secret: [0], bare: [0], token: [5] });
  });
});
