import type { Verification } from '../core/types.js';
import { createStsClient, withDeadline, type StaticCredentials, type StsConnection } from './client.js';
import { StsBudget } from './budget.js';
import { classifyStsError, echo, REJECTED_CREDENTIAL_CODES, type StsFailure } from './errors.js';

/**
 * --verify: one STS GetCallerIdentity call signed with a found pair (docs/aws-credentials.md, "STS"). The call
 * needs no permissions, so an answer proves the pair is live and names its ARN and account; STS
 * rejecting the signature or token means it is inactive (deleted, deactivated or expired).
 * This uses the leaked credential: the call shows in the owner's CloudTrail.
 */

export type CredentialPair = StaticCredentials;

export interface PairCheck {
  verification: Verification;
  /** The account GetCallerIdentity named, for a live pair. */
  account?: string;
  /** Why the check could not decide, for one warning per cause. */
  failure?: StsFailure;
}

/**
 * A GetCallerIdentity answer names the caller's ARN, its 12-digit account and a user id (STS API
 * reference, GetCallerIdentity). Any HTTP 200 is not one: a captive portal or proxy answers 200 with
 * its own page, which the SDK reads as an empty result. The ARN's account must be the answer's.
 */
const ARN = /^arn:aws[a-z-]{0,20}:(?:iam|sts)::(\d{12}):[\x21-\x7e]{1,2000}$/;
const USER_ID = /^[\x21-\x7e]{1,256}$/;

function callerIdentity(output: { Arn?: string; Account?: string; UserId?: string }): { arn: string; account: string } | undefined {
  const { Arn: arn, Account: account, UserId: userId } = output;
  if (typeof arn !== 'string' || typeof account !== 'string' || typeof userId !== 'string') return undefined;
  if (!/^\d{12}$/.test(account) || !USER_ID.test(userId) || arn.length > 2048) return undefined;
  return ARN.exec(arn)?.[1] === account ? { arn, account } : undefined;
}

const NOT_STS = (detail: string): StsFailure => ({ cause: 'other', code: 'UnexpectedResponse', detail, callerFailure: false });

export async function verifyPair(
  pair: CredentialPair,
  connection: StsConnection,
  budget: StsBudget = new StsBudget(Infinity),
): Promise<PairCheck> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  // One attempt: every retry would be one more call with someone else's credential in their logs.
  const client = await createStsClient(connection, pair, 1);
  try {
    const result = await budget.run(
      connection.timeoutMs,
      (timeoutMs) => withDeadline(timeoutMs, (abortSignal) => client.send(new GetCallerIdentityCommand({}), { abortSignal })),
      classifyStsError,
    );
    if (result.ok) {
      const identity = callerIdentity(result.value);
      if (identity) return { verification: { status: 'live', arn: identity.arn }, account: identity.account };
      const account = result.value.Account;
      const detail =
        account !== undefined && !/^\d{12}$/.test(String(account))
          ? `the account in the answer is not 12 digits (${echo(account)})`
          : 'HTTP 200 without a well-formed GetCallerIdentity result (a proxy or captive portal?)';
      return { verification: { status: 'unknown', reason: 'unexpected answer' }, failure: NOT_STS(detail) };
    }
    const failure = result.failure;
    if (failure.code && REJECTED_CREDENTIAL_CODES.has(failure.code)) return { verification: { status: 'inactive', reason: failure.code } };
    return { verification: { status: 'error', reason: failure.code ?? failure.cause }, failure };
  } finally {
    client.destroy();
  }
}
