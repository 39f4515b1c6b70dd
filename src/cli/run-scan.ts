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
import { readFile } from 'node:fs/promises';
import { listingProblem, withListing } from '../repos/github.js';
import { coverageProblem, resolveRepoOptions, runRepos, type RepoArgs } from '../run/repos.js';
import { saveRepoState } from '../repos/state.js';
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

export async function runScan(args: ScanArgs & RepoArgs, io: CliIo): Promise<number> {
  if (args.repos !== undefined || args.githubOrg !== undefined || args.githubUser !== undefined) return runReposScan(args, io);
  const stray = (
    [
      ['--cache-dir', args.cacheDir, '--repos or --github-org'],
      ['--shard', args.shard, '--repos or --github-org'],
      ['--allow-partial', args.allowPartial, '--repos or --github-org'],
      ['--state', args.state, '--repos or --github-org'],
      ['--jobs', args.jobs, '--repos or --github-org'],
      ['--include-forks', args.includeForks, '--github-org or --github-user'],
      ['--include-archived', args.includeArchived, '--github-org or --github-user'],
    ] as const
  ).find(([, value]) => value !== undefined);
  if (stray) throw new UsageError(`${stray[0]} only works with ${stray[2]}`);
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

/**
 * `scan --repos` and `scan --github-org`: the run options are checked as for any scan (no paths, no
 * git mode: each repository is scanned like --history --all), then each listed repository in turn. A repository
 * that could not be scanned is named on stderr and in the report, and makes the exit code 2 unless
 * --allow-partial: a quota or auth error must never read as a clean audit.
 */
async function runReposScan(args: ScanArgs & RepoArgs, io: CliIo): Promise<number> {
  const repoOptions = await resolveRepoOptions(
    args,
    { cwd: io.cwd, env: io.env },
    {
      readStdin: () => io.readStdin(),
      readFile: (file) => readFile(file, 'utf8'),
      notice: (message) => {
        if (!args.quiet) io.stderr.write(`keywarden: ${printable(message)}\n`);
      },
    },
  );
  const { history: _history, all: _all, ...rest } = args;
  const options = await resolveRunOptions({ ...rest, paths: ['.'] }, runHost(io));
  const hooks = cliHooks(io, options.output.quiet);
  const scanned = await runRepos(options, repoOptions, { ...(hooks.onAlert ? { onAlert: hooks.onAlert } : {}) });
  const report = repoOptions.github ? withListing(scanned, repoOptions.github) : scanned;
  await writeReport(report, options, io);
  // Only once the report is out: a state saying "scanned" must never stand for findings nobody received.
  if (repoOptions.state) await saveRepoState(repoOptions.state.file, repoOptions.state.display, repoOptions.state.state);
  const problem = coverageProblem(report);
  if (problem) {
    // A listing that stopped early: its reason first, then the coverage line that counts it.
    const listing = repoOptions.github && listingProblem(repoOptions.github);
    if (listing) io.stderr.write(`keywarden: ${repoOptions.allowPartial ? 'warning: ' : ''}${printable(listing)}\n`);
    io.stderr.write(`keywarden: ${repoOptions.allowPartial ? 'warning: ' : ''}${printable(problem)}\n`);
    if (!repoOptions.allowPartial) return EXIT.error;
  }
  const exitCode = exitCodeFor(report, options);
  if (options.output.target && !options.output.quiet) io.stderr.write(`keywarden: ${outcomeLine(report, options, exitCode)}\n`);
  return exitCode;
}
