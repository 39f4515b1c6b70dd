import { LONG_TERM_REMEDIATION, ROTATE_LONG_TERM_KEY } from './help.js';
import { findKeyIds } from './key-id-matcher.js';
import type { KeyIdPrefix, RuleDefinition } from './types.js';

/** Only AKIA ids are IAM users' access keys; A3T? is too unsure to pair a secret with (see below). */
const PREFIXES: readonly KeyIdPrefix[] = [
  { prefix: 'AKIA', confidence: 'high', lifetime: 'long-term' },
  { prefix: 'ABIA', confidence: 'medium' },
  { prefix: 'ACCA', confidence: 'medium' },
  { prefix: 'A3T?', confidence: 'low', pairs: false },
];

/**
 * Long-term access key ids. AKIA is an IAM user's or root's key; ABIA (STS service bearer token)
 * and ACCA (context-specific credential) are rarer credential prefixes; A3T? appears only in older
 * scanners' rules, so it is kept at low confidence (docs/aws-credentials.md, "Identifier prefixes").
 */
export const awsAccessKeyId: RuleDefinition = {
  id: 'aws-access-key-id',
  name: 'AwsAccessKeyId',
  title: 'AWS access key ID in source',
  description:
    'Finds long-term AWS access key IDs (AKIA..., plus the ABIA, ACCA and A3T forms): 20 characters, a 4-character prefix and 16 base32 characters, not inside a longer token. The key ID alone does not sign requests, but its secret is rarely far away, and the ID names the IAM user and account that must rotate it.',
  help: `An AWS access key ID was found in the source. A key ID is half of a long-term credential; the secret access key is usually committed beside it.\n\n${ROTATE_LONG_TERM_KEY}`,
  level: 'error',
  securitySeverity: '8.0',
  precision: 'very-high',
  tags: ['security', 'secret', 'aws', 'credential', 'external/cwe/cwe-798'],
  kind: 'key-id',
  noun: 'AWS access key ID',
  environmentVariable: 'AWS_ACCESS_KEY_ID',
  remediation: LONG_TERM_REMEDIATION,
  keyIdPrefixes: PREFIXES,
  anchors: PREFIXES.map(({ prefix }) => prefix.replace('?', '')),
  detect(text) {
    return findKeyIds(text, 'aws-access-key-id', PREFIXES);
  },
};
