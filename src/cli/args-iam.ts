import type { Argv } from 'yargs';

export function addIamOptions<T>(y: Argv<T>) {
  const group = 'Accounts:';
  return y
    .option('key-status', {
      type: 'boolean',
      describe:
        'Ask IAM whether each owned key found is active and when it was last used (network, your credentials; needs iam:GetAccessKeyLastUsed, iam:ListAccessKeys)',
      group,
    })
    .option('iam-endpoint', {
      type: 'string',
      describe: 'IAM endpoint URL (default: AWS_ENDPOINT_URL_IAM, else iam.amazonaws.com)',
      group,
    });
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
