import { catalog } from '../../rules/index.js';
import type { Finding, KeyStatus, Report } from '../core/types.js';
import { keyStatusParts } from './message.js';
import { printable } from './printable.js';

/**
 * The text summary of an audit's own keys (`scan --repos`, `merge`): each key id of an owned
 * account once, whatever number of repositories and files it is in, grouped by account, active keys
 * first (with --key-status), so the summary reads as the order to rotate in.
 */

interface OwnedKey {
  keyId: string;
  keyStatus?: KeyStatus;
  /** Repository (or path, outside an audit) -> findings there; listed by name, so a merged report says the same. */
  places: Map<string, number>;
}

interface OwnedAccount {
  accountId: string;
  name?: string;
  keys: Map<string, OwnedKey>;
}

/** Active, then inactive, then what IAM could not tell, then keys --key-status did not check. */
function urgency(key: OwnedKey): number {
  const status = key.keyStatus?.status;
  return status === 'active' ? 0 : status === 'inactive' ? 1 : key.keyStatus ? 2 : 3;
}

const activeCount = (account: OwnedAccount) => [...account.keys.values()].filter((key) => urgency(key) === 0).length;

/** Owned: labelled so by --owned-accounts, or given a key status (IAM answers only for the caller's own account). */
function ownedAccounts(findings: readonly Finding[]): OwnedAccount[] {
  const accounts = new Map<string, OwnedAccount>();
  for (const finding of findings) {
    const keyId = catalog.keyIdOf(finding);
    if (finding.accountId === null || keyId === undefined) continue;
    if (finding.owner?.label !== 'owned' && finding.keyStatus === undefined) continue;
    const account = accounts.get(finding.accountId) ?? { accountId: finding.accountId, keys: new Map<string, OwnedKey>() };
    if (finding.owner?.name) account.name = finding.owner.name;
    accounts.set(finding.accountId, account);
    const key = account.keys.get(keyId) ?? { keyId, places: new Map<string, number>() };
    key.keyStatus ??= finding.keyStatus;
    const place = finding.repository ?? finding.path;
    key.places.set(place, (key.places.get(place) ?? 0) + 1);
    account.keys.set(keyId, key);
  }
  return [...accounts.values()].sort((a, b) => activeCount(b) - activeCount(a) || (a.accountId < b.accountId ? -1 : 1));
}

const PLACES_SHOWN = 3;

function describePlaces(places: Map<string, number>): string {
  const named = [...places]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, PLACES_SHOWN)
    .map(([place, count]) => (count > 1 ? `${place} (${count} findings)` : place));
  const more = places.size > PLACES_SHOWN ? `, and ${places.size - PLACES_SHOWN} more` : '';
  return `in ${named.join(', ')}${more}`;
}

export interface SummaryLine {
  text: string;
  style: 'heading' | 'account' | 'active' | 'key';
}

/** The section's lines, uncoloured and escaped (account names, repositories and IAM user names are not ours); none without an owned key. */
export function ownedKeysSummary(report: Report): SummaryLine[] {
  const lines: SummaryLine[] = [];
  for (const account of ownedAccounts(report.findings)) {
    if (lines.length === 0) lines.push({ text: 'Owned keys by account (active first):', style: 'heading' });
    const active = activeCount(account);
    const name = account.name ? ` (${account.name})` : '';
    const keys = `${account.keys.size} key${account.keys.size === 1 ? '' : 's'}${active > 0 ? `, ${active} active` : ''}`;
    lines.push({ text: printable(`  ${account.accountId}${name}: ${keys}`), style: 'account' });
    for (const key of [...account.keys.values()].sort((a, b) => urgency(a) - urgency(b) || (a.keyId < b.keyId ? -1 : 1))) {
      const [status, ...facts] = key.keyStatus ? keyStatusParts(key.keyStatus) : ['not checked'];
      const text = `    ${status!.padEnd(16)}${key.keyId}  ${[...facts, describePlaces(key.places)].join(', ')}`;
      lines.push({ text: printable(text), style: urgency(key) === 0 ? 'active' : 'key' });
    }
  }
  return lines;
}
