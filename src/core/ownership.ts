import { CANARY_ACCOUNTS } from './account.js';
import type { Finding, Ownership } from './types.js';

/**
 * Who owns a finding's credential, from its account id alone. Pure.
 *
 * - `canary` always wins: Thinkst's canary-token accounts (docs/aws-credentials.md, "Canary-token accounts") are tripwires, so a key from
 *   one alerts whoever planted it, whatever else the user told us.
 * - With owned accounts declared (config `accounts`, `--owned-accounts`): `owned` (with the user's
 *   name for it) when the account is one of them, `third-party` when it is known and is not,
 *   `unknown` when no account is known (legacy key ids carry none and STS was not asked).
 * - With no owned accounts declared we cannot tell yours from theirs, so only canaries are labelled
 *   and everything else stays unlabelled rather than guessed.
 */

/** 12-digit account id -> the user's name for it ('' when unnamed, e.g. from --owned-accounts). */
export type OwnedAccounts = Readonly<Record<string, string>>;

export function ownershipOf(accountId: string | null, owned: OwnedAccounts): Ownership | undefined {
  if (accountId !== null && CANARY_ACCOUNTS.has(accountId)) return { label: 'canary' };
  if (Object.keys(owned).length === 0) return undefined;
  if (accountId === null) return { label: 'unknown' };
  if (Object.hasOwn(owned, accountId)) {
    const name = owned[accountId];
    return name ? { label: 'owned', name } : { label: 'owned' };
  }
  return { label: 'third-party' };
}

/** The findings with `owner` set (or cleared) from their current account ids. */
export function labelOwnership(findings: readonly Finding[], owned: OwnedAccounts): Finding[] {
  return findings.map((finding) => {
    const owner = ownershipOf(finding.accountId, owned);
    if (owner) return { ...finding, owner };
    if (!finding.owner) return finding;
    const { owner: _dropped, ...rest } = finding;
    return rest;
  });
}
