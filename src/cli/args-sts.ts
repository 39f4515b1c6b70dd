import type { Argv } from 'yargs';
import { DEFAULT_STS_BUDGET_MS } from '../sts/budget.js';
import { DEFAULT_REGION, DEFAULT_TIMEOUT_MS } from '../sts/client.js';
import { DEFAULT_STS_CONCURRENCY } from '../run/account-options.js';

export function addStsOptions<T>(y: Argv<T>) {
  const group = 'Accounts:';
  return (
    y
      // Not `array: true`: that would swallow the scan paths that follow (`--owned-accounts 1111... src`).
      .option('owned-accounts', {
        type: 'string',
        describe:
          'Your AWS account ids, comma-separated (added to config "accounts"): findings are labelled owned, third-party, canary or unknown',
        group,
      })
      .option('resolve-accounts', {
        type: 'boolean',
        describe: 'Ask STS GetAccessKeyInfo which account owns each key id (network; needs sts:GetAccessKeyInfo)',
        group,
      })
      .option('verify', {
        type: 'boolean',
        describe:
          'Call STS GetCallerIdentity with each complete credential pair found to tell live from inactive (uses the leaked credential; see docs)',
        group,
      })
      .option('region', {
        type: 'string',
        describe: `Region for STS calls (default: AWS_REGION, AWS_DEFAULT_REGION, ${DEFAULT_REGION})`,
        group,
      })
      .option('sts-endpoint', {
        type: 'string',
        describe: 'STS endpoint URL (default: AWS_ENDPOINT_URL_STS, else the regional endpoint)',
        group,
      })
      .option('sts-timeout', {
        type: 'number',
        describe: `Milliseconds per STS call, retries included (default ${DEFAULT_TIMEOUT_MS})`,
        group,
      })
      .option('sts-budget', {
        type: 'number',
        describe: `Seconds for all STS calls of a run; calls not made by then are reported as not checked (default ${DEFAULT_STS_BUDGET_MS / 1000})`,
        group,
      })
      .option('sts-concurrency', { type: 'number', describe: `STS calls in flight at once (default ${DEFAULT_STS_CONCURRENCY})`, group })
      .option('sts-cache', {
        type: 'boolean',
        describe: 'Cache STS account answers on disk ($XDG_CACHE_HOME/keywarden/accounts.json, mode 0600)',
        group,
      })
  );
}
