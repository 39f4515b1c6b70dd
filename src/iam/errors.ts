import { plural, type StsFailure } from '../sts/errors.js';

/**
 * IAM failures share STS's classification (src/sts/errors.ts: both are AWS Query APIs with the same
 * common error codes), but their warnings name IAM and the permission that was missing.
 */

export interface IamFailureContext {
  timeoutMs: number;
  endpoint?: string;
  /** e.g. iam:GetAccessKeyLastUsed; its prefix names the service in the text. */
  permission: string;
}

const serviceOf = (permission: string) => (permission.startsWith('sts:') ? 'STS' : 'IAM');

export function explainIamFailure(failure: StsFailure, context: IamFailureContext): string {
  switch (failure.cause) {
    case 'no-credentials':
      return 'no AWS credentials found for the caller (environment, shared config and credentials files, SSO, container or instance role); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';
    case 'access-denied':
      return `${failure.code}: the caller's credentials are not allowed ${context.permission} (${failure.detail})`;
    case 'caller-rejected':
      return `${failure.code}: AWS rejected the caller's own credentials (${failure.detail})`;
    case 'throttled':
      return `${failure.code}: ${serviceOf(context.permission)} kept throttling the requests after retries`;
    case 'timeout':
      return `${serviceOf(context.permission)} did not answer within ${context.timeoutMs} ms (--sts-timeout)`;
    case 'network':
      return `could not reach ${serviceOf(context.permission)}${context.endpoint ? ` at ${context.endpoint}` : ''} (${failure.code}: ${failure.detail})`;
    default:
      return `${failure.code}: ${failure.detail}`;
  }
}

/** A failure and the IAM action that failed, so one warning per cause names the right permission. */
export interface IamFailure {
  failure: StsFailure;
  permission: string;
}

/** One line per cause (and per code for otherwise unclassified errors), with how many keys it hit. */
export function iamFailureWarnings(
  failures: readonly IamFailure[],
  prefix: (count: number) => string,
  context: Omit<IamFailureContext, 'permission'>,
): string[] {
  const groups = new Map<string, { entry: IamFailure; count: number }>();
  for (const entry of failures) {
    const { failure } = entry;
    const detail =
      failure.cause === 'other' || failure.cause === 'network'
        ? (failure.code ?? '')
        : failure.cause === 'access-denied'
          ? entry.permission
          : '';
    const key = `${failure.cause}\0${detail}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { entry, count: 1 });
  }
  return [...groups.values()].map(
    ({ entry, count }) => `${prefix(count)}: ${explainIamFailure(entry.failure, { ...context, permission: entry.permission })}`,
  );
}

export { plural };
