import { catalog, displayMatch, getRule } from '../../rules/index.js';
import { describeDetails } from '../core/bedrock.js';
import type { CommitInfo, Finding, KeyStatus, Level, Ownership, Verification } from '../core/types.js';

/**
 * One message per finding, shared by every format so the terminal, JSON, SARIF and annotations
 * say the same thing: what, where it points (account, owner), what we know (verification, commit),
 * and what to do.
 */

/**
 * The finding's level (its rule's, or the config's override), except that examples are notes
 * whatever their rule says: they are documentation, not leaks.
 */
export function findingLevel(finding: Pick<Finding, 'level' | 'example'>): Level {
  return finding.example ? 'note' : finding.level;
}

export function ruleTitle(ruleId: string): string {
  return getRule(ruleId)?.title ?? ruleId;
}

function describeOwner(owner: Ownership): string {
  return owner.label === 'owned' && owner.name ? `owned (${owner.name})` : owner.label;
}

function describeAccount(finding: Pick<Finding, 'accountId' | 'accountIdSource'>): string | undefined {
  if (!finding.accountId) return undefined;
  const source = finding.accountIdSource === 'sts' ? 'STS' : 'offline decode';
  return `account ${finding.accountId} (${source})`;
}

function describeVerification(verification: Verification): string {
  const detail = verification.arn ?? verification.reason;
  return `verification: ${verification.status}${detail ? ` (${detail})` : ''}`;
}

/** ["ACTIVE", "user alice", "last used 2026-11-20 s3 us-west-2"]: an active key is shouted. */
export function keyStatusParts(keyStatus: KeyStatus): string[] {
  const parts = [keyStatus.status === 'active' ? 'ACTIVE' : (keyStatus.status ?? 'status unknown')];
  if (keyStatus.user) parts.push(`user ${keyStatus.user}`);
  const used = keyStatus.lastUsed;
  parts.push(used ? ['last used', used.date.slice(0, 10), used.service, used.region].filter(Boolean).join(' ') : 'never used');
  return parts;
}

/** "key status: ACTIVE, user alice, last used 2026-11-20 s3 us-west-2". */
export function describeKeyStatus(keyStatus: KeyStatus): string {
  return `key status: ${keyStatusParts(keyStatus).join(', ')}`;
}

/** An owned key IAM says is active: the most urgent finding a scan can have. */
export function isActiveKey(finding: Pick<Finding, 'keyStatus'>): boolean {
  return finding.keyStatus?.status === 'active';
}

function describeCommit(commit: CommitInfo): string {
  const who = commit.author ? `, ${commit.author}` : '';
  return `commit ${commit.sha.slice(0, 12)} (${commit.authorDate}${who})`;
}

/** The short what-to-do; the full steps live in each rule's help (rules/<id>.ts). */
export function advice(finding: Pick<Finding, 'ruleId' | 'example' | 'owner' | 'keyStatus' | 'details'>): string {
  if (finding.example) return 'AWS documentation example key, not a credential.';
  // IAM says the key works right now: AWS's rotation steps, with deactivation as the urgent one.
  if (isActiveKey(finding)) return 'Active key: deploy a replacement, deactivate this key now (keywarden revoke), then delete it.';
  // Thinkst canary accounts (docs/aws-credentials.md, "Canary-token accounts"): the key is a tripwire that alerts whoever planted it.
  if (finding.owner?.label === 'canary')
    return 'Canary token: using it alerts whoever planted it; remove it unless it is meant to be here.';
  if (finding.owner?.label === 'third-party') return "Not one of your accounts: remove it and tell the key's owner.";
  // The rule's own advice (rules/<id>.ts), or the one the credential's decoded details call for.
  return catalog.remediation(finding).report;
}

export function buildMessage(finding: Finding, showSecrets: boolean): string {
  const parts = [`${ruleTitle(finding.ruleId)}: ${displayMatch(finding, showSecrets)}`];
  // Written encoded: the location is the encoded text's, which does not read as the match.
  if (finding.encoding) parts.push(`encoded as ${finding.encoding}`);
  // Key ids are shown whole everywhere (src/core/redact.ts): alone they grant nothing.
  if (finding.keyId) parts.push(`key id ${finding.keyId}`);
  const account = describeAccount(finding);
  if (account) parts.push(account);
  if (finding.details) parts.push(...describeDetails(finding.details));
  if (finding.owner) parts.push(`owner: ${describeOwner(finding.owner)}`);
  if (finding.verification) parts.push(describeVerification(finding.verification));
  if (finding.keyStatus) parts.push(describeKeyStatus(finding.keyStatus));
  if (finding.commit) parts.push(describeCommit(finding.commit));
  return `${parts.join('; ')}. ${advice(finding)}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable output order: active keys first (most urgent), then by path, position, rule, so reruns diff cleanly. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    Number(isActiveKey(b)) - Number(isActiveKey(a)) ||
    compareStrings(a.repository ?? '', b.repository ?? '') ||
    compareStrings(a.path, b.path) ||
    a.line - b.line ||
    a.column - b.column ||
    compareStrings(a.ruleId, b.ruleId)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}
