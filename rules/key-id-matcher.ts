import { accountIdFromKeyId, isModernKeyId } from '../src/core/account.js';
import { keyIdTailKind } from '../src/core/validators.js';
import { endsAtWordBoundary, startsAtBoundary } from '../src/core/patterns.js';
import type { Confidence, RuleId } from '../src/core/types.js';
import type { KeyIdPrefix, RawMatch } from './types.js';

/**
 * Key ids are 20 chars: a 4-char prefix (docs/aws-credentials.md, "Identifier prefixes") and 16 chars that are
 * base32 in practice. The pattern accepts [A-Z0-9] so documentation examples that are not base32
 * can be recognised and counted; `keyIdTailKind` rejects every other non-base32 tail.
 */
export function findKeyIds(text: string, ruleId: RuleId, prefixes: readonly KeyIdPrefix[]): RawMatch[] {
  const alternatives = prefixes.map(({ prefix }) => prefix.replace('?', '[A-Z0-9]')).join('|');
  const pattern = new RegExp(`(?:${alternatives})[A-Z0-9]{16}`, 'dg');
  const matches: RawMatch[] = [];
  for (const match of text.matchAll(pattern)) {
    const [start, end] = match.indices![0]!;
    if (!startsAtBoundary(text, start) || !endsAtWordBoundary(text, end)) continue;
    const value = match[0];
    const kind = keyIdTailKind(value.slice(4));
    if (kind === 'invalid') continue;
    const prefixConfidence = prefixes.find(({ prefix }) => value.startsWith(prefix.replace('?', '')))?.confidence ?? 'low';
    // A modern id (generation bit set) must decode to a 12-digit account; one that does not is not
    // a key AWS issued, so it is still reported but trusted less.
    const confidence = isModernKeyId(value) && accountIdFromKeyId(value) === null ? lower(prefixConfidence) : prefixConfidence;
    matches.push({ ruleId, start, end, value, confidence, example: kind === 'example' });
  }
  return matches;
}

function lower(confidence: Confidence): Confidence {
  return confidence === 'high' ? 'medium' : 'low';
}
