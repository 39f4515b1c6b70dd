import type { Verification } from '../core/types.js';
import { createStsClient, withDeadline, type StaticCredentials, type StsConnection } from './client.js';
import { classifyStsError, REJECTED_CREDENTIAL_CODES, type StsFailure } from './errors.js';

/**
 * --verify: one STS GetCallerIdentity call signed with a found pair (AWS-FACTS.md, "STS"). The call
 * needs no permissions, so an answer proves the pair is live and names its ARN and account; STS
 * rejecting the signature or token means it is inactive (deleted, deactivated or expired).
 * This uses the leaked credential: the call shows in the owner's CloudTrail.
 */

export interface CredentialPair extends StaticCredentials {}

export interface PairCheck {
  verification: Verification;
  /** The account GetCallerIdentity named, for a live pair. */
  account?: string;
  /** Why the check could not decide, for one warning per cause. */
  failure?: StsFailure;
}

export async function verifyPair(pair: CredentialPair, connection: StsConnection): Promise<PairCheck> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  // One attempt: every retry would be one more call with someone else's credential in their logs.
  const client = await createStsClient(connection, pair, 1);
  try {
    const output = await withDeadline(connection.timeoutMs, (abortSignal) => client.send(new GetCallerIdentityCommand({}), { abortSignal }));
    return {
      verification: { status: 'live', ...(output.Arn ? { arn: output.Arn } : {}) },
      ...(output.Account && /^\d{12}$/.test(output.Account) ? { account: output.Account } : {}),
    };
  } catch (error) {
    const failure = classifyStsError(error);
    if (failure.code && REJECTED_CREDENTIAL_CODES.has(failure.code)) return { verification: { status: 'inactive', reason: failure.code } };
    return { verification: { status: 'error', reason: failure.code ?? failure.cause }, failure };
  } finally {
    client.destroy();
  }
}
