import { TEMPORARY_CREDENTIALS, TEMPORARY_REMEDIATION } from './help.js';
import { findKeyIds } from './key-id-matcher.js';
import type { KeyIdPrefix, RuleDefinition } from './types.js';

const PREFIXES: readonly KeyIdPrefix[] = [{ prefix: 'ASIA', confidence: 'high', lifetime: 'temporary' }];

/** ASIA ids are issued by STS with a secret and a session token, and expire (docs/aws-credentials.md, "Identifier prefixes", "Session tokens"). */
export const awsTemporaryAccessKeyId: RuleDefinition = {
  id: 'aws-temporary-access-key-id',
  name: 'AwsTemporaryAccessKeyId',
  title: 'AWS temporary access key ID in source',
  description:
    'Finds temporary AWS access key IDs (ASIA...) issued by STS. They expire, but a pasted set of temporary credentials (ID, secret and session token) acts with the full rights of the role that issued it until then, and their presence shows a workflow that writes credentials down.',
  help: `A temporary AWS access key ID (from STS) was found in the source.\n\n${TEMPORARY_CREDENTIALS}`,
  level: 'warning',
  securitySeverity: '6.5',
  precision: 'very-high',
  tags: ['security', 'secret', 'aws', 'credential', 'external/cwe/cwe-798'],
  kind: 'key-id',
  noun: 'AWS temporary access key ID',
  // The SDKs read a temporary key id from the same variable as a long-term one.
  environmentVariable: 'AWS_ACCESS_KEY_ID',
  remediation: TEMPORARY_REMEDIATION,
  keyIdPrefixes: PREFIXES,
  anchors: PREFIXES.map(({ prefix }) => prefix),
  detect(text) {
    return findKeyIds(text, 'aws-temporary-access-key-id', PREFIXES);
  },
};
