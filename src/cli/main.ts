import yargs from 'yargs';
import { printable } from '../report/text.js';
import { UsageError } from '../errors.js';
import { isUserError } from '../run/errors.js';
import { tool } from '../version.js';
import { addScanOptions, type ScanArgs } from './args.js';
import { addRepoOptions } from './args-repos.js';
import type { RepoArgs } from '../run/repos.js';
import { rejectMissingValues, rejectUnknownCommand, splitAtDoubleDash, type OptionTypes } from './argv.js';
import { EXIT } from '../run/exit.js';
import type { CliIo } from './io.js';
import { elide } from './outcome.js';
import { runBaseline } from './run-baseline.js';
import { runInstallHook, type InstallHookArgs } from './run-install-hook.js';
import { runScan } from './run-scan.js';
import { addRevokeOptions, type RevokeArgs } from './args-iam.js';
import { runRevoke } from './run-revoke.js';
import { addMergeOptions, runMerge, type MergeArgs } from './run-merge.js';

/** yargs drops a lone "-" positional; it travels as this token and turns back into "-" for runScan. */
const STDIN_TOKEN = '\u0000stdin';

/** The paths yargs parsed plus those after "--" (taken as given), with the standard-input token turned back into "-". */
function withPaths<T extends { paths?: string[] }>(args: T, rest: readonly string[]): T {
  args.paths = [...(args.paths ?? []).map((given) => (given === STDIN_TOKEN ? '-' : given)), ...rest];
  return args;
}

const COMMAND_NAMES = ['scan', 'baseline', 'install-hook', 'revoke', 'merge'];
const asksForHelp = (argv: readonly string[]) => argv.some((arg) => arg === '--help' || arg === '-h');

/**
 * `scan` is also the default command, and yargs lays out (and caches) a named command's help text
 * on every run: ~15 ms of start-up spent on text nobody sees. A leading "scan" is dropped unless
 * help is asked for or what follows would then read as another command (`scan baseline` scans a
 * directory named baseline).
 */
function asDefaultCommand(argv: readonly string[]): readonly string[] {
  if (argv[0] !== 'scan' || COMMAND_NAMES.includes(argv[1] ?? '') || asksForHelp(argv)) return argv;
  return argv.slice(1);
}

/**
 * Stage one: yargs turns argv into raw options (and handles --help/--version). Stage two, in the
 * run-* modules, validates them against each other and the config file. Returns the exit code.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await parseAndRun(argv, io);
  } catch (error) {
    // One line whatever the message holds: paths, globs and JSON parse errors quote user input,
    // which may contain newlines or terminal escapes, or run to thousands of bytes.
    if (isUserError(error)) {
      io.stderr.write(`keywarden: ${elide(printable(error.message), MAX_ERROR_LENGTH)}\n`);
      return EXIT.error;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`keywarden: internal error: ${elide(printable(message), MAX_ERROR_LENGTH)}\n`);
    if (io.env.KEYWARDEN_DEBUG) io.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return EXIT.error;
  }
}

/** Longest error line printed: a path near the system's limit (4,096 bytes) is cut in the middle. */
const MAX_ERROR_LENGTH = 400;

async function parseAndRun(given: readonly string[], io: CliIo): Promise<number> {
  const split = splitAtDoubleDash(given);
  rejectUnknownCommand(split.options, COMMAND_NAMES, io.cwd);
  const argv = asDefaultCommand(split.options).map((arg) => (arg === '-' ? STDIN_TOKEN : arg));
  const rest = split.rest;
  let task: (() => Promise<number>) | undefined;
  // Each command's option types, recorded as yargs builds it, to catch a flag given without its value.
  let optionTypes: OptionTypes | undefined;
  // getOptions() is a public yargs method its typings omit; test/cli/edges.test.ts fails if it goes.
  const recordTypes = <Y>(y: Y): Y => {
    optionTypes = (y as unknown as { getOptions(): OptionTypes }).getOptions();
    return y;
  };
  const checked =
    <T>(run: () => Promise<T>) =>
    () => {
      if (optionTypes) rejectMissingValues(argv, optionTypes);
      return run();
    };
  const parser = yargs([...argv])
    .scriptName('keywarden')
    .usage('$0 <command> [options]\n\nFinds AWS credentials (access key IDs, secret access keys, session tokens) in files and git history.')
    .command<ScanArgs & RepoArgs>(
      ['scan [paths..]', '$0'],
      'Scan files, directories or standard input (default command)',
      (y) => recordTypes(addRepoOptions(addScanOptions(y))) as never,
      (args) => {
        // `--repos -` reads the list from standard input: the token turns back into "-" here too.
        if (args.repos === STDIN_TOKEN) args.repos = '-';
        task = checked(() => runScan(withPaths(args, rest), io));
      },
    )
    .command<ScanArgs & { file?: string }>(
      'baseline [paths..]',
      'Write a baseline of the current findings, so later scans with --baseline report only new ones',
      (y) =>
        recordTypes(
          addScanOptions(y).option('file', {
            type: 'string',
            describe: 'Baseline file to write [default: the config\'s "baseline", else .keywarden-baseline.json]',
          }),
        ) as never,
      (args) => {
        task = checked(() => runBaseline(withPaths(args, rest), io));
      },
    )
    .command<InstallHookArgs>(
      'install-hook',
      'Write a git pre-commit hook that runs "keywarden scan --staged" (honours core.hooksPath)',
      (y) =>
        y.option('force', {
          type: 'boolean',
          default: false,
          describe: 'Replace a pre-commit hook keywarden did not write (it is kept as a backup)',
        }) as never,
      (args) => {
        task = checked(() => {
          if (rest.length > 0) throw new UsageError('install-hook takes no paths');
          return runInstallHook(args, io);
        });
      },
    )
    .command<RevokeArgs>(
      'revoke <keyIds..>',
      "Deactivate your own leaked access keys in IAM (plan only without --yes; never deletes; refuses other accounts' and canary keys)",
      (y) => recordTypes(addRevokeOptions(y)) as never,
      (args) => {
        task = checked(() => {
          if (rest.length > 0) throw new UsageError('revoke takes key IDs, not arguments after --');
          return runRevoke(args, io);
        });
      },
    )
    .command<MergeArgs>(
      'merge <files..>',
      'Merge JSON reports of "scan --repos --shard K/N" into one report, in any format (findings de-duplicated, stats summed)',
      (y) => recordTypes(addMergeOptions(y)) as never,
      (args) => {
        task = checked(() => runMerge({ ...args, files: [...args.files, ...rest] }, io));
      },
    )
    .strict()
    .help()
    .alias('h', 'help')
    .version(tool.version)
    // Laying out help text costs ~20 ms of start-up: only wrap when help will be printed.
    .wrap(asksForHelp(argv) ? Math.min(110, process.stdout.columns ?? 100) : null)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
  const output = await new Promise<string>((resolve, reject) => {
    void parser.parseAsync([...argv], {}, (error, _args, text) => (error ? reject(error) : resolve(text))).catch(reject);
  });
  if (output) io.stdout.write(`${output}\n`);
  return task ? task() : EXIT.clean;
}
