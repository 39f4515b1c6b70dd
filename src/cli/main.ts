import yargs from 'yargs';
import { printable } from '../report/text.js';
import { UsageError } from '../scan/errors.js';
import { isUserError } from './user-error.js';
import { tool } from '../version.js';
import { addScanOptions, type ScanArgs } from './args.js';
import { EXIT, type CliIo } from './io.js';
import { runBaseline } from './run-baseline.js';
import { runInstallHook, type InstallHookArgs } from './run-install-hook.js';
import { runScan } from './run-scan.js';
import { addRevokeOptions, type RevokeArgs } from './args-iam.js';
import { runRevoke } from './run-revoke.js';

/** yargs drops a lone "-" positional; it travels as this token and turns back into "-" for runScan. */
export const STDIN_TOKEN = '\u0000stdin';

function restoreStdin<T extends { paths?: string[] }>(args: T): T {
  if (args.paths) args.paths = args.paths.map((given) => (given === STDIN_TOKEN ? '-' : given));
  return args;
}

const COMMAND_NAMES = ['scan', 'baseline', 'install-hook', 'revoke'];
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
  argv = asDefaultCommand(argv).map((arg) => (arg === '-' ? STDIN_TOKEN : arg));
  let exitCode: number = EXIT.clean;
  let task: (() => Promise<number>) | undefined;
  const parser = yargs([...argv])
    .scriptName('keywarden')
    .usage('$0 <command> [options]\n\nFinds AWS credentials (access key IDs, secret access keys, session tokens) in files and git history.')
    .command<ScanArgs>(['scan [paths..]', '$0'], 'Scan files, directories or standard input (default command)', (y) => addScanOptions(y) as never, (args) => {
      task = () => runScan(restoreStdin(args), io);
    })
    .command<ScanArgs & { file?: string }>(
      'baseline [paths..]',
      'Write a baseline of the current findings, so later scans with --baseline report only new ones',
      (y) =>
        addScanOptions(y).option('file', {
          type: 'string',
          describe: 'Baseline file to write [default: the config\'s "baseline", else .keywarden-baseline.json]',
        }) as never,
      (args) => {
        task = () => runBaseline(restoreStdin(args), io);
      },
    )
    .command<InstallHookArgs>(
      'install-hook',
      'Write a git pre-commit hook that runs "keywarden scan --staged" (honours core.hooksPath)',
      (y) => y.option('force', { type: 'boolean', default: false, describe: 'Replace a pre-commit hook keywarden did not write (it is kept as a backup)' }) as never,
      (args) => {
        task = () => runInstallHook(args, io);
      },
    )
    .command<RevokeArgs>(
      'revoke <keyIds..>',
      "Deactivate your own leaked access keys in IAM (plan only without --yes; never deletes; refuses other accounts' and canary keys)",
      (y) => addRevokeOptions(y) as never,
      (args) => {
        task = () => runRevoke(args, io);
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
  try {
    const output = await new Promise<string>((resolve, reject) => {
      void parser.parseAsync([...argv], {}, (error, _args, text) => (error ? reject(error) : resolve(text))).catch(reject);
    });
    if (output) io.stdout.write(`${output}\n`);
    if (task) exitCode = await task();
  } catch (error) {
    // One line whatever the message holds: paths, globs and JSON parse errors quote user input,
    // which may contain newlines or terminal escapes.
    if (isUserError(error)) {
      io.stderr.write(`keywarden: ${printable(error.message)}\n`);
      return EXIT.error;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`keywarden: internal error: ${printable(message)}\n`);
    if (io.env.KEYWARDEN_DEBUG) io.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return EXIT.error;
  }
  return exitCode;
}
