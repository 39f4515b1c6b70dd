import { TEMPORARY_CREDENTIALS } from './help.js';
import { findKeyIds } from './key-id-matcher.js';
import type { RuleDefinition } from './types.js';

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
  anchors: ['ASIA'],
  detect(text) {
    return findKeyIds(text, 'aws-temporary-access-key-id', [{ prefix: 'ASIA', confidence: 'high' }]);
  },
};
