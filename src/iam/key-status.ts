import { catalog } from '../../rules/index.js';
import { ownershipOf, type OwnedAccounts } from '../core/ownership.js';
import type { Finding, Report } from '../core/types.js';
import type { StsConnection } from '../sts/client.js';
import { keyIdOf } from '../sts/accounts.js';
import { callerIdentity } from './caller.js';
import type { IamConnection } from './client.js';
import { explainIamFailure, iamFailureWarnings, plural, type IamFailure } from './errors.js';
import { KeyStatusReader } from './key-status-reader.js';

/**
 * scan --key-status: for each long-term key id found in an account the caller owns, ask IAM whether
 * the key is active and when it was last used (src/iam/key-status-reader.ts). Keys of third-party,
 * canary or unknown accounts are never asked about, and neither are keys of owned accounts other
 * than the caller's own (IAM only answers about the account whose credentials sign the call).
 * Failures become one warning per cause; the scan goes on with the findings as they were.
 */

export interface KeyStatusOptions {
  owned: OwnedAccounts;
  sts: StsConnection;
  iam: IamConnection;
  concurrency: number;
}

export interface KeyStatusResult {
  report: Report;
  /** One line per failure cause (also in report.warnings). */
  alerts: string[];
  /** IAM and STS requests sent. */
  requests: number;
}

/** Only AKIA ids are IAM user access keys; ASIA ids are STS session credentials IAM does not list. */
function isIamKeyId(keyId: string | undefined): keyId is string {
  return keyId !== undefined && catalog.accessKeyLifetime(keyId) === 'long-term';
}

/** Key ids whose account is known and owned (not canary, not third-party), with that account. */
function ownedKeyIds(
  findings: readonly Finding[],
  owned: OwnedAccounts,
  callerAccount: string,
): { mine: string[]; elsewhere: Map<string, string[]> } {
  const accounts = new Map<string, string | null>();
  for (const finding of findings) {
    const keyId = keyIdOf(finding);
    if (isIamKeyId(keyId) && !accounts.has(keyId)) accounts.set(keyId, finding.accountId);
  }
  const mine: string[] = [];
  const elsewhere = new Map<string, string[]>();
  const declared = Object.keys(owned).length > 0;
  for (const [keyId, account] of accounts) {
    if (account === null) continue;
    const owner = ownershipOf(account, owned);
    if (owner?.label === 'canary') continue;
    if (declared && owner?.label !== 'owned') continue;
    if (account === callerAccount) mine.push(keyId);
    else if (declared) elsewhere.set(account, [...(elsewhere.get(account) ?? []), keyId]);
  }
  return { mine, elsewhere };
}

/** Whether any finding could need IAM at all: spares the GetCallerIdentity call when none can. */
function anyCandidate(findings: readonly Finding[], owned: OwnedAccounts): boolean {
  return findings.some((finding) => {
    if (!isIamKeyId(keyIdOf(finding)) || finding.accountId === null) return false;
    const owner = ownershipOf(finding.accountId, owned);
    return owner?.label !== 'canary' && owner?.label !== 'third-party';
  });
}

export async function checkKeyStatus(report: Report, options: KeyStatusOptions): Promise<KeyStatusResult> {
  const alerts: string[] = [];
  const done = (findings: Finding[], requests: number): KeyStatusResult => ({
    report: { ...report, findings, warnings: [...report.warnings, ...alerts] },
    alerts,
    requests,
  });
  const findings = report.findings.map((finding) => ({ ...finding }));
  if (!anyCandidate(findings, options.owned)) return done(findings, 0);

  const caller = await callerIdentity(options.sts);
  if (!caller.ok) {
    alerts.push(
      `--key-status: no key checked: STS GetCallerIdentity failed: ${explainIamFailure(caller.failure, { ...options.sts, permission: 'sts:GetCallerIdentity' })}`,
    );
    return done(findings, 1);
  }
  const { mine, elsewhere } = ownedKeyIds(findings, options.owned, caller.account);
  for (const [account, keyIds] of elsewhere) {
    alerts.push(
      `--key-status: ${plural(keyIds.length, 'key id')} of owned account ${account} not checked: the caller's credentials are for account ${caller.account}`,
    );
  }
  const reader = new KeyStatusReader({ connection: options.iam, concurrency: options.concurrency });
  try {
    const reads = await Promise.all(mine.map((keyId) => reader.read(keyId)));
    const failures: IamFailure[] = [];
    const statuses = new Map<string, NonNullable<Finding['keyStatus']>>();
    mine.forEach((keyId, i) => {
      const read = reads[i]!;
      if (read.keyStatus) statuses.set(keyId, read.keyStatus);
      if (read.failure) failures.push(read.failure);
    });
    for (const finding of findings) {
      const keyStatus = statuses.get(keyIdOf(finding) ?? '');
      if (keyStatus) finding.keyStatus = keyStatus;
    }
    alerts.push(...iamFailureWarnings(failures, (count) => `--key-status: ${plural(count, 'key')} not fully checked`, options.iam));
    return done(findings, 1 + reader.requests);
  } finally {
    await reader.close().catch(() => undefined);
  }
}
