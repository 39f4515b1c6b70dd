import {
  LONG_TERM_PREFIX,
  MAX_SHORT_TERM_SECONDS,
  SHORT_TERM_HOST_BASE64,
  SHORT_TERM_PREFIX,
  decodeBase64Text,
  parseLongTermKey,
  parseShortTermKey,
} from '../src/core/bedrock.js';
import { base64ValueEnd, endsAtBase64Boundary, startsAtBase64Boundary, startsAtBoundary } from '../src/core/patterns.js';
import { isExampleValue, isPlaceholder } from '../src/core/placeholders.js';
import { unescapeValue } from '../src/core/text.js';
import { isPlausibleSessionToken } from '../src/core/validators.js';
import type { RawMatch, Remediation, RuleDefinition } from './types.js';

/**
 * Amazon Bedrock User Guide, "API keys": a long-term key is an IAM service-specific credential,
 * deleted or reset in IAM; a short-term one is a presigned URL that lives at most 12 hours, ended
 * early by revoking the signing role's sessions. The SDKs read either from AWS_BEARER_TOKEN_BEDROCK.
 */
const LONG_TERM_REMEDIATION: Remediation = {
  report: 'Remove it, then delete or reset this service-specific credential in IAM; prefer short-term keys.',
  editor:
    'Move it to the environment (AWS_BEARER_TOKEN_BEDROCK) or a secret manager, then delete or reset this service-specific credential in IAM.',
};
const SHORT_TERM_EDITOR =
  "Move it to the environment (AWS_BEARER_TOKEN_BEDROCK) or a secret manager; it expires within 12 hours, sooner if you revoke the signing role's active sessions.";
const SHORT_TERM_REMEDIATION: Remediation = {
  report: "Remove it; it expires within 12 hours, sooner if you revoke the signing role's active sessions.",
  editor: SHORT_TERM_EDITOR,
};
const EXPIRED_REMEDIATION: Remediation = {
  report: 'Expired short-term key: remove it and find out how it was written down.',
  editor: SHORT_TERM_EDITOR,
};

// Each prefix is found by a literal; base64ValueEnd then extends the value in a plain loop (an
// open-ended regex quantifier overflows V8's regex stack on multi-megabyte base64 runs).
const PREFIXES = new RegExp(`${LONG_TERM_PREFIX}|${SHORT_TERM_PREFIX}`, 'dg');

/**
 * A long-term key whose body does not decode to the documented layout is still reported (at low
 * confidence, with no account) when it has the length public detectors use for the form, 109 to 269
 * base64 characters, and looks random: the layout is inferred from AWS's API reference and a few
 * public samples, not promised by AWS.
 */
const LONG_TERM_UNDECODED_LENGTH = { min: 109, max: 269 };

function longTermKey(text: string, start: number): RawMatch | undefined {
  if (!startsAtBase64Boundary(text, start)) return undefined;
  const bodyStart = start + LONG_TERM_PREFIX.length;
  const end = base64ValueEnd(text, bodyStart);
  if (end === bodyStart || !endsAtBase64Boundary(text, end)) return undefined;
  const value = unescapeValue(text.slice(start, end));
  const body = value.slice(LONG_TERM_PREFIX.length);
  const decoded = decodeBase64Text(body);
  const example = isExampleValue(value) || (decoded !== undefined && isExampleValue(decoded));
  const key = decoded === undefined ? undefined : parseLongTermKey(decoded);
  const base = { ruleId: 'aws-bedrock-api-key' as const, start, end, value, example };
  if (key) {
    if (!example && isPlaceholder(key.secret)) return undefined;
    return { ...base, confidence: 'high', accountId: key.accountId, details: { form: 'long-term', iamUser: key.iamUser } };
  }
  const length = body.replace(/=+$/, '').length;
  if (length < LONG_TERM_UNDECODED_LENGTH.min || length > LONG_TERM_UNDECODED_LENGTH.max) return undefined;
  if (!example && (isPlaceholder(body) || !isPlausibleSessionToken(body))) return undefined;
  return { ...base, confidence: 'low', details: { form: 'long-term' } };
}

function shortTermKey(text: string, start: number, now: number): RawMatch | undefined {
  if (!startsAtBoundary(text, start)) return undefined;
  const bodyStart = start + SHORT_TERM_PREFIX.length;
  if (!text.startsWith(SHORT_TERM_HOST_BASE64, bodyStart)) return undefined;
  const end = base64ValueEnd(text, bodyStart);
  if (!endsAtBase64Boundary(text, end)) return undefined;
  const value = unescapeValue(text.slice(start, end));
  const decoded = decodeBase64Text(value.slice(SHORT_TERM_PREFIX.length));
  const key = decoded === undefined ? undefined : parseShortTermKey(decoded);
  if (!key) return undefined;
  return {
    ruleId: 'aws-bedrock-api-key',
    start,
    end,
    value,
    // A lifetime past Bedrock's 12-hour cap is not one AWS's generators write.
    confidence: key.expiresInSeconds > MAX_SHORT_TERM_SECONDS ? 'medium' : 'high',
    example: isExampleValue(decoded!),
    keyId: key.keyId,
    details: {
      form: 'short-term',
      region: key.region,
      issuedAt: key.issuedAt.toISOString(),
      expiresAt: key.expiresAt.toISOString(),
      expired: key.expiresAt.getTime() <= now,
    },
  };
}

export const awsBedrockApiKey: RuleDefinition = {
  id: 'aws-bedrock-api-key',
  name: 'AwsBedrockApiKey',
  title: 'Amazon Bedrock API key in source',
  description:
    'Finds Amazon Bedrock API keys (bearer tokens for the Bedrock APIs). Long-term keys, `ABSK` and base64 of `<IAM user>-at-<account>:<secret>`, are decoded to name the IAM user and account. Short-term keys, `bedrock-api-key-` and base64 of a SigV4 presigned `bedrock.amazonaws.com` URL, are decoded to name the signing key ID and its account, the Region and the expiry; an expired short-term key is reported as a note.',
  help: `An Amazon Bedrock API key was found in the source. Whoever holds it can call the Amazon Bedrock APIs (model invocation included, billed to the account) with its permissions until it expires or is revoked.

### What to do
1. **Treat the key as compromised**, even if the repository is private, and remove it from the code: applications should read it from the \`AWS_BEARER_TOKEN_BEDROCK\` environment variable or a secret manager at run time.
2. **Long-term key** (\`ABSK...\`): it is an IAM service-specific credential of the IAM user the finding names. Deactivate or delete it in IAM (the user's *API keys for Amazon Bedrock*, or \`aws iam update-service-specific-credential --status Inactive\` then \`aws iam delete-service-specific-credential\`), or reset it to get a new secret. Prefer short-term keys, or no API key at all.
3. **Short-term key** (\`bedrock-api-key-...\`): it expires at most 12 hours after it was signed, or with the session that signed it if that is sooner. If it has not expired, revoke the active sessions of the role that signed it (IAM console: the role's *Revoke active sessions*), since the key is that session's signature.
4. Review CloudTrail for Bedrock calls made with the key since it was exposed.

Run \`keywarden scan --resolve-accounts\` to confirm which account owns a short-term key's signing key ID.`,
  level: 'error',
  securitySeverity: '8.0',
  precision: 'high',
  tags: ['security', 'secret', 'aws', 'credential', 'bedrock', 'external/cwe/cwe-798'],
  kind: 'bearer-key',
  noun: 'Amazon Bedrock API key',
  environmentVariable: 'AWS_BEARER_TOKEN_BEDROCK',
  remediation: LONG_TERM_REMEDIATION,
  remediationFor(details) {
    if (details.form !== 'short-term') return undefined;
    return details.expired ? EXPIRED_REMEDIATION : SHORT_TERM_REMEDIATION;
  },
  anchors: [LONG_TERM_PREFIX, SHORT_TERM_PREFIX],
  detect(text) {
    const now = Date.now();
    const found: RawMatch[] = [];
    let taken = 0;
    for (const match of text.matchAll(PREFIXES)) {
      const [start] = match.indices![0]!;
      if (start < taken) continue;
      const key = match[0] === LONG_TERM_PREFIX ? longTermKey(text, start) : shortTermKey(text, start, now);
      if (!key) continue;
      found.push(key);
      taken = key.end;
    }
    return found;
  },
};
