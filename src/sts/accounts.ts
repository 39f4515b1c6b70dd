import { catalog } from '../../rules/index.js';
import { CANARY_ACCOUNTS } from '../core/account.js';
import { labelOwnership, type OwnedAccounts } from '../core/ownership.js';
import type { Finding, Report, Verification } from '../core/types.js';
import { StsBudget, type StsProgress } from './budget.js';
import { AccountCache } from './cache.js';
import type { StsConnection } from './client.js';
import { failureWarnings, plural, type StsFailure } from './errors.js';
import { createLimiter } from './pool.js';
import { AccountResolver, isResolvableKeyId } from './resolve.js';
import { verifyPair, type PairCheck } from './verify.js';

/**
 * After a scan: resolve accounts through STS (--resolve-accounts), verify complete pairs (--verify),
 * then label ownership. Nothing here fails the scan: STS trouble becomes warnings and findings keep
 * their offline account ids. No network call happens unless one of the two flags asked for it.
 */

export interface AccountCheckOptions {
  owned: OwnedAccounts;
  resolveAccounts: boolean;
  verify: boolean;
  connection: StsConnection;
  concurrency: number;
  /** On-disk cache file (--sts-cache); no disk cache when unset. */
  cacheFile?: string;
  cacheTtlMs?: number;
  /** Overall deadline for every STS call of the run (--sts-budget); unlimited when unset. */
  budgetMs?: number;
  /** Called as calls finish (the CLI draws progress on a TTY). */
  onProgress?: (progress: StsProgress) => void;
}

export interface AccountCheckResult {
  report: Report;
  /** Failures worth showing without --verbose (one per cause); they are in report.warnings too. */
  alerts: string[];
  /** STS requests sent (cache hits and de-duplicated ids cost none). */
  requests: number;
}

/** The key id a finding belongs to: its own match for key id findings, the paired id for secrets and tokens. */
export function keyIdOf(finding: Finding): string | undefined {
  return catalog.keyIdOf(finding);
}

/** STS is authoritative; a different offline decode is noted (shown with --verbose). */
function setStsAccount(findings: Finding[], keyId: string, account: string, how: string, notes: Map<string, string>): void {
  for (const finding of findings) {
    if (keyIdOf(finding) !== keyId || finding.accountIdSource === 'sts') continue;
    if (finding.accountId !== null && finding.accountId !== account && !notes.has(keyId)) {
      notes.set(
        keyId,
        `${how} says key id ${keyId} belongs to account ${account}, but the offline decode gave ${finding.accountId}; using the STS answer`,
      );
    }
    finding.accountId = account;
    finding.accountIdSource = 'sts';
  }
}

async function resolveAccounts(
  findings: Finding[],
  options: AccountCheckOptions,
  budget: StsBudget,
  notes: Map<string, string>,
  alerts: string[],
): Promise<number> {
  const keyIds = new Set(findings.map(keyIdOf).filter((keyId): keyId is string => keyId !== undefined && isResolvableKeyId(keyId)));
  if (keyIds.size === 0) return 0;
  const cache = options.cacheFile
    ? await AccountCache.load(options.cacheFile, options.cacheTtlMs !== undefined ? { ttlMs: options.cacheTtlMs } : {})
    : undefined;
  const resolver = new AccountResolver({ ...options.connection, concurrency: options.concurrency, budget, ...(cache ? { cache } : {}) });
  try {
    const failures: StsFailure[] = [];
    for (const [keyId, lookup] of await resolver.resolveAll(keyIds)) {
      if (lookup.ok) setStsAccount(findings, keyId, lookup.account, 'STS GetAccessKeyInfo', notes);
      else failures.push(lookup.failure);
    }
    alerts.push(
      ...failureWarnings(failures, (count) => `--resolve-accounts: ${plural(count, 'key id')} not resolved, offline account ids kept`, {
        ...options.connection,
        permission: 'sts:GetAccessKeyInfo',
      }),
    );
    try {
      await cache?.save();
    } catch (error) {
      alerts.push(`--sts-cache: could not write ${cache!.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return resolver.requests;
  } finally {
    await resolver.close().catch(() => undefined);
  }
}

const kindOf = (finding: Finding) => catalog.get(finding.ruleId)?.kind;

const RANK: Record<Verification['status'], number> = { live: 3, inactive: 2, unknown: 1, error: 1, skipped: 0 };

/** The token paired with the same key id, preferring one in the same file. */
function sessionTokenFor(findings: readonly Finding[], secret: Finding): Finding | undefined {
  const tokens = findings.filter((finding) => kindOf(finding) === 'session-token' && finding.keyId === secret.keyId);
  return tokens.find((token) => token.path === secret.path) ?? tokens[0];
}

async function verifyPairs(
  findings: Finding[],
  options: AccountCheckOptions,
  budget: StsBudget,
  notes: Map<string, string>,
  alerts: string[],
): Promise<number> {
  const limit = createLimiter(options.concurrency);
  const checks = new Map<string, Promise<PairCheck>>();
  const pending: { keyId: string; secret: Finding; token: Finding | undefined; check: Promise<PairCheck> }[] = [];
  for (const secret of findings) {
    if (kindOf(secret) !== 'secret' || !secret.keyId || !isResolvableKeyId(secret.keyId)) continue;
    const keyId = secret.keyId;
    const temporary = catalog.keyIdLifetime(keyId) === 'temporary';
    const token = temporary ? sessionTokenFor(findings, secret) : undefined;
    let check: Promise<PairCheck>;
    if (secret.accountId !== null && CANARY_ACCOUNTS.has(secret.accountId)) {
      // Using a canary token is exactly what alerts whoever planted it (docs/aws-credentials.md, "Canary-token accounts").
      check = Promise.resolve({ verification: { status: 'skipped', reason: 'canary token' } });
    } else if (temporary && !token) {
      // Temporary keys sign nothing without their session token (docs/aws-credentials.md, "Identifier prefixes").
      check = Promise.resolve({ verification: { status: 'skipped', reason: 'no session token found' } });
    } else {
      const pairKey = [keyId, secret.match, token?.match ?? ''].join('\0');
      const known = checks.get(pairKey);
      if (!known) budget.expect(1);
      check =
        known ??
        limit(() =>
          verifyPair(
            { accessKeyId: keyId, secretAccessKey: secret.match, ...(token ? { sessionToken: token.match } : {}) },
            options.connection,
            budget,
          ),
        );
      checks.set(pairKey, check);
    }
    pending.push({ keyId, secret, token, check });
  }
  const failures: StsFailure[] = [];
  const seen = new Set<Promise<PairCheck>>();
  const best = new Map<string, Verification>();
  for (const { keyId, secret, token, check } of pending) {
    const result = await check;
    if (!seen.has(check)) {
      seen.add(check);
      if (result.failure) failures.push(result.failure);
    }
    secret.verification = result.verification;
    if (token) token.verification = result.verification;
    const current = best.get(keyId);
    if (!current || RANK[result.verification.status] > RANK[current.status]) best.set(keyId, result.verification);
    if (result.account) setStsAccount(findings, keyId, result.account, 'STS GetCallerIdentity', notes);
  }
  for (const finding of findings) {
    if (!catalog.isKeyIdRule(finding.ruleId)) continue;
    const verification = best.get(finding.match);
    if (verification) finding.verification = verification;
  }
  alerts.push(
    ...failureWarnings(failures, (count) => `--verify: ${plural(count, 'credential pair')} could not be checked`, options.connection),
  );
  return checks.size;
}

export async function checkAccounts(report: Report, options: AccountCheckOptions): Promise<AccountCheckResult> {
  // Copies, so the caller's report is left as it was.
  const findings = report.findings.map((finding) => ({ ...finding }));
  const notes = new Map<string, string>();
  const alerts: string[] = [];
  let requests = 0;
  // One budget for the whole run: resolution and verification share the deadline and the breaker.
  const budget = new StsBudget(options.budgetMs ?? Infinity, options.onProgress);
  if (options.resolveAccounts) requests += await resolveAccounts(findings, options, budget, notes, alerts);
  if (options.verify) requests += await verifyPairs(findings, options, budget, notes, alerts);
  return {
    report: { ...report, findings: labelOwnership(findings, options.owned), warnings: [...report.warnings, ...alerts, ...notes.values()] },
    alerts,
    requests,
  };
}
