/**
 * Runs keywarden on one peer sample in memory and says what happened: each credential in a
 * positive sample is found, found only as a documentation example, or missed (with a probable
 * reason); a negative sample is silent or a false positive.
 */
import { scanText } from '../../dist-bundle/index.js';
import { credentialCandidates, kindOfValue } from './peer-samples.js';

/** First 8 characters only: the list of misses is printed and may be pasted into reports. */
export const redact = (value) => (value ? `${value.slice(0, 8)}…(${value.length})` : '(none)');

function entropy(text) {
  const counts = new Map();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

const PLACEHOLDER_WORDS = /example|fake|dummy|sample|test|your|placeholder|deadbeef|abcdefgh|xxxx/i;
const SECRET_KEYWORD = /secret[_\-. ]?(?:access[_\-. ]?)?key|aws[_\-.]?secret/i;
const SESSION_KEYWORD = /(?:session|security)[_\-. ]?token|x-amz-security-token/i;
const IAM_UNIQUE_ID_PREFIXES = /^(AGPA|AIDA|AROA|AIPA|ANPA|ANVA)/;

/**
 * Why keywarden probably did not report a value: the bench's own reading of the value's shape
 * against keywarden's documented validation (rules/*.md), not keywarden's internal verdict.
 */
export function missCategory(value, kind, text = '') {
  if (value === null) return 'no credential-shaped value in the sample';
  if (kind === 'bedrock') return 'form not supported (Amazon Bedrock API key)';
  if (kind === 'key-id') {
    if (IAM_UNIQUE_ID_PREFIXES.test(value)) return 'not an access key (IAM unique-id prefix)';
    if (/[^A-Z2-7]/.test(value.slice(4))) return 'key id not base32 (0, 1, 8 or 9 in the tail)';
    if (/(.)\1{4,}/.test(value) || PLACEHOLDER_WORDS.test(value)) return 'placeholder or repeated characters';
    return 'other (key id)';
  }
  if (kind === 'secret') {
    const docExample = /EXAMPLEKEY$/.test(value);
    if (/(.)\1{4,}/.test(value) || entropy(value) < 3.8) return 'secret: repeated characters or low entropy';
    if (/^[0-9a-fA-F]+$/.test(value)) return 'secret: hex (SHA-1 shaped)';
    if (!/[A-Z]/.test(value) || !/[a-z]/.test(value)) return 'secret: not mixed case';
    if (!docExample && PLACEHOLDER_WORDS.test(value)) return 'secret: placeholder words';
    // keywarden takes a secret after a secret-key keyword, or paired with a valid key id (rules/aws-secret-access-key.md).
    if (!SECRET_KEYWORD.test(text))
      return `secret${docExample ? ' (documentation example)' : ''}: no secret-key keyword and no valid key id to pair with`;
    return 'secret: other';
  }
  if (kind === 'session-token') {
    if (/^eyJ/.test(value) || value.includes('.')) return 'session token: a JWT, not an STS token';
    if (value.replace(/=+$/, '').length < 100) return 'session token: shorter than 100 characters';
    if (!SESSION_KEYWORD.test(text)) return 'session token: no session-token keyword ("session" alone) and no known token prefix';
    return 'session token: other';
  }
  return 'other';
}

function occurrences(text, value) {
  const at = [];
  for (let i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1)) at.push(i);
  return at;
}

const overlaps = (finding, starts, length) => starts.some((start) => finding.span.start < start + length && start < finding.span.end);

export function classifySample(sample) {
  const { findings, examples } = scanText({ path: sample.fileName, text: sample.text });
  const base = { peer: sample.peer, rule: sample.rule, label: sample.label, fileName: sample.fileName, polarity: sample.polarity };
  if (sample.polarity === 'negative') {
    if (findings.length)
      return [{ ...base, status: 'false-positive', findings: findings.map((f) => ({ ruleId: f.ruleId, redacted: redact(f.match) })) }];
    return [{ ...base, status: examples.length ? 'silent-example' : 'silent' }];
  }
  const units = sample.expected
    ? sample.expected.map((value) => ({ value, kind: kindOfValue(value, sample.kinds) }))
    : credentialCandidates(sample.text, sample.kinds);
  if (units.length === 0) units.push({ value: null, kind: sample.kinds[0] });
  return units.map(({ value, kind }) => {
    const unit = { ...base, kind, redacted: redact(value) };
    if (value === null) return { ...unit, status: 'missed', category: missCategory(null, kind) };
    const starts = occurrences(sample.text, value);
    const hit = findings.find((f) => overlaps(f, starts, value.length));
    if (hit) return { ...unit, status: 'found', ruleId: hit.ruleId };
    const example = examples.find((f) => overlaps(f, starts, value.length));
    if (example)
      return { ...unit, status: 'example', ruleId: example.ruleId, category: 'documentation example key (counted, not reported)' };
    return { ...unit, status: 'missed', category: missCategory(value, kind, sample.text) };
  });
}

/**
 * Misses by what they say about keywarden: a fake value its validation rejects on purpose (not
 * base32, placeholder, low entropy, JWT), a credential form it does not detect, or a real-looking
 * value it did not find in that context.
 */
export function missGroup(category) {
  if (category.startsWith('form not supported')) return 'form not supported';
  if (/not base32|placeholder|repeated|low entropy|hex|mixed case|JWT|IAM unique-id|shorter than|letters only/.test(category))
    return 'fake value rejected';
  return 'not found in context';
}

export function summarize(outcomes) {
  const flat = outcomes.flat();
  const count = (status) => flat.filter((o) => o.status === status).length;
  const missCategories = {};
  const missGroups = { 'fake value rejected': 0, 'form not supported': 0, 'not found in context': 0 };
  for (const o of flat) {
    if (o.status !== 'missed') continue;
    missCategories[o.category] = (missCategories[o.category] ?? 0) + 1;
    missGroups[missGroup(o.category)]++;
  }
  return {
    positives: flat.filter((o) => o.polarity === 'positive').length,
    found: count('found'),
    examples: count('example'),
    missed: count('missed'),
    negatives: flat.filter((o) => o.polarity === 'negative').length,
    falsePositives: count('false-positive'),
    silentAsExample: count('silent-example'),
    missCategories,
    missGroups,
  };
}
