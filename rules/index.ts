import { RuleCatalog } from '../src/core/catalog.js';
import type { Finding, RuleId } from '../src/core/types.js';
import { awsAccessKeyId } from './aws-access-key-id.js';
import { awsBedrockApiKey } from './aws-bedrock-api-key.js';
import { awsSecretAccessKey } from './aws-secret-access-key.js';
import { awsSessionToken } from './aws-session-token.js';
import { awsTemporaryAccessKeyId } from './aws-temporary-access-key-id.js';
import type { RuleDefinition } from './types.js';

export type { CredentialKind, DetectContext, KeyIdPrefix, RawMatch, Remediation, RuleDefinition } from './types.js';

/** The catalog, key-id rules first: the secret and token rules pair with what they found. */
export const rules: readonly RuleDefinition[] = [
  awsAccessKeyId,
  awsTemporaryAccessKeyId,
  awsSecretAccessKey,
  awsSessionToken,
  awsBedrockApiKey,
];

/** The default catalog: what the CLI, git modes, the Action, the ESLint plugin and the library run. */
export const catalog = new RuleCatalog(rules);

export const ruleIds = rules.map((rule) => rule.id);

export function getRule(id: string): RuleDefinition | undefined {
  return catalog.get(id);
}

/** Where each rule's documentation lives, for SARIF helpUri and ESLint meta.docs.url. */
export function ruleDocsUrl(id: string): string {
  return `https://github.com/keywarden/keywarden/blob/main/rules/${id}.md`;
}

/** Key ids are shown whole (users need them to find the key in IAM, and alone they grant nothing); other credentials are masked. */
export function redactValue(ruleId: RuleId, value: string): string {
  return catalog.redactValue(ruleId, value);
}

/** The text an output shows for a finding's credential. */
export function displayMatch(finding: Pick<Finding, 'ruleId' | 'match'>, showSecrets: boolean): string {
  return catalog.displayMatch(finding, showSecrets);
}
