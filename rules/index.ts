import { awsAccessKeyId } from './aws-access-key-id.js';
import { awsBedrockApiKey } from './aws-bedrock-api-key.js';
import { awsSecretAccessKey } from './aws-secret-access-key.js';
import { awsSessionToken } from './aws-session-token.js';
import { awsTemporaryAccessKeyId } from './aws-temporary-access-key-id.js';
import type { RuleDefinition } from './types.js';

export type { DetectContext, RawMatch, RuleDefinition } from './types.js';

/** The catalog, key-id rules first: the secret and token rules pair with what they found. */
export const rules: readonly RuleDefinition[] = [awsAccessKeyId, awsTemporaryAccessKeyId, awsSecretAccessKey, awsSessionToken, awsBedrockApiKey];

export const ruleIds = rules.map((rule) => rule.id);

export function getRule(id: string): RuleDefinition | undefined {
  return rules.find((rule) => rule.id === id);
}

/** Where each rule's documentation lives, for SARIF helpUri and ESLint meta.docs.url. */
export function ruleDocsUrl(id: string): string {
  return `https://github.com/keywarden/keywarden/blob/main/rules/${id}.md`;
}
