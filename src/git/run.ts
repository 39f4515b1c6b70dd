import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { GitError, GitNotFoundError, NotAGitRepositoryError } from './errors.js';

/** Where and how to run git: the CLI passes its own cwd and environment, so tests can isolate both. */
export interface GitContext {
  cwd: string;
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Transports git may use, colon-separated (GIT_ALLOW_PROTOCOL's syntax). Unset for every scan:
   * no transport. Only mirroring a listed repository (src/repos/mirror.ts) sets it.
   */
  allowProtocols?: string;
}

/**
 * Options in front of every command. quotePath=false keeps non-ASCII paths readable; the C
 * locale keeps error messages in English so they can be recognised.
 *
 * A scanned repository is hostile, and its .git/config can name programs for git to run. `-c` on
 * the command line outranks every config file, so these settings switch off the ones a read-only
 * command (rev-parse, diff, log, cat-file) could start:
 * - core.fsmonitor: the file-system monitor hook, run by `diff --cached` when it reads the index;
 * - core.pager (and --no-pager): a pager, never wanted when output goes to keywarden;
 * - protocol.allow=never: no transport at all, so a partial clone's promisor remote is never
 *   lazily fetched (which would run core.sshCommand, credential helpers or uploadpack). Per-protocol
 *   `protocol.<name>.allow` settings outrank it, hence GIT_ALLOW_PROTOCOL in gitEnv too;
 * - log.showSignature=false: no gpg.program.
 * Diff drivers (textconv, diff.<driver>.command, diff.external) are off through --no-textconv and
 * --no-ext-diff on each diff and log call (sources.ts); cat-file --batch applies no filters; none
 * of these commands runs hooks.
 */
const GLOBAL_ARGS = [
  '--no-pager',
  '-c',
  'core.quotePath=false',
  '-c',
  'color.ui=false',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.pager=cat',
  '-c',
  'protocol.allow=never',
  '-c',
  'log.showSignature=false',
];

/** Big enough for a staged diff of large files; history streams instead (see spawnGit). */
const MAX_BUFFER = 512 * 1024 * 1024;

export function gitEnv(context: GitContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...(context.env ?? process.env) };
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  // Never wait for a credential prompt or a pager: keywarden only reads local objects.
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_PAGER = 'cat';
  // An empty allow list forbids every transport, whatever protocol.<name>.allow the repository sets;
  // GIT_NO_LAZY_FETCH says the same to git 2.44 and later. Objects missing locally stay missing.
  env.GIT_ALLOW_PROTOCOL = context.allowProtocols ?? '';
  env.GIT_NO_LAZY_FETCH = '1';
  // Read-only: never take index.lock to refresh the index as a side effect.
  env.GIT_OPTIONAL_LOCKS = '0';
  return env;
}

/** Turns a failed git run into the error a user can act on. */
function gitFailure(context: GitContext, args: readonly string[], error: unknown, stderr: string): Error {
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' && !stderr) return new GitNotFoundError();
  if (/not a git repository/i.test(stderr)) return new NotAGitRepositoryError(context.cwd);
  const firstLine =
    stderr
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.replace(/^(fatal|error):\s*/, '') ??
    (error as Error | undefined)?.message ??
    'unknown error';
  return new GitError(`git ${args[0] ?? ''} failed: ${firstLine.trim()}`);
}

/** Runs one git command with an argument array (never a shell) and returns its stdout. */
export function runGit(context: GitContext, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...GLOBAL_ARGS, ...args],
      { cwd: context.cwd, env: gitEnv(context), encoding: 'buffer', maxBuffer: MAX_BUFFER, windowsHide: true },
      (error, stdout, stderr) => {
        if (error) reject(gitFailure(context, args, error, stderr.toString('utf8')));
        else resolve(stdout);
      },
    );
  });
}

export type GitChild = ChildProcessByStdio<Writable, Readable, Readable>;

/** Starts a long-running git command (log, cat-file --batch) whose output is read as a stream. */
export function spawnGit(context: GitContext, args: readonly string[]): { child: GitChild; done: Promise<void> } {
  const child = spawn('git', [...GLOBAL_ARGS, ...args], {
    cwd: context.cwd,
    env: gitEnv(context),
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 64 * 1024) stderr += chunk;
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (error) => reject(gitFailure(context, args, error, stderr)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(gitFailure(context, args, new Error(signal ? `killed by ${signal}` : `exit code ${code}`), stderr));
    });
  });
  // A consumer may stop early; the rejection is then reported (or ignored) by whoever awaits `done`.
  done.catch(() => undefined);
  return { child, done };
}
