import { isAccountId } from '../core/account.js';
import type { OwnedAccounts } from '../core/ownership.js';
import type { KeywardenConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { KeyStatusOptions } from '../iam/key-status.js';
import type { AccountCheckOptions } from '../sts/accounts.js';
import { DEFAULT_STS_BUDGET_MS } from '../sts/budget.js';
import { defaultCachePath } from '../sts/cache.js';
import { DEFAULT_REGION, DEFAULT_TIMEOUT_MS } from '../sts/client.js';

/** Raw account and STS flags as given (stage one); resolveStsSettings validates them (stage two). */
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

/** "111122223333,444455556666" (repeatable) -> ids; a bad id is the user's mistake, not a skip. */
function parseOwnedAccounts(values: string | readonly string[] | undefined): string[] {
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
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new UsageError(`${flag}: "${value}" must be a whole number from 1 to ${max}`);
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
export function resolveStsSettings(
  args: StsArgs,
  config: KeywardenConfig,
  env: Readonly<Record<string, string | undefined>>,
): AccountCheckOptions {
  const owned: Record<string, string> = { ...(config.accounts ?? {}) };
  for (const id of parseOwnedAccounts(args.ownedAccounts)) owned[id] ??= '';
  const region = args.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || DEFAULT_REGION);
  if (region.trim() === '') throw new UsageError('--region: empty region');
  const networked = Boolean(args.resolveAccounts || args.verify);
  // A flag the user typed is checked always; the environment only when STS is actually called.
  const endpoint =
    args.stsEndpoint !== undefined
      ? endpointUrl(args.stsEndpoint, '--sts-endpoint')
      : networked
        ? endpointUrl(env.AWS_ENDPOINT_URL_STS, 'AWS_ENDPOINT_URL_STS')
        : undefined;
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

/** Raw IAM flags of `scan` (stage one); resolveKeyStatusSettings validates them (stage two). */
export interface IamArgs {
  keyStatus?: boolean;
  iamEndpoint?: string;
}

/** The IAM endpoint: the flag (always checked), else AWS_ENDPOINT_URL_IAM (checked only when IAM is called). */
export function iamEndpoint(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  networked: boolean,
): string | undefined {
  if (flag !== undefined) return endpointUrl(flag, '--iam-endpoint');
  return networked ? endpointUrl(env.AWS_ENDPOINT_URL_IAM, 'AWS_ENDPOINT_URL_IAM') : undefined;
}

/**
 * --key-status (or config keyStatus), with the STS settings' owned accounts, timeout and
 * concurrency; undefined when not asked, so nothing is called.
 */
export function resolveKeyStatusSettings(
  args: IamArgs,
  config: KeywardenConfig,
  env: Readonly<Record<string, string | undefined>>,
  sts: AccountCheckOptions,
): KeyStatusOptions | undefined {
  const enabled = args.keyStatus ?? config.keyStatus ?? false;
  const endpoint = iamEndpoint(args.iamEndpoint, env, enabled);
  if (!enabled) return undefined;
  // STS GetCallerIdentity is called too: its endpoint from the environment counts now.
  const stsEndpoint = sts.connection.endpoint ?? endpointUrl(env.AWS_ENDPOINT_URL_STS, 'AWS_ENDPOINT_URL_STS');
  return {
    owned: sts.owned,
    sts: { ...sts.connection, ...(stsEndpoint ? { endpoint: stsEndpoint } : {}) },
    iam: { ...(endpoint ? { endpoint } : {}), timeoutMs: sts.connection.timeoutMs },
    concurrency: sts.concurrency,
  };
}
