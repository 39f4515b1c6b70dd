import {
  BASE64_UNIT,
  VALUE_INTRO,
  IDENTIFIER_TAIL,
  endsAtBase64Boundary,
  followsEscapedWhitespace,
  matchAllLocated,
  startsAtBase64Boundary,
} from '../src/core/patterns.js';
import { caseVariants } from '../src/core/anchors.js';
import { isExampleValue, isWrappedReference } from '../src/core/placeholders.js';
import { unescapeValue } from '../src/core/text.js';
import { isPlausibleSecret } from '../src/core/validators.js';
import { awsAccessKeyId } from './aws-access-key-id.js';
import { LONG_TERM_REMEDIATION, ROTATE_LONG_TERM_KEY } from './help.js';
import { KeyIdLocator, lowerBound, type Window } from './pairing.js';
import type { RawMatch, RuleDefinition } from './types.js';

/**
 * A secret access key is 40 chars of [A-Za-z0-9+/] (docs/aws-credentials.md, "Secret access keys") with nothing in it that says
 * "AWS", so alone it is indistinguishable from other base64. It is reported only (a) after a
 * secret keyword in any common syntax, or (b) near an access key id it pairs with.
 */
const KEYWORD = String.raw`(?:aws[_\-. ]?)?secret[_\-. ]?(?:access[_\-. ]?)?key|aws[_\-.]?secret|(?<=["'])secret(?=\\?["'])`;
export const KEYWORD_VALUE = new RegExp(`(?:${KEYWORD})${IDENTIFIER_TAIL}${VALUE_INTRO}(${BASE64_UNIT}{40})`, 'dyi');
/** Every KEYWORD holds "secret" 0 (`secret...`), 3 (`awssecret`) or 4 (`aws_secret`) characters after its start. */
export const SECRET_WORD_LEADS = [0, 3, 4];
/** Key id prefixes too unsure to pair a secret with (`A3T?`). */
const UNPAIRED_PREFIXES = (awsAccessKeyId.keyIdPrefixes ?? [])
  .filter((entry) => entry.pairs === false)
  .map((entry) => entry.prefix.replace('?', ''));
const CANDIDATE = new RegExp(`${BASE64_UNIT}{40}`, 'dg');

/**
 * Bare keys: `secret` as a whole key (`secret: ...` in YAML, `<secret>...</secret>` in XML,
 * `secret = "..."`), and a secret under the key id's name without its `_id` (`aws_access_key =
 * "..."`, a misnamed key: a key id is 20 characters, so 40 there is the secret). Neither is part of
 * a longer identifier. A bare `secret` says nothing about AWS, so it counts only with AWS context
 * nearby (see hasAwsContext); `aws_access_key` names AWS itself.
 */
const BARE_KEYWORD = String.raw`(?<![A-Za-z0-9_.\-])(?:(secret)|aws[_\-.]?access[_\-.]?key)(?![A-Za-z0-9_\-])`;
const BARE_KEYWORD_VALUE = new RegExp(`${BARE_KEYWORD}${VALUE_INTRO}(${BASE64_UNIT}{40})`, 'dyi');
/** Each bare keyword holds "secret" at its start or "access" 3 or 4 characters in (`awsaccess`, `aws_access`). */
const BARE_WORD_LEADS = [0, 3, 4];

/**
 * AWS context for a bare `secret`: within CONTEXT_LINES lines above or below it (and at most
 * CONTEXT_CHARS characters either way), the word "aws" (`AWS_REGION`, `aws:`, `awsRegion`; not
 * inside "laws" or "jaws"), `amazonaws.com`, an `AKIA`/`ASIA` key id, or a credentials-file section
 * (`[default]`, `[profile name]`). The window is a screen of config: wide enough for a YAML or XML
 * block that names the service a few keys above its secret, narrow enough that one mention of AWS
 * at the top of a long file does not vouch for every `secret` below it.
 */
export const CONTEXT_LINES = 10;
const CONTEXT_CHARS = 2048;
const AWS_CONTEXT =
  /(?<![A-Za-z])(?:aws|AWS|Aws)(?![a-z])|amazonaws\.com|(?<![A-Za-z0-9])A[KS]IA[A-Z2-7]{16}(?![A-Za-z0-9])|\[(?:default|profile [^\]\n]{1,64})\]/;

function contextWindow(text: string, start: number, end: number): string {
  let from = start;
  for (let seen = 0, limit = Math.max(0, start - CONTEXT_CHARS); from > limit; from--) {
    if (text.charCodeAt(from - 1) === 10 && ++seen > CONTEXT_LINES) break;
  }
  let to = end;
  for (let seen = 0, limit = Math.min(text.length, end + CONTEXT_CHARS); to < limit; to++) {
    if (text.charCodeAt(to) === 10 && ++seen > CONTEXT_LINES) break;
  }
  return text.slice(from, to);
}

function hasAwsContext(text: string, start: number, end: number): boolean {
  return AWS_CONTEXT.test(contextWindow(text, start, end));
}

function secretMatch(text: string, start: number, end: number, confidence: RawMatch['confidence'], keyId?: string): RawMatch {
  const value = unescapeValue(text.slice(start, end));
  return { ruleId: 'aws-secret-access-key', start, end, value, confidence, example: isExampleValue(value), keyId };
}

function findByKeyword(text: string, hits: readonly number[], locator: KeyIdLocator): RawMatch[] {
  const found: RawMatch[] = [];
  for (const match of matchAllLocated(text, hits, KEYWORD_VALUE, SECRET_WORD_LEADS)) {
    const [start, end] = match.indices![1]!;
    if (!endsAtBase64Boundary(text, end) || isWrappedReference(text.slice(Math.max(0, start - 3), start))) continue;
    const candidate = secretMatch(text, start, end, 'high');
    if (!isPlausibleSecret(candidate.value, 'keyword')) continue;
    candidate.keyId = locator.nearest(start)?.value;
    found.push(candidate);
  }
  return found;
}

/** Bare-key secrets not already found by keyword: medium confidence, a bare `secret` only with AWS context. */
function findByBareKeyword(text: string, hits: readonly number[], locator: KeyIdLocator, taken: Set<number>): RawMatch[] {
  const found: RawMatch[] = [];
  for (const match of matchAllLocated(text, hits, BARE_KEYWORD_VALUE, BARE_WORD_LEADS)) {
    const [start, end] = match.indices![2]!;
    if (taken.has(start) || !endsAtBase64Boundary(text, end) || isWrappedReference(text.slice(Math.max(0, start - 3), start))) continue;
    const candidate = secretMatch(text, start, end, 'medium');
    if (!isPlausibleSecret(candidate.value, 'keyword')) continue;
    if (match[1] !== undefined && !hasAwsContext(text, match.index, end)) continue;
    candidate.keyId = locator.nearest(start)?.value;
    taken.add(start);
    found.push(candidate);
  }
  return found;
}

interface Candidate {
  start: number;
  end: number;
  plausible?: boolean;
}

/**
 * Every standalone 40-char base64 value inside the key ids' pairing windows. The windows are merged
 * first and each merged stretch is searched once, on its own slice: searching from each key id's
 * window with a global regex would run on to the end of the text whenever a window holds no
 * candidate (a CloudTrail log full of key ids took minutes), and searching the whole text costs a
 * large file with one key id a full extra pass.
 */
function candidatesNear(text: string, windows: readonly Window[]): Candidate[] {
  const candidates: Candidate[] = [];
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  let index = 0;
  while (index < sorted.length) {
    const start = sorted[index]!.start;
    let end = sorted[index]!.end;
    for (index++; index < sorted.length && sorted[index]!.start <= end; index++) end = Math.max(end, sorted[index]!.end);
    const slice = text.slice(start, end);
    const pattern = new RegExp(CANDIDATE.source, 'dg');
    for (let match = pattern.exec(slice); match; match = pattern.exec(slice)) {
      const [from, to] = match.indices![0]!;
      const candidate = { start: start + from, end: start + to };
      if (startsAtBase64Boundary(text, candidate.start) && endsAtBase64Boundary(text, candidate.end)) candidates.push(candidate);
      // The letter of a `\n` or `\t` escape (a JSON string's line break) is no part of the value after it.
      else if (followsEscapedWhitespace(text, candidate.start + 1)) pattern.lastIndex = from + 1;
    }
  }
  return candidates;
}

function findByPairing(text: string, keyIds: readonly RawMatch[], locator: KeyIdLocator, taken: Set<number>): RawMatch[] {
  if (keyIds.length === 0) return [];
  const candidates = candidatesNear(
    text,
    keyIds.map((keyId) => locator.window(keyId)),
  );
  const found: RawMatch[] = [];
  for (const keyId of keyIds) {
    const window = locator.window(keyId);
    for (let i = lowerBound(candidates, window.start, (candidate) => candidate.start); i < candidates.length; i++) {
      const candidate = candidates[i]!;
      if (candidate.start >= window.end) break;
      if (taken.has(candidate.start) || candidate.end > window.end) continue;
      const match = secretMatch(text, candidate.start, candidate.end, 'medium', keyId.value);
      candidate.plausible ??= isPlausibleSecret(match.value, 'paired');
      if (!candidate.plausible) continue;
      taken.add(candidate.start);
      found.push(match);
    }
  }
  return found;
}

export const awsSecretAccessKey: RuleDefinition = {
  id: 'aws-secret-access-key',
  name: 'AwsSecretAccessKey',
  title: 'AWS secret access key in source',
  description:
    'Finds 40-character AWS secret access keys written after a secret keyword (env files, INI, JSON, YAML, HCL, XML, Python keyword arguments, JavaScript objects, PHP arrays, shell exports, Dockerfile ENV), under a bare `secret` key (YAML, XML, assignments) when AWS is named within 10 lines, under a misnamed `aws_access_key`, or near an access key ID they pair with (a constructor call, an IAM console CSV export, the next lines). JSON-escaped (`\\/`) and URL-encoded (`%2F`, `%2B`) forms are decoded, and so are base64, HTML character references and \\u escapes (the finding points at the encoded text). Hex strings (SHA-1 digests), placeholders, references such as `${VAR}` and low-entropy strings are not reported.',
  help: `An AWS secret access key was found in the source. With its access key ID it signs requests as the IAM user that owns it, with all of that user's permissions.\n\n${ROTATE_LONG_TERM_KEY}`,
  level: 'error',
  securitySeverity: '9.5',
  precision: 'high',
  tags: ['security', 'secret', 'aws', 'credential', 'external/cwe/cwe-798'],
  kind: 'secret',
  noun: 'AWS secret access key',
  environmentVariable: 'AWS_SECRET_ACCESS_KEY',
  remediation: LONG_TERM_REMEDIATION,
  // Every keyword contains "secret" or "access key" in one of its usual casings; pairing runs whenever key ids were found.
  anchors: [...caseVariants('secret'), 'access_key', 'ACCESS_KEY', 'accessKey', 'AccessKey', 'access-key', 'ACCESS-KEY', 'access.key'],
  pairsWithKeyIds: true,
  detect(text, context) {
    const locator = new KeyIdLocator(text, context.keyIds);
    // Every "secret" starts a keyword search, every leftmost "secret" or "access" a bare-key one.
    const hits = context.keywordHits();
    const byKeyword = findByKeyword(text, hits.secret, locator);
    const taken = new Set(byKeyword.map((match) => match.start));
    const byBareKeyword = findByBareKeyword(text, hits.bare, locator, taken);
    const pairable = context.keyIds.filter((keyId) => !UNPAIRED_PREFIXES.some((prefix) => keyId.value.startsWith(prefix)));
    return [...byKeyword, ...byBareKeyword, ...findByPairing(text, pairable, locator, taken)].sort((a, b) => a.start - b.start);
  },
};
