import type { Argv } from 'yargs';
import type { KeywardenConfig } from '../config/schema.js';
import type { KeyStatusOptions } from '../iam/key-status.js';
import type { AccountCheckOptions } from '../sts/accounts.js';
import { endpointUrl } from './args-sts.js';

/** Raw IAM flags of `scan` (stage one); resolveKeyStatusSettings validates them (stage two). */
export interface IamArgs {
  keyStatus?: boolean;
  iamEndpoint?: string;
}

export function addIamOptions<T>(y: Argv<T>) {
  const group = 'Accounts:';
  return y
    .option('key-status', {
      type: 'boolean',
      describe: "Ask IAM whether each owned key found is active and when it was last used (network, your credentials; needs iam:GetAccessKeyLastUsed, iam:ListAccessKeys)",
      group,
    })
    .option('iam-endpoint', { type: 'string', describe: 'IAM endpoint URL (default: AWS_ENDPOINT_URL_IAM, else iam.amazonaws.com)', group });
}

/** The IAM endpoint: the flag (always checked), else AWS_ENDPOINT_URL_IAM (checked only when IAM is called). */
export function iamEndpoint(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, networked: boolean): string | undefined {
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

/** Raw `revoke` arguments (stage one); run-revoke.ts validates them. */
export interface RevokeArgs {
  keyIds: string[];
  user?: string;
  yes: boolean;
  auditLog?: string;
  iamEndpoint?: string;
  stsEndpoint?: string;
  region?: string;
  stsTimeout?: number;
}

export function addRevokeOptions<T>(y: Argv<T>) {
  return y
    .positional('keyIds', { type: 'string', array: true, describe: 'Long-term access key ids (AKIA...) of your own account' })
    .option('user', { type: 'string', describe: "The keys' IAM user (default: the user IAM GetAccessKeyLastUsed names)" })
    .option('yes', { type: 'boolean', default: false, describe: 'Deactivate: without it the plan is shown and nothing is changed' })
    .option('audit-log', { type: 'string', describe: 'Append the JSON audit lines to this file (default: standard error)' })
    .option('iam-endpoint', { type: 'string', describe: 'IAM endpoint URL (default: AWS_ENDPOINT_URL_IAM, else iam.amazonaws.com)' })
    .option('sts-endpoint', { type: 'string', describe: 'STS endpoint URL (default: AWS_ENDPOINT_URL_STS, else the regional endpoint)' })
    .option('region', { type: 'string', describe: 'Region for STS calls (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1)' })
    .option('sts-timeout', { type: 'number', describe: 'Milliseconds per STS or IAM call, retries included (default 5000)' });
}
