import path from 'node:path';
import { ruleIds } from '../../rules/index.js';
import type { AllowList } from '../core/allow.js';
import type { DetectOptions } from '../core/detect.js';
import type { GitMode } from '../git/scan.js';
import type { Level, RuleId } from '../core/types.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { isInsideRoot } from '../fs/inside-root.js';
import { ConfigError, FAIL_ON_VALUES, parseSize, type FailOn, type KeywardenConfig } from '../config/schema.js';
import { formats, isFormat, type Format } from '../report/index.js';
import { DEFAULT_MAX_FILE_SIZE } from '../scan/read.js';
import { UsageError } from '../errors.js';
import type { ScanArgs } from './args.js';
import { gitModeFromArgs } from './args-git.js';
import { useColor } from './color.js';
import type { CliIo } from './io.js';

/** Validated, merged options for one scan: CLI flags over config file over defaults. */
export interface ScanSettings {
  cwd: string;
  paths: string[];
  format: Format;
  output?: string;
  showSecrets: boolean;
  includeExamples: boolean;
  color: boolean;
  quiet: boolean;
  verbose: boolean;
  include: string[];
  exclude: string[];
  maxFileSize: number;
  useIgnoreFiles: boolean;
  /** Worker threads; undefined: the CPU count. */
  threads?: number;
  detect: DetectOptions;
  allow: AllowList;
  baseline?: string;
  failOn: FailOn;
  config: KeywardenConfig;
  configPath?: string;
  /** Set by --staged, --diff or --history: scan git's added lines instead of files on disk. */
  git?: GitMode;
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
    throw new ConfigError(`${path.relative(cwd, configPath) || configPath}: "baseline" leads outside the repository (${root}); refusing to use it (choose a file yourself with --baseline, or --file for keywarden baseline)`);
  }
  return file;
}

/** `preloaded`: a config already read from elsewhere (the Action's base commit), used instead of searching. */
export async function resolveScanSettings(args: ScanArgs, io: CliIo, preloaded?: LoadedConfig): Promise<ScanSettings> {
  const cwd = io.cwd;
  const loaded = preloaded ?? (args.config === false ? { config: {} as KeywardenConfig, path: undefined } : await loadConfig(cwd, typeof args.config === 'string' ? args.config : undefined));
  const config = loaded.config;

  // An array option given with nothing after it parses as []: say so rather than ignore the flag.
  for (const [flag, values] of [['--rule', args.rule], ['--include', args.include], ['--exclude', args.exclude]] as const) {
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

  const baseline = args.baseline ?? (config.baseline && loaded.path && 'root' in loaded ? baselineFromConfig(config.baseline, loaded.path, loaded.root, cwd) : undefined);

  return {
    cwd,
    paths,
    format,
    ...(args.output !== undefined ? { output: args.output } : {}),
    showSecrets: args.showSecrets,
    includeExamples: args.includeExamples ?? config.includeExamples ?? false,
    color: args.output ? false : useColor(args.color, io),
    quiet: args.quiet,
    verbose: args.verbose,
    include: [...(config.include ?? []), ...(args.include ?? [])],
    exclude: [...(config.exclude ?? []), ...(args.exclude ?? [])],
    maxFileSize,
    useIgnoreFiles: args.gitignore ?? config.gitignore ?? true,
    ...(args.threads !== undefined ? { threads: args.threads } : {}),
    detect: { rules: enabledRules(config, args.rule), levels: levelOverrides(config), ...((args.archives ?? config.archives ?? true) ? {} : { archives: false as const }) },
    allow: {
      values: (config.allow?.values ?? []).map((source) => new RegExp(source)),
      paths: (config.allow?.paths ?? []).map((source) => new RegExp(source)),
    },
    ...(baseline ? { baseline } : {}),
    failOn,
    config,
    ...(loaded.path ? { configPath: loaded.path } : {}),
    ...(git ? { git } : {}),
  };
}
