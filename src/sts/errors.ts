import { StsTimeoutError } from './client.js';

/**
 * Why an STS call failed, grouped so a run prints one warning per cause, not one per key.
 * `callerFailure` marks causes that are about the caller's own credentials or permissions:
 * every further call would fail the same way, so resolution stops asking.
 */
export interface StsFailure {
  cause: 'no-credentials' | 'access-denied' | 'caller-rejected' | 'throttled' | 'timeout' | 'network' | 'other' | 'budget' | 'breaker';
  /** The AWS error code or Node error code, when there is one. */
  code?: string;
  detail: string;
  callerFailure: boolean;
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Error codes that mean "the credentials that signed this call are bad" (STS API reference, common errors). */
export const REJECTED_CREDENTIAL_CODES: ReadonlySet<string> = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
]);

/** Most characters of network-supplied text put in a message: an answer may be megabytes of anything. */
const MAX_ECHO = 100;

/** Network-supplied text made safe for one warning line: control characters replaced, at most MAX_ECHO characters. */
export function echo(value: unknown): string {
  const text = String(value).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}... (${text.length} characters)` : text;
}

export function classifyStsError(error: unknown): StsFailure {
  if (error instanceof StsTimeoutError) return { cause: 'timeout', detail: error.message, callerFailure: false };
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = echo(shape.name ?? 'Error');
  const message = echo(shape.message ?? String(error));
  if (name === 'CredentialsProviderError') return { cause: 'no-credentials', code: name, detail: message, callerFailure: true };
  if (name === 'AccessDenied' || name === 'AccessDeniedException')
    return { cause: 'access-denied', code: name, detail: message, callerFailure: true };
  if (REJECTED_CREDENTIAL_CODES.has(name)) return { cause: 'caller-rejected', code: name, detail: message, callerFailure: true };
  if (name === 'Throttling' || name === 'ThrottlingException' || name === 'RequestLimitExceeded') {
    return { cause: 'throttled', code: name, detail: message, callerFailure: false };
  }
  // No HTTP status: the request never got an answer (refused, reset, DNS).
  if (shape.$metadata?.httpStatusCode === undefined) {
    const code = shape.code !== undefined ? echo(shape.code) : name;
    return { cause: 'network', code, detail: message, callerFailure: false };
  }
  return { cause: 'other', code: name, detail: message, callerFailure: false };
}

function plural(count: number, singular: string): string {
  return `${count} ${singular}${count === 1 ? '' : 's'}`;
}

export interface FailureContext {
  timeoutMs: number;
  endpoint?: string;
  /** The IAM action the caller needs, e.g. sts:GetAccessKeyInfo. */
  permission?: string;
}

/** The explanation of a cause for one warning line. */
function explainFailure(failure: StsFailure, context: FailureContext): string {
  switch (failure.cause) {
    case 'no-credentials':
      return 'no AWS credentials found for the caller (the default provider chain: environment, shared config and credentials files, SSO, container or instance role); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';
    case 'access-denied':
      return `${failure.code}: the caller's credentials are not allowed ${context.permission ?? 'this call'} (${failure.detail})`;
    case 'caller-rejected':
      return `${failure.code}: STS rejected the caller's own credentials (${failure.detail})`;
    case 'throttled':
      return `${failure.code}: STS kept throttling the requests after retries`;
    case 'timeout':
      return `STS did not answer within ${context.timeoutMs} ms (--sts-timeout)`;
    case 'budget':
      return `not checked: the STS run budget of ${failure.detail} was used up (--sts-budget)`;
    case 'breaker':
      return `not checked: keywarden stopped calling STS after ${failure.detail}`;
    case 'network':
      return `could not reach STS${context.endpoint ? ` at ${context.endpoint}` : ''} (${failure.code}: ${failure.detail})`;
    default:
      return `${failure.code}: ${failure.detail}`;
  }
}

/** Groups failures by cause (and code) and writes one line for each group. */
export function failureWarnings(failures: readonly StsFailure[], prefix: (count: number) => string, context: FailureContext): string[] {
  const groups = new Map<string, { failure: StsFailure; count: number }>();
  for (const failure of failures) {
    const key = `${failure.cause}\0${failure.cause === 'other' || failure.cause === 'network' ? (failure.code ?? '') : ''}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { failure, count: 1 });
  }
  return [...groups.values()].map(({ failure, count }) => `${prefix(count)}: ${explainFailure(failure, context)}`);
}

export { plural };
