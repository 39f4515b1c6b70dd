import { catalog } from '../../rules/index.js';
import { accountIdFromKeyId, CANARY_ACCOUNTS } from '../core/account.js';
import type { KeyStatus } from '../core/types.js';
import { withDeadline, type StsConnection } from '../sts/client.js';
import { classifyStsError, type StsFailure } from '../sts/errors.js';
import { AccountResolver } from '../sts/resolve.js';
import { callerIdentity } from './caller.js';
import { createIamClient, type IamConnection } from './client.js';
import { explainIamFailure } from './errors.js';
import { KeyStatusReader } from './key-status-reader.js';

/**
 * `keywarden revoke`: deactivate (never delete) long-term access keys of the caller's own account.
 * Planning sends only read calls: STS GetCallerIdentity (the caller's account), STS GetAccessKeyInfo
 * (each key's account), IAM GetAccessKeyLastUsed and ListAccessKeys (user, status, last use).
 * A key is refused, before anything is changed, when its account is a canary account, is unknown,
 * or is not the caller's: deactivating someone else's key is not ours to do, and a canary key is a
 * tripwire. Only `execute` sends IAM UpdateAccessKey with Status=Inactive, which is reversible.
 */

export interface RevokeOptions {
  sts: StsConnection;
  iam: IamConnection;
  /** --user: the key's IAM user, when GetAccessKeyLastUsed cannot say (or to insist on one). */
  user?: string;
}

export interface RevokeTarget {
  keyId: string;
  account: string | null;
  user: string | null;
  keyStatus: KeyStatus | null;
  /** Why the key must not be touched; set means nothing is sent for any key. */
  refusal?: string;
  /** What could not be read about an otherwise acceptable key (shown in the plan). */
  note?: string;
}

export interface RevokePlan {
  caller: { account: string; arn: string };
  targets: RevokeTarget[];
}

export type RevokeOutcome =
  | { keyId: string; result: 'deactivated'; user: string; requestId?: string }
  | { keyId: string; result: 'already-inactive'; user: string }
  | { keyId: string; result: 'failed'; user: string; error: string };

/** A plan that cannot be made at all (the caller's own identity is unknown). One line, exit 2. */
export class RevokeError extends Error {
  override readonly name = 'RevokeError';
}

/** Long-term IAM user keys only: STS session keys (ASIA) cannot be deactivated, they expire. */
export function isRevocableKeyId(keyId: string): boolean {
  return catalog.accessKeyLifetime(keyId) === 'long-term' && /^[A-Z0-9]{4}[A-Z2-7]{16}$/.test(keyId);
}

export async function planRevocation(keyIds: readonly string[], options: RevokeOptions): Promise<RevokePlan> {
  const caller = await callerIdentity(options.sts);
  if (!caller.ok)
    throw new RevokeError(
      `STS GetCallerIdentity failed, so the caller's account is unknown: ${explainIamFailure(caller.failure, { ...options.sts, permission: 'sts:GetCallerIdentity' })}`,
    );
  const resolver = new AccountResolver({ ...options.sts, concurrency: 1 });
  const reader = new KeyStatusReader({ connection: options.iam, concurrency: 1 });
  try {
    const targets: RevokeTarget[] = [];
    for (const keyId of keyIds) targets.push(await planOne(keyId, caller.account, resolver, reader, options));
    return { caller: { account: caller.account, arn: caller.arn }, targets };
  } finally {
    await resolver.close().catch(() => undefined);
    await reader.close().catch(() => undefined);
  }
}

async function planOne(
  keyId: string,
  callerAccount: string,
  resolver: AccountResolver,
  reader: KeyStatusReader,
  options: RevokeOptions,
): Promise<RevokeTarget> {
  const target: RevokeTarget = { keyId, account: accountIdFromKeyId(keyId), user: options.user ?? null, keyStatus: null };
  const canary = (account: string | null) => account !== null && CANARY_ACCOUNTS.has(account);
  // Checked offline first: a canary key is refused before any call mentions it.
  if (canary(target.account))
    return { ...target, refusal: `account ${target.account} is a canary-token account: the key is a tripwire, not yours to deactivate` };
  const lookup = await resolver.resolve(keyId);
  if (!lookup.ok)
    return {
      ...target,
      refusal: `its account is unknown (STS GetAccessKeyInfo failed: ${explainIamFailure(lookup.failure, { ...options.sts, permission: 'sts:GetAccessKeyInfo' })})`,
    };
  target.account = lookup.account;
  if (canary(lookup.account))
    return { ...target, refusal: `account ${lookup.account} is a canary-token account: the key is a tripwire, not yours to deactivate` };
  if (lookup.account !== callerAccount)
    return { ...target, refusal: `it belongs to account ${lookup.account}, not the caller's account ${callerAccount}` };
  const read = await reader.read(keyId);
  if (read.keyStatus) {
    target.keyStatus = read.keyStatus;
    if (read.keyStatus.user && options.user && read.keyStatus.user !== options.user) {
      return { ...target, refusal: `IAM says the key belongs to user ${read.keyStatus.user}, not --user ${options.user}` };
    }
    target.user = read.keyStatus.user ?? target.user;
  }
  if (read.failure)
    target.note = `${read.failure.permission.replace('iam:', 'IAM ')} failed: ${explainIamFailure(read.failure.failure, { ...options.iam, permission: read.failure.permission })}`;
  if (!target.user) return { ...target, refusal: 'its IAM user is unknown: pass --user NAME' };
  return target;
}

/** UpdateAccessKey Status=Inactive for each target not already inactive; one attempt each is retried by the SDK on throttling. */
export async function executeRevocation(plan: RevokePlan, iam: IamConnection): Promise<RevokeOutcome[]> {
  if (plan.targets.some((target) => target.refusal)) throw new RevokeError('the plan refuses a key: nothing may be sent');
  const { UpdateAccessKeyCommand } = await import('@aws-sdk/client-iam');
  const client = await createIamClient(iam);
  const outcomes: RevokeOutcome[] = [];
  try {
    for (const target of plan.targets) {
      const user = target.user!;
      if (target.keyStatus?.status === 'inactive') {
        outcomes.push({ keyId: target.keyId, result: 'already-inactive', user });
        continue;
      }
      try {
        const output = await withDeadline(iam.timeoutMs, (abortSignal) =>
          client.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: target.keyId, Status: 'Inactive' }), { abortSignal }),
        );
        const requestId = output.$metadata.requestId;
        outcomes.push({ keyId: target.keyId, result: 'deactivated', user, ...(requestId ? { requestId } : {}) });
      } catch (error) {
        const failure: StsFailure = classifyStsError(error);
        outcomes.push({
          keyId: target.keyId,
          result: 'failed',
          user,
          error: explainIamFailure(failure, { ...iam, permission: 'iam:UpdateAccessKey' }),
        });
      }
    }
  } finally {
    client.destroy();
  }
  return outcomes;
}
