import { UsageError } from '../errors.js';
import type { GitMode } from '../git/scan.js';

/** Raw git-mode flags (stage one); gitModeFromArgs validates them against each other (stage two). */
export interface GitArgs {
  staged?: boolean;
  diff?: string;
  history?: boolean;
  since?: string;
  all?: boolean;
  until?: string;
}

/** The git mode the flags ask for, or undefined for a file scan. Paths other than "." become pathspecs. */
export function gitModeFromArgs(args: GitArgs & { paths: readonly string[] }): GitMode | undefined {
  const chosen = [
    args.staged ? '--staged' : undefined,
    args.diff !== undefined ? '--diff' : undefined,
    args.history ? '--history' : undefined,
  ].filter((flag): flag is string => flag !== undefined);
  if (chosen.length > 1) throw new UsageError(`${chosen.join(' and ')} cannot be combined: choose one git mode`);
  if (args.since !== undefined && !args.history) throw new UsageError('--since only works with --history');
  if (args.all && !args.history) throw new UsageError('--all only works with --history');
  if (args.until !== undefined && !args.history) throw new UsageError('--until only works with --history');
  if (args.until !== undefined && args.all) throw new UsageError('--until cannot be combined with --all: --all walks every ref');
  if (chosen.length === 0) return undefined;
  if (args.paths.includes('-')) throw new UsageError(`${chosen[0]} reads from git: "-" (standard input) cannot be combined with it`);
  if (args.diff !== undefined) {
    if (args.diff.trim() === '') throw new UsageError('--diff needs a range, e.g. --diff origin/main...HEAD');
    return { kind: 'diff', range: args.diff };
  }
  if (args.history) {
    if (args.since !== undefined && args.since.trim() === '') throw new UsageError('--since needs a revision, e.g. --since v1.0.0');
    if (args.until !== undefined && args.until.trim() === '') throw new UsageError('--until needs a revision, e.g. --until HEAD');
    return {
      kind: 'history',
      ...(args.since !== undefined ? { since: args.since } : {}),
      ...(args.all ? { all: true } : {}),
      ...(args.until !== undefined ? { until: args.until } : {}),
    };
  }
  return { kind: 'staged' };
}

/** Positional paths narrow a git scan as pathspecs; the default "." means the whole repository. */
export function gitPathspecs(paths: readonly string[]): string[] {
  return paths.length === 1 && paths[0] === '.' ? [] : [...paths];
}
