import { CANARY_ACCOUNTS } from '../core/account.js';
import { catalog, redactValue } from '../../rules/index.js';
import { describeDetails } from '../core/bedrock.js';
import type { Finding } from '../core/types.js';
import type { RegionKind } from './regions.js';

export const MESSAGE_ID = 'credential';
export const SUGGESTION_ID = 'useEnvironment';

export const messages = {
  [MESSAGE_ID]: '{{what}} {{value}}{{context}} is hard-coded in {{where}}. {{advice}}',
  [SUGGESTION_ID]: 'Read it from process.env.{{variable}} instead.',
} as const;

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
  if (finding.details) notes.push(...describeDetails(finding.details));
  if (finding.example) notes.push('an AWS documentation example');
  return {
    what: catalog.get(finding.ruleId)!.noun,
    value: redactValue(finding.ruleId, finding.match),
    context: notes.length > 0 ? ` (${notes.join(', ')})` : '',
    where: WHERE[where],
    advice: catalog.remediation(finding).editor,
  };
}
