import {
  BASE64_UNIT,
  VALUE_INTRO,
  IDENTIFIER_TAIL,
  base64ValueEnd,
  endsAtBase64Boundary,
  matchAllLocated,
  startsAtBase64Boundary,
} from '../src/core/patterns.js';
import { keywordVariants } from '../src/core/anchors.js';
import { isExampleValue } from '../src/core/placeholders.js';
import { unescapeValue } from '../src/core/text.js';
import { isPlausibleSessionToken } from '../src/core/validators.js';
import { TEMPORARY_CREDENTIALS, TEMPORARY_REMEDIATION } from './help.js';
import { KeyIdLocator } from './pairing.js';
import type { RawMatch, RuleDefinition } from './types.js';

/**
 * STS session tokens are base64 of a binary structure with no fixed size; their first bytes
 * encode to a few known prefixes (docs/aws-credentials.md, "Session tokens"). Elsewhere a long base64 value
 * counts only after a session-token keyword.
 */
const KNOWN_PREFIXES = ['IQoJb3JpZ2luX2Vj', 'FwoGZXIvYXdzE', 'FQoGZXIvYXdzE', 'AQoDYXdzE'];
// Each regex matches only the start of a value (a known prefix, or a keyword and the value's first
// unit); base64ValueEnd extends it in a plain loop and tokenMatch enforces the minimum length. An
// open-ended `{100,}` overflows V8's regex stack on a multi-megabyte token-like run, and a counted
// `{100}` is unrolled by the regex compiler into code that cost workers ~70 MB of memory.
const BY_PREFIX = new RegExp(`(?:${KNOWN_PREFIXES.join('|')})`, 'dg');
const KEYWORD = String.raw`(?:aws[_\-. ]?)?(?:session|security)[_\-. ]?token|x-amz-security-token`;
export const BY_KEYWORD = new RegExp(`(?:${KEYWORD})${IDENTIFIER_TAIL}${VALUE_INTRO}(${BASE64_UNIT})`, 'dyi');
/**
 * Where "token" stands in a KEYWORD match, from its start: `aws` and a separator (0, 3 or 4
 * characters), `session` or `security` (7 or 8), a separator (0 or 1); or 15 in x-amz-security-token.
 */
export const TOKEN_WORD_LEADS = [7, 8, 9, 10, 11, 12, 13, 15];
const MIN_TOKEN_LENGTH = 100;

function tokenMatch(
  text: string,
  start: number,
  end: number,
  confidence: RawMatch['confidence'],
  locator: KeyIdLocator,
): RawMatch | undefined {
  if (!startsAtBase64Boundary(text, start) || !endsAtBase64Boundary(text, end)) return undefined;
  const value = unescapeValue(text.slice(start, end));
  if (value.length < MIN_TOKEN_LENGTH || !isPlausibleSessionToken(value)) return undefined;
  const keyId = locator.nearest(start)?.value;
  return { ruleId: 'aws-session-token', start, end, value, confidence, example: isExampleValue(value), keyId };
}

export const awsSessionToken: RuleDefinition = {
  id: 'aws-session-token',
  name: 'AwsSessionToken',
  title: 'AWS session token in source',
  description:
    'Finds STS session tokens: base64 values of 100 or more characters that start with a known token prefix (IQoJb3JpZ2luX2Vj, FwoGZXIvYXdzE, FQoGZXIvYXdzE, AQoDYXdzE) or follow a session-token keyword (aws_session_token, SessionToken, x-amz-security-token).',
  help: `An AWS session token was found in the source. With its temporary access key ID and secret it acts as the role or user that requested it until it expires.\n\n${TEMPORARY_CREDENTIALS}`,
  level: 'error',
  securitySeverity: '8.5',
  precision: 'high',
  tags: ['security', 'secret', 'aws', 'credential', 'external/cwe/cwe-798'],
  kind: 'session-token',
  noun: 'AWS session token',
  environmentVariable: 'AWS_SESSION_TOKEN',
  remediation: TEMPORARY_REMEDIATION,
  // "token" and "session" alone are too common in code to be useful anchors; the keywords join them.
  anchors: [...KNOWN_PREFIXES, ...keywordVariants(['session', 'security'], 'token')],
  detect(text, context) {
    const locator = new KeyIdLocator(text, context.keyIds);
    const found = new Map<number, RawMatch>();
    /** Each regex match, its value extended to the end of the base64 run; matches inside a value already taken are skipped. */
    const values = (matches: Iterable<RegExpExecArray>, group: number): Array<[number, number]> => {
      const spans: Array<[number, number]> = [];
      let taken = 0;
      for (const match of matches) {
        const [start, prefixEnd] = match.indices![group]!;
        if (start < taken) continue;
        taken = base64ValueEnd(text, prefixEnd);
        spans.push([start, taken]);
      }
      return spans;
    };
    for (const [start, end] of values(text.matchAll(BY_PREFIX), 0)) {
      const token = tokenMatch(text, start, end, 'high', locator);
      if (token) found.set(start, token);
    }
    // Every keyword holds "token": the keyword regex is tried only before a "token" hit.
    for (const [start, end] of values(matchAllLocated(text, context.keywordHits().token, BY_KEYWORD, TOKEN_WORD_LEADS), 1)) {
      if (found.has(start)) continue;
      const token = tokenMatch(text, start, end, 'medium', locator);
      if (token) found.set(start, token);
    }
    return [...found.values()].sort((a, b) => a.start - b.start);
  },
};
