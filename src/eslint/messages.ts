import { CANARY_ACCOUNTS } from '../core/account.js';
import { redactValue } from '../core/redact.js';
import type { CredentialDetails, Finding, RuleId } from '../core/types.js';
import type { RegionKind } from './regions.js';

export const MESSAGE_ID = 'credential';
export const SUGGESTION_ID = 'useEnvironment';

export const messages = {
  [MESSAGE_ID]: '{{what}} {{value}}{{context}} is hard-coded in {{where}}. {{advice}}',
  [SUGGESTION_ID]: 'Read it from process.env.{{variable}} instead.',
} as const;

const WHAT: Record<RuleId, string> = {
  'aws-access-key-id': 'AWS access key ID',
  'aws-temporary-access-key-id': 'AWS temporary access key ID',
  'aws-secret-access-key': 'AWS secret access key',
  'aws-session-token': 'AWS session token',
  'aws-bedrock-api-key': 'Amazon Bedrock API key',
};

/**
 * AWS's guidance for an exposed key (docs/aws-credentials.md, "What AWS tells users to do with a leaked key"): long-term keys are rotated (new key, deploy,
 * deactivate, delete); temporary credentials expire, so their sessions are revoked instead.
 */
const LONG_TERM_ADVICE = 'Move it to the environment or a secret manager, then rotate the key (create a new one, deploy it, deactivate and delete this one).';
const TEMPORARY_ADVICE = "Move it to the environment or a secret manager, then revoke the issuing role's active sessions if it has not expired.";
/**
 * Bedrock API keys (Amazon Bedrock User Guide, "API keys"): a long-term key is an IAM
 * service-specific credential, deleted or reset in IAM; a short-term one is a presigned URL that
 * lives at most 12 hours, ended early by revoking the signing role's sessions.
 */
const BEDROCK_LONG_TERM_ADVICE = 'Move it to the environment (AWS_BEARER_TOKEN_BEDROCK) or a secret manager, then delete or reset this service-specific credential in IAM.';
const BEDROCK_SHORT_TERM_ADVICE = "Move it to the environment (AWS_BEARER_TOKEN_BEDROCK) or a secret manager; it expires within 12 hours, sooner if you revoke the signing role's active sessions.";

const ADVICE: Record<RuleId, string> = {
  'aws-access-key-id': LONG_TERM_ADVICE,
  'aws-temporary-access-key-id': TEMPORARY_ADVICE,
  'aws-secret-access-key': LONG_TERM_ADVICE,
  'aws-session-token': TEMPORARY_ADVICE,
  'aws-bedrock-api-key': BEDROCK_LONG_TERM_ADVICE,
};

const WHERE: Record<RegionKind, string> = {
  string: 'a string literal',
  template: 'a template literal',
  jsx: 'JSX',
  comment: 'a comment',
  text: 'the file',
};

function accountNote(accountId: string | null): string | undefined {
  if (!accountId) return undefined;
  // Thinkst canary-token accounts (docs/aws-credentials.md, "Canary-token accounts"): the key is a tripwire, using it alerts its owner.
  return CANARY_ACCOUNTS.has(accountId) ? `account ${accountId}, a canary-token account` : `account ${accountId}`;
}

/** What a decoded credential says about itself: IAM user, Region, expiry. */
function detailNotes(details: CredentialDetails): string[] {
  const notes: string[] = [];
  if (details.iamUser) notes.push(`IAM user ${details.iamUser}`);
  if (details.region) notes.push(`Region ${details.region}`);
  if (details.expiresAt) notes.push(`${details.expired ? 'expired' : 'expires'} ${details.expiresAt}`);
  return notes;
}

/** Fills the placeholders of `messages.credential`. A type alias, so it fits ESLint's string record. */
export type MessageData = { what: string; value: string; context: string; where: string; advice: string };

/** Message data for a finding; secrets and tokens are redacted, key ids are shown whole. */
export function messageData(finding: Finding, where: RegionKind): MessageData {
  const notes: string[] = [];
  // The reported range is the encoded text, which does not read as the value shown.
  if (finding.encoding) notes.push(`encoded as ${finding.encoding}`);
  // A short-term Bedrock key carries the key id that signed it; secrets and tokens sit next to theirs.
  if (finding.keyId) notes.push(`${finding.details?.form === 'short-term' ? 'signed' : 'paired'} with key ID ${finding.keyId}`);
  const account = accountNote(finding.accountId);
  if (account) notes.push(account);
  if (finding.details) notes.push(...detailNotes(finding.details));
  if (finding.example) notes.push('an AWS documentation example');
  return {
    what: WHAT[finding.ruleId],
    value: redactValue(finding.ruleId, finding.match),
    context: notes.length > 0 ? ` (${notes.join(', ')})` : '',
    where: WHERE[where],
    advice: finding.details?.form === 'short-term' ? BEDROCK_SHORT_TERM_ADVICE : ADVICE[finding.ruleId],
  };
}
