import type { Argv } from 'yargs';
import { isAccountId } from '../core/account.js';
import type { OwnedAccounts } from '../core/ownership.js';
import type { KeywardenConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { DEFAULT_STS_BUDGET_MS } from '../sts/budget.js';
import { defaultCachePath } from '../sts/cache.js';
import { DEFAULT_REGION, DEFAULT_TIMEOUT_MS } from '../sts/client.js';
import type { AccountCheckOptions } from '../sts/accounts.js';

/** Raw account and STS flags (stage one); resolveStsSettings validates them (stage two). */
export interface StsArgs {
  resolveAccounts?: boolean;
  verify?: boolean;
  region?: string;
  stsEndpoint?: string;
  stsTimeout?: number;
  stsConcurrency?: number;
  stsBudget?: number;
  stsCache?: boolean;
  /** A string, or several when the flag is repeated. */
  ownedAccounts?: string | string[];
}

export const DEFAULT_STS_CONCURRENCY = 4;
const MAX_STS_CONCURRENCY = 64;

export function addStsOptions<T>(y: Argv<T>) {
  const group = 'Accounts:';
  return y
    // Not `array: true`: that would swallow the scan paths that follow (`--owned-accounts 1111... src`).
    .option('owned-accounts', {
      type: 'string',
      describe: 'Your AWS account ids, comma-separated (added to config "accounts"): findings are labelled owned, third-party, canary or unknown',
      group,
    })
    .option('resolve-accounts', { type: 'boolean', describe: 'Ask STS GetAccessKeyInfo which account owns each key id (network; needs sts:GetAccessKeyInfo)', group })
    .option('verify', {
      type: 'boolean',
      describe: 'Call STS GetCallerIdentity with each complete credential pair found to tell live from inactive (uses the leaked credential; see docs)',
      group,
    })
    .option('region', { type: 'string', describe: `Region for STS calls (default: AWS_REGION, AWS_DEFAULT_REGION, ${DEFAULT_REGION})`, group })
    .option('sts-endpoint', { type: 'string', describe: 'STS endpoint URL (default: AWS_ENDPOINT_URL_STS, else the regional endpoint)', group })
    .option('sts-timeout', { type: 'number', describe: `Milliseconds per STS call, retries included (default ${DEFAULT_TIMEOUT_MS})`, group })
    .option('sts-budget', {
      type: 'number',
      describe: `Seconds for all STS calls of a run; calls not made by then are reported as not checked (default ${DEFAULT_STS_BUDGET_MS / 1000})`,
      group,
    })
    .option('sts-concurrency', { type: 'number', describe: `STS calls in flight at once (default ${DEFAULT_STS_CONCURRENCY})`, group })
    .option('sts-cache', { type: 'boolean', describe: 'Cache STS account answers on disk ($XDG_CACHE_HOME/keywarden/accounts.json, mode 0600)', group });
}

/** "111122223333,444455556666" (repeatable) -> ids; a bad id is the user's mistake, not a skip. */
export function parseOwnedAccounts(values: string | readonly string[] | undefined): string[] {
  const ids: string[] = [];
  for (const value of typeof values === 'string' ? [values] : (values ?? [])) {
    for (const part of value.split(',')) {
      const id = part.trim();
      if (id === '') continue;
      if (!isAccountId(id)) throw new UsageError(`--owned-accounts: "${id}" is not a 12-digit AWS account id`);
      ids.push(id);
    }
  }
  return ids;
}

function positiveInteger(flag: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new UsageError(`${flag}: "${value}" must be a whole number from 1 to ${max}`);
  return value;
}

export function endpointUrl(value: string | undefined, flag: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new UsageError(`${flag}: "${value}" is not an http(s) URL`);
  return value;
}

/**
 * Config `accounts` (named) plus --owned-accounts (unnamed unless the config names them), and the
 * STS connection: flags over AWS's own environment variables over defaults.
 */
export function resolveStsSettings(args: StsArgs, config: KeywardenConfig, env: Readonly<Record<string, string | undefined>>): AccountCheckOptions {
  const owned: Record<string, string> = { ...(config.accounts ?? {}) };
  for (const id of parseOwnedAccounts(args.ownedAccounts)) owned[id] ??= '';
  const region = args.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || DEFAULT_REGION);
  if (region.trim() === '') throw new UsageError('--region: empty region');
  const networked = Boolean(args.resolveAccounts || args.verify);
  // A flag the user typed is checked always; the environment only when STS is actually called.
  const endpoint =
    args.stsEndpoint !== undefined ? endpointUrl(args.stsEndpoint, '--sts-endpoint') : networked ? endpointUrl(env.AWS_ENDPOINT_URL_STS, 'AWS_ENDPOINT_URL_STS') : undefined;
  const timeoutMs = positiveInteger('--sts-timeout', args.stsTimeout, DEFAULT_TIMEOUT_MS, 600_000);
  const budgetMs = positiveInteger('--sts-budget', args.stsBudget, DEFAULT_STS_BUDGET_MS / 1000, 86_400) * 1000;
  const concurrency = positiveInteger('--sts-concurrency', args.stsConcurrency, DEFAULT_STS_CONCURRENCY, MAX_STS_CONCURRENCY);
  return {
    owned: owned as OwnedAccounts,
    resolveAccounts: args.resolveAccounts ?? false,
    verify: args.verify ?? false,
    connection: { region, ...(endpoint ? { endpoint } : {}), timeoutMs },
    concurrency,
    budgetMs,
    ...(args.stsCache ? { cacheFile: defaultCachePath(env) } : {}),
  };
}
