import { BASE64_UNIT, VALUE_INTRO, IDENTIFIER_TAIL, endsAtBase64Boundary, startsAtBase64Boundary } from '../src/core/patterns.js';
import { caseVariants } from '../src/core/anchors.js';
import { isExampleValue, isWrappedReference } from '../src/core/placeholders.js';
import { unescapeValue } from '../src/core/text.js';
import { isPlausibleSecret } from '../src/core/validators.js';
import { ROTATE_LONG_TERM_KEY } from './help.js';
import { nearestKeyId, pairingWindow } from './pairing.js';
import type { RawMatch, RuleDefinition } from './types.js';

/**
 * A secret access key is 40 chars of [A-Za-z0-9+/] (AWS-FACTS.md) with nothing in it that says
 * "AWS", so alone it is indistinguishable from other base64. It is reported only (a) after a
 * secret keyword in any common syntax, or (b) near an access key id it pairs with.
 */
const KEYWORD = String.raw`(?:aws[_\-. ]?)?secret[_\-. ]?(?:access[_\-. ]?)?key|aws[_\-.]?secret|(?<=["'])secret(?=\\?["'])`;
const KEYWORD_VALUE = new RegExp(`(?:${KEYWORD})${IDENTIFIER_TAIL}${VALUE_INTRO}(${BASE64_UNIT}{40})`, 'dgi');
const CANDIDATE = new RegExp(`${BASE64_UNIT}{40}`, 'dg');

function secretMatch(text: string, start: number, end: number, confidence: RawMatch['confidence'], keyId?: string): RawMatch {
  const value = unescapeValue(text.slice(start, end));
  return { ruleId: 'aws-secret-access-key', start, end, value, confidence, example: isExampleValue(value), keyId };
}

function findByKeyword(text: string, keyIds: readonly RawMatch[]): RawMatch[] {
  const found: RawMatch[] = [];
  for (const match of text.matchAll(KEYWORD_VALUE)) {
    const [start, end] = match.indices![1]!;
    if (!endsAtBase64Boundary(text, end) || isWrappedReference(text.slice(Math.max(0, start - 3), start))) continue;
    const candidate = secretMatch(text, start, end, 'high');
    if (!isPlausibleSecret(candidate.value, 'keyword')) continue;
    candidate.keyId = nearestKeyId(text, start, keyIds)?.value;
    found.push(candidate);
  }
  return found;
}

function findByPairing(text: string, keyIds: readonly RawMatch[], taken: Set<number>): RawMatch[] {
  const found: RawMatch[] = [];
  for (const keyId of keyIds) {
    const window = pairingWindow(text, keyId);
    CANDIDATE.lastIndex = window.start;
    for (let match = CANDIDATE.exec(text); match && match.index < window.end; match = CANDIDATE.exec(text)) {
      const [start, end] = match.indices![0]!;
      if (taken.has(start) || end > window.end) continue;
      if (!startsAtBase64Boundary(text, start) || !endsAtBase64Boundary(text, end)) continue;
      const candidate = secretMatch(text, start, end, 'medium', keyId.value);
      if (!isPlausibleSecret(candidate.value, 'paired')) continue;
      taken.add(start);
      found.push(candidate);
    }
  }
  return found;
}

export const awsSecretAccessKey: RuleDefinition = {
  id: 'aws-secret-access-key',
  name: 'AwsSecretAccessKey',
  title: 'AWS secret access key in source',
  description:
    'Finds 40-character AWS secret access keys written after a secret keyword (env files, INI, JSON, YAML, HCL, XML, Python keyword arguments, JavaScript objects, PHP arrays, shell exports, Dockerfile ENV) or near an access key ID they pair with (a constructor call, an IAM console CSV export, the next lines). JSON-escaped (`\\/`) and URL-encoded (`%2F`, `%2B`) forms are decoded. Hex strings (SHA-1 digests), placeholders, references such as `${VAR}` and low-entropy strings are not reported.',
  help: `An AWS secret access key was found in the source. With its access key ID it signs requests as the IAM user that owns it, with all of that user's permissions.\n\n${ROTATE_LONG_TERM_KEY}`,
  level: 'error',
  securitySeverity: '9.5',
  precision: 'high',
  tags: ['security', 'secret', 'aws', 'credential', 'external/cwe/cwe-798'],
  // The keyword always contains "secret" in one of its usual casings; pairing runs whenever key ids were found.
  anchors: caseVariants('secret'),
  pairsWithKeyIds: true,
  detect(text, context) {
    const byKeyword = findByKeyword(text, context.keyIds);
    const taken = new Set(byKeyword.map((match) => match.start));
    const pairable = context.keyIds.filter((keyId) => !keyId.value.startsWith('A3T'));
    return [...byKeyword, ...findByPairing(text, pairable, taken)].sort((a, b) => a.start - b.start);
  },
};
