import path from 'node:path';
import { ruleIds } from '../../rules/index.js';
import type { AllowList } from '../core/allow.js';
import type { Baseline } from '../core/baseline.js';
import type { DetectOptions } from '../core/detect.js';
import type { Level, RuleId } from '../core/types.js';
import { readBaseline } from '../baseline/file.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { ConfigError, FAIL_ON_VALUES, parseSize, type FailOn, type KeywardenConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { isInsideRoot } from '../fs/inside-root.js';
import type { BlobCacheSession } from '../git/blob-cache.js';
import type { GitMode } from '../git/scan.js';
import type { KeyStatusOptions } from '../iam/key-status.js';
import { formats, isFormat, type Format } from '../report/index.js';
import { DEFAULT_MAX_FILE_SIZE } from '../scan/read.js';
import type { IgnoreFileReader } from '../scan/ignore-files.js';
import type { AccountCheckOptions } from '../sts/accounts.js';
import { resolveKeyStatusSettings, resolveStsSettings, type IamArgs, type StsArgs } from './account-options.js';
import { gitModeFromArgs, gitPathspecs, type GitArgs } from './git-options.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * What a run was asked for, typed but not yet checked (stage one, ripgrep's LowArgs): the CLI
 * fills it from yargs, the Action from its inputs. resolveRunOptions checks it once.
 */
export interface RunArgs extends StsArgs, GitArgs, IamArgs {
  paths: string[];
  format?: string;
  output?: string;
  showSecrets: boolean;
  includeExamples?: boolean;
  include?: string[];
  exclude?: string[];
  maxFileSize?: string;
  gitignore?: boolean;
  archives?: boolean;
  threads?: number;
  config?: string | boolean;
  baseline?: string;
  rule?: string[];
  failOn?: string;
  color?: boolean;
  quiet: boolean;
  verbose: boolean;
}

/** Where findings come from. A new kind of source is added here and in sources.ts. */
export type SourceSpec =
  | { kind: 'stdin' }
  | { kind: 'files'; paths: string[]; threads?: number }
  /**
   * git's added lines: --staged, --diff, --history; pathspecs narrow it (empty: the whole repository).
   * `blobCache`: `scan --repos` shares one run-wide cache of scanned blobs between repositories.
   */
  | { kind: 'git'; mode: GitMode; pathspecs: string[]; blobCache?: BlobCacheSession }
  /** Commit by commit, what a pull request or push adds (the Action; see git/range-scan.ts). */
  | { kind: 'range'; commits: { base: string; head: string; range: string }; pathspecs: string[] };

/** Which files a source reads. */
export interface ScanScope {
  include: string[];
  exclude: string[];
  maxFileSize: number;
  useIgnoreFiles: boolean;
  /** Read .keywardenignore files from here (a base commit's tree) instead of the work tree. */
  ignoreReader?: IgnoreFileReader;
}

/** A baseline to apply: where it is (for messages and `keywarden baseline`) and how to read it. */
export interface BaselineRef {
  /** Absolute path. */
  file: string;
  /** As the user named it. */
  display: string;
  read(): Promise<Baseline>;
}

/** What the stages after detection do with the findings. */
export interface RunPolicy {
  allow: AllowList;
  baseline?: BaselineRef;
  /** Owned accounts (ownership labels) and the STS calls asked for (--resolve-accounts, --verify); undefined: neither stage runs. */
  accounts?: AccountCheckOptions;
  /** --key-status; undefined: IAM is not called. */
  keyStatus?: KeyStatusOptions;
}

export interface OutputOptions {
  format: Format;
  /** A file to write the report to (relative to cwd); undefined: standard output. */
  target?: string;
  showSecrets: boolean;
  includeExamples: boolean;
  color: boolean;
  quiet: boolean;
  verbose: boolean;
}

/** Everything one run needs, checked once (stage two, ripgrep's HiArgs): CLI flags over config file over defaults. */
export interface RunOptions {
  cwd: string;
  env: Env;
  /** The paths as given ("." when none): messages and `scanProblem` use them. */
  paths: string[];
  source: SourceSpec;
  scope: ScanScope;
  detect: DetectOptions;
  policy: RunPolicy;
  output: OutputOptions;
  failOn: FailOn;
  config: KeywardenConfig;
  configPath?: string;
}

/** Where a run happens: the directory, the environment, and whether standard output is a terminal (colour). */
export interface RunHost {
  cwd: string;
  env: Env;
  stdoutIsTTY?: boolean;
}

/** --color / --no-color win; then NO_COLOR and FORCE_COLOR (no-color.org); then whether stdout is a TTY. */
function useColor(flag: boolean | undefined, env: Env, isTTY: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(isTTY) && env.TERM !== 'dumb';
}

function enabledRules(config: KeywardenConfig, cliRules: string[] | undefined): RuleId[] {
  for (const id of cliRules ?? []) {
    if (!(ruleIds as readonly string[]).includes(id)) throw new UsageError(`--rule: unknown rule "${id}" (rules: ${ruleIds.join(', ')})`);
  }
  const selected = cliRules && cliRules.length > 0 ? (cliRules as RuleId[]) : [...ruleIds];
  return selected.filter((id) => config.rules?.[id] !== 'off');
}

function levelOverrides(config: KeywardenConfig): Partial<Record<RuleId, Level>> {
  const levels: Partial<Record<RuleId, Level>> = {};
  for (const [id, level] of Object.entries(config.rules ?? {})) if (level !== 'off') levels[id as RuleId] = level;
  return levels;
}

/** A config's "baseline" must stay inside the workspace: the config may come from an untrusted checkout (a typed --baseline may point anywhere). */
function baselineFromConfig(baseline: string, configPath: string, root: string, cwd: string): string {
  const file = path.resolve(path.dirname(configPath), baseline);
  if (!isInsideRoot(file, root)) {
    throw new ConfigError(
      `${path.relative(cwd, configPath) || configPath}: "baseline" leads outside the repository (${root}); refusing to use it (choose a file yourself with --baseline, or --file for keywarden baseline)`,
    );
  }
  return file;
}

/** A baseline file on disk, read when the baseline stage runs. */
function baselineFile(cwd: string, given: string): BaselineRef {
  const file = path.resolve(cwd, given);
  return { file, display: given, read: () => readBaseline(file, given) };
}

function sourceSpec(paths: string[], git: GitMode | undefined, threads: number | undefined): SourceSpec {
  if (git) return { kind: 'git', mode: git, pathspecs: gitPathspecs(paths) };
  if (paths.length === 1 && paths[0] === '-') return { kind: 'stdin' };
  return { kind: 'files', paths, ...(threads !== undefined ? { threads } : {}) };
}

export interface ResolveChoices {
  /** A config already read from elsewhere (the Action's base commit), used instead of searching. */
  preloaded?: LoadedConfig;
  /** false: no ownership, STS or IAM stage, and their flags are not checked (`keywarden baseline` records findings only). */
  accountChecks?: boolean;
}

/** Checks `args` once and merges them over the config file and defaults. */
export async function resolveRunOptions(args: RunArgs, host: RunHost, choices: ResolveChoices = {}): Promise<RunOptions> {
  const { cwd, env } = host;
  const preloaded = choices.preloaded;
  const loaded =
    preloaded ??
    (args.config === false
      ? { config: {} as KeywardenConfig, path: undefined }
      : await loadConfig(cwd, typeof args.config === 'string' ? args.config : undefined));
  const config = loaded.config;

  // An array option given with nothing after it parses as []: say so rather than ignore the flag.
  for (const [flag, values] of [
    ['--rule', args.rule],
    ['--include', args.include],
    ['--exclude', args.exclude],
  ] as const) {
    if (values !== undefined && values.length === 0) throw new UsageError(`${flag} needs a value`);
  }

  const format = args.format ?? 'text';
  if (!isFormat(format)) throw new UsageError(`--format: unknown format "${format}" (formats: ${formats.join(', ')})`);

  let maxFileSize = config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (args.maxFileSize !== undefined) {
    const parsed = parseSize(args.maxFileSize);
    if (parsed === undefined) throw new UsageError(`--max-file-size: "${args.maxFileSize}" is not a size (use bytes or e.g. 500KB, 5MB)`);
    maxFileSize = parsed;
  }

  const failOn = (args.failOn ?? config.failOn ?? 'note') as FailOn;
  if (!FAIL_ON_VALUES.includes(failOn)) throw new UsageError(`--fail-on: "${args.failOn}" is not one of ${FAIL_ON_VALUES.join(', ')}`);

  const paths = args.paths.length > 0 ? args.paths : ['.'];
  if (paths.includes('-') && paths.length > 1) throw new UsageError('"-" (standard input) cannot be combined with other paths');
  for (const given of paths) if (given === '') throw new UsageError('empty path argument');
  const git = gitModeFromArgs({ ...args, paths });

  if (args.threads !== undefined && !(Number.isInteger(args.threads) && args.threads >= 0 && args.threads <= 64)) {
    throw new UsageError('--threads takes a whole number from 0 to 64');
  }

  const baseline =
    args.baseline ??
    (config.baseline && loaded.path && 'root' in loaded ? baselineFromConfig(config.baseline, loaded.path, loaded.root, cwd) : undefined);
  const accounts = choices.accountChecks === false ? undefined : resolveStsSettings(args, config, env);
  const keyStatus = accounts ? resolveKeyStatusSettings(args, config, env, accounts) : undefined;

  return {
    cwd,
    env,
    paths,
    source: sourceSpec(paths, git, args.threads),
    scope: {
      include: [...(config.include ?? []), ...(args.include ?? [])],
      exclude: [...(config.exclude ?? []), ...(args.exclude ?? [])],
      maxFileSize,
      useIgnoreFiles: args.gitignore ?? config.gitignore ?? true,
    },
    detect: {
      rules: enabledRules(config, args.rule),
      levels: levelOverrides(config),
      ...((args.archives ?? config.archives ?? true) ? {} : { archives: false as const }),
    },
    policy: {
      allow: {
        values: (config.allow?.values ?? []).map((source) => new RegExp(source)),
        paths: (config.allow?.paths ?? []).map((source) => new RegExp(source)),
      },
      ...(baseline ? { baseline: baselineFile(cwd, baseline) } : {}),
      ...(accounts ? { accounts } : {}),
      ...(keyStatus ? { keyStatus } : {}),
    },
    output: {
      format,
      ...(args.output !== undefined ? { target: args.output } : {}),
      showSecrets: args.showSecrets,
      includeExamples: args.includeExamples ?? config.includeExamples ?? false,
      color: args.output ? false : useColor(args.color, env, host.stdoutIsTTY),
      quiet: args.quiet,
      verbose: args.verbose,
    },
    failOn,
    config,
    ...(loaded.path ? { configPath: loaded.path } : {}),
  };
}
