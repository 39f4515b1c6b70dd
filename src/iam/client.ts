import type { IAMClient } from '@aws-sdk/client-iam';
import { DEFAULT_MAX_ATTEMPTS } from '../sts/client.js';

/** Where and how to reach IAM (scan --key-status, revoke). */
export interface IamConnection {
  /** e.g. http://127.0.0.1:4566; the global endpoint (iam.amazonaws.com) when unset. */
  endpoint?: string;
  /** Per-call limit in milliseconds, retries included (the same --sts-timeout as STS calls). */
  timeoutMs: number;
}

/**
 * IAM is a global service: requests are signed for us-east-1 whatever region the caller works in
 * (IAM API reference, "Making query requests": endpoint iam.amazonaws.com, SigV4 region us-east-1).
 */
const IAM_SIGNING_REGION = 'us-east-1';

/**
 * An IAM client with the caller's own credentials (the SDK's default provider chain). Imported
 * lazily, as STS is, so runs that never ask for IAM do not pay for loading the SDK.
 */
export async function createIamClient(connection: IamConnection, maxAttempts = DEFAULT_MAX_ATTEMPTS): Promise<IAMClient> {
  const { IAMClient } = await import('@aws-sdk/client-iam');
  return new IAMClient({
    region: IAM_SIGNING_REGION,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    maxAttempts,
  });
}
