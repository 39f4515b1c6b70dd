import type { Report } from '../core/types.js';
import { checkAccounts, type AccountCheckOptions } from '../sts/accounts.js';
import { printable } from '../report/printable.js';
import type { CliIo } from './io.js';
import { checkKeyStatus, type KeyStatusOptions } from '../iam/key-status.js';
import { stsProgressReporter } from './progress.js';

/**
 * Ownership labels always (they cost nothing), STS only when asked. STS failures go to stderr at
 * once, one line per cause, because they change what the report means (offline accounts only);
 * account disagreements stay in the report's warnings, listed with --verbose.
 */
export async function applyAccountChecks(report: Report, options: AccountCheckOptions, io: CliIo, quiet: boolean): Promise<Report> {
  const progress = stsProgressReporter(io, !quiet);
  let result;
  try {
    result = await checkAccounts(report, { ...options, onProgress: (p) => progress.update(p) });
  } finally {
    progress.done();
  }
  if (!quiet) for (const alert of result.alerts) io.stderr.write(`keywarden: warning: ${printable(alert)}\n`);
  return result.report;
}

/** --key-status, after the account checks (so STS-resolved accounts count); failures warn as above. */
export async function applyKeyStatus(report: Report, options: KeyStatusOptions, io: CliIo, quiet: boolean): Promise<Report> {
  const result = await checkKeyStatus(report, options);
  if (!quiet) for (const alert of result.alerts) io.stderr.write(`keywarden: warning: ${printable(alert)}\n`);
  return result.report;
}
