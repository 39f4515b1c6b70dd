import { writeFileAtomic } from '../fs/atomic-write.js';
import path from 'node:path';
import type { Report } from '../core/types.js';
import { getReporter } from '../report/index.js';
import { printable } from '../report/printable.js';
import { UsageError } from '../errors.js';
import { EXIT, exitCodeFor } from '../run/exit.js';
import { resolveRunOptions, type RunHost, type RunOptions } from '../run/options.js';
import type { RunHooks } from '../run/run.js';
import { run } from '../run/run.js';
import type { ScanArgs } from './args.js';
import type { CliIo } from './io.js';
import { outcomeLine, scanProblem } from './outcome.js';
import { progressReporter, stsProgressReporter } from './progress.js';

export function runHost(io: CliIo): RunHost {
  return { cwd: io.cwd, env: io.env, ...(io.stdout.isTTY !== undefined ? { stdoutIsTTY: io.stdout.isTTY } : {}) };
}

/**
 * Standard input, progress on a terminal's stderr, and STS and IAM failures on stderr at once, one
 * line per cause, because they change what the report means (account disagreements stay in the
 * report's warnings, listed with --verbose).
 */
export function cliHooks(io: CliIo, quiet: boolean): RunHooks {
  return {
    readStdin: () => io.readStdin(),
    scanProgress: () => progressReporter(io, !quiet),
    stsProgress: () => stsProgressReporter(io, !quiet),
    onAlert: (alert) => {
      if (!quiet) io.stderr.write(`keywarden: warning: ${printable(alert)}\n`);
    },
  };
}

async function writeReport(report: Report, options: RunOptions, io: CliIo): Promise<void> {
  const { output } = options;
  const rendered = getReporter(output.format)(report, {
    showSecrets: output.showSecrets,
    color: output.color,
    includeExamples: output.includeExamples,
    verbose: output.verbose,
    quiet: output.quiet,
  });
  if (!output.target) {
    io.stdout.write(rendered);
    return;
  }
  try {
    // Atomic: a scan killed mid-write leaves the previous report whole, not empty or cut short.
    await writeFileAtomic(path.resolve(options.cwd, output.target), rendered, { makeDirectory: false });
  } catch (error) {
    throw new UsageError(`--output: cannot write ${output.target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export async function runScan(args: ScanArgs, io: CliIo): Promise<number> {
  const options = await resolveRunOptions(args, runHost(io));
  const { report } = await run(options, cliHooks(io, options.output.quiet));
  await writeReport(report, options, io);
  const problem = scanProblem(report, options);
  if (problem) {
    io.stderr.write(`keywarden: ${problem}\n`);
    return EXIT.error;
  }
  const exitCode = exitCodeFor(report, options);
  // The report went to a file: the CI log still gets the counts and why the job passes or fails.
  if (options.output.target && !options.output.quiet) io.stderr.write(`keywarden: ${outcomeLine(report, options, exitCode)}\n`);
  return exitCode;
}
