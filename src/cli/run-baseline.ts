import path from 'node:path';
import { writeBaseline } from '../baseline/file.js';
import { printable } from '../report/printable.js';
import { UsageError } from '../errors.js';
import type { ScanArgs } from './args.js';
import { EXIT } from '../run/exit.js';
import type { CliIo } from './io.js';
import { scanProblem } from './outcome.js';
import { resolveRunOptions } from '../run/options.js';
import { run } from '../run/run.js';
import { cliHooks, runHost } from './run-scan.js';

const DEFAULT_BASELINE_FILE = '.keywarden-baseline.json';

/** `keywarden baseline`: record today's findings (as salted hashes) so only new ones fail later. */
export async function runBaseline(args: ScanArgs & { file?: string }, io: CliIo): Promise<number> {
  if (args.file !== undefined && args.file.trim() === '') throw new UsageError('--file: empty path');
  // A typed --file is the user's choice, so the config's own "baseline" does not matter here (and
  // is not checked); without it, settings.baseline is the config's, already held inside the repository.
  // Findings are recorded as found: no ownership, STS or IAM stage (and their flags are not checked).
  const options = await resolveRunOptions(
    args.file !== undefined && args.baseline === undefined ? { ...args, baseline: args.file } : args,
    runHost(io),
    { accountChecks: false },
  );
  // Without --file, the baseline goes where the config says scans read it (settings.baseline is
  // then the config's path, resolved against the config's directory).
  const fromConfig =
    args.file === undefined && args.baseline === undefined && options.configPath !== undefined && options.config.baseline !== undefined;
  const target = fromConfig ? options.policy.baseline!.file : path.resolve(options.cwd, args.file ?? DEFAULT_BASELINE_FILE);
  const shown = fromConfig ? options.config.baseline! : (args.file ?? DEFAULT_BASELINE_FILE);
  // The allow list applies; an existing baseline (flag or config) must not hide what is recorded.
  const { baseline: _existing, ...policy } = options.policy;
  const { report } = await run({ ...options, policy }, cliHooks(io, options.output.quiet));
  // A baseline of a scan that read nothing would hide nothing and mean nothing: say so, write nothing.
  const problem = scanProblem(report, options);
  if (problem) throw new UsageError(`${problem}; no baseline written`);
  const { findings } = report;
  try {
    await writeBaseline(target, findings);
  } catch (error) {
    throw new UsageError(`cannot write baseline ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  io.stderr.write(`keywarden: wrote ${findings.length} finding(s) to ${printable(shown)}\n`);
  return EXIT.clean;
}
