import type { Finding, RuleId } from './types.js';

/** Key ids are shown whole: users need them to find the key in IAM, and alone they grant nothing. */
const SHOWN_WHOLE: ReadonlySet<RuleId> = new Set(['aws-access-key-id', 'aws-temporary-access-key-id']);

const MASK = '*'.repeat(16);

export function redactValue(ruleId: RuleId, value: string): string {
  if (SHOWN_WHOLE.has(ruleId)) return value;
  return value.slice(0, 4) + MASK;
}

/** The text an output shows for a finding's credential. */
export function displayMatch(finding: Pick<Finding, 'ruleId' | 'match'>, showSecrets: boolean): string {
  return showSecrets ? finding.match : redactValue(finding.ruleId, finding.match);
}
