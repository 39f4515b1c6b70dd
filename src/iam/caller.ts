import { createStsClient, withDeadline, type StsConnection } from '../sts/client.js';
import { classifyStsError, type StsFailure } from '../sts/errors.js';

/**
 * The caller's own account from STS GetCallerIdentity, signed with the caller's credentials
 * (STS API reference: the call needs no permission). IAM only answers about keys in this account,
 * and revoke refuses any key of another.
 */
export type CallerIdentity = { ok: true; account: string; arn: string } | { ok: false; failure: StsFailure };

export async function callerIdentity(connection: StsConnection): Promise<CallerIdentity> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const client = await createStsClient(connection);
  try {
    const output = await withDeadline(connection.timeoutMs, (abortSignal) =>
      client.send(new GetCallerIdentityCommand({}), { abortSignal }),
    );
    if (!output.Account || !/^\d{12}$/.test(output.Account)) {
      return {
        ok: false,
        failure: {
          cause: 'other',
          code: 'UnexpectedResponse',
          detail: `no 12-digit account in the GetCallerIdentity answer (${String(output.Account)})`,
          callerFailure: true,
        },
      };
    }
    return { ok: true, account: output.Account, arn: output.Arn ?? '' };
  } catch (error) {
    return { ok: false, failure: classifyStsError(error) };
  } finally {
    client.destroy();
  }
}
