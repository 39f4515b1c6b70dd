import type { STSClient } from '@aws-sdk/client-sts';

/** Where and how to reach STS; shared by account resolution and verification. */
export interface StsConnection {
  /** Needed for SigV4 signing even with a custom endpoint (docs/aws-credentials.md, "STS"). */
  region: string;
  /** e.g. http://127.0.0.1:4566 for a local emulator; the SDK's regional endpoint when unset. */
  endpoint?: string;
  /** Per-call limit in milliseconds, retries included. */
  timeoutMs: number;
}

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_TIMEOUT_MS = 5000;
/** The SDK's standard retry strategy retries Throttling (and 5xx) up to this many attempts in all. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * An STS client. Without `credentials` the SDK's default provider chain finds the caller's own
 * (environment, shared files, SSO, container or instance roles). The SDK is imported lazily so
 * scans that never ask for STS do not pay for loading it.
 */
export async function createStsClient(
  connection: StsConnection,
  credentials?: StaticCredentials,
  maxAttempts = DEFAULT_MAX_ATTEMPTS,
): Promise<STSClient> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  return new STSClient({
    region: connection.region,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts,
  });
}

/**
 * Runs one SDK call under a deadline that covers its retries: the AbortController cancels the
 * HTTP request, and the flag tells a timeout apart from other aborts.
 */
export async function withDeadline<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await call(controller.signal);
  } catch (error) {
    if (timedOut) throw new StsTimeoutError(timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

export class StsTimeoutError extends Error {
  override readonly name = 'StsTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}
