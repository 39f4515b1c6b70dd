import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Finding, Report, RepositoryStatus, ReportStats } from '../core/types.js';
import { UsageError } from '../errors.js';
import { BlobCache } from '../git/blob-cache.js';
import { existingCommits, refTips, rootCommits } from '../git/repo.js';
import { tool } from '../version.js';
import { gitHubCloneCredential, listGitHubRepos, type GitHubListing } from '../repos/github.js';
import { normaliseRepo, parseRepoList, parseShard, selectShard } from '../repos/list.js';
import { defaultRepoCacheDir, mirrorRepository, type GitHubCredential } from '../repos/mirror.js';
import { NamedLocks } from '../repos/named-locks.js';
import { loadRepoState, type RepoState } from '../repos/state.js';
import type { RunOptions } from './options.js';
import { run, type RunHooks } from './run.js';
import { runAwsStages, withoutAwsCalls } from './stages.js';

/** Raw `scan --repos` / `scan --github-org` flags (stage one); resolveRepoOptions checks them (stage two). */
export interface RepoArgs {
  repos?: string;
  githubOrg?: string;
  githubUser?: string;
  includeForks?: boolean;
  includeArchived?: boolean;
  cacheDir?: string;
  shard?: string;
  allowPartial?: boolean;
  state?: string;
  jobs?: number;
}

export interface RepoOptions {
  /** The repositories this process scans (its shard of the list), as listed. */
  repos: string[];
  cacheDir: string;
  allowPartial: boolean;
  /** The GitHub listing the repositories came from (with --github-org or --github-user). */
  github?: GitHubListing;
  /** Sent when mirroring a listed https repository on the listing's GitHub host (GITHUB_TOKEN, for a GitHub listing only). */
  token?: GitHubCredential;
  /** --state: the file, as given and resolved, and what it held; runRepos records each repository scanned. */
  state?: { file: string; display: string; state: RepoState };
  /** Repositories mirrored and scanned at once (default DEFAULT_JOBS). */
  jobs?: number;
}

/** Mirroring waits on the network and git; a few at once keep both busy without crowding a small machine. */
export const DEFAULT_JOBS = Math.max(1, Math.min(4, os.availableParallelism()));
const MAX_JOBS = 64;

/** Where the list comes from, named as the user spelled it; two sources at once are one usage line. */
function listFlag(args: RepoArgs): '--repos' | '--github-org' | '--github-user' {
  const sources = [
    ['--repos', args.repos],
    ['--github-org', args.githubOrg],
    ['--github-user', args.githubUser],
  ] as const;
  const given = sources.filter(([, value]) => value !== undefined).map(([flag]) => flag);
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} cannot be combined: give one list of repositories`);
  return given[0] ?? '--repos';
}

async function readRepoList(
  repos: string,
  options: Pick<RunOptions, 'cwd'>,
  io: { readStdin(): Promise<string>; readFile(file: string): Promise<string> },
): Promise<string[]> {
  if (repos.trim() === '') throw new UsageError('--repos needs a file with one repository URL or path a line, or "-" for standard input');
  let text: string;
  if (repos === '-') text = await io.readStdin();
  else {
    try {
      text = await io.readFile(path.resolve(options.cwd, repos));
    } catch (error) {
      throw new UsageError(`--repos: cannot read ${repos}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const listed = parseRepoList(text);
  if (listed.length === 0) throw new UsageError(`--repos: ${repos === '-' ? 'standard input' : repos} lists no repository`);
  return listed;
}

/**
 * Checks the flags that go with a list of repositories, then reads the list: a file (or "-" for
 * standard input) or, only when asked, a GitHub listing (the one network call before mirroring).
 */
export async function resolveRepoOptions(
  args: RepoArgs & { paths: readonly string[]; staged?: boolean; diff?: string; history?: boolean; since?: string; until?: string },
  options: Pick<RunOptions, 'cwd' | 'env'>,
  io: { readStdin(): Promise<string>; readFile(file: string): Promise<string>; notice?(message: string): void },
): Promise<RepoOptions> {
  const flag = listFlag(args);
  if (args.paths.length > 1 || (args.paths.length === 1 && args.paths[0] !== '.'))
    throw new UsageError(`${flag} scans the listed repositories: give no paths with it`);
  if (args.staged || args.diff !== undefined || args.since !== undefined || args.until !== undefined)
    throw new UsageError(
      `${flag} scans every ref of each repository (like --history --all): --staged, --diff, --since and --until cannot be combined with it`,
    );
  if ((args.includeForks !== undefined || args.includeArchived !== undefined) && flag === '--repos')
    throw new UsageError(
      `${args.includeForks !== undefined ? '--include-forks' : '--include-archived'} only works with --github-org or --github-user`,
    );
  const shard = args.shard !== undefined ? parseShard(args.shard) : undefined;
  if (args.cacheDir !== undefined && args.cacheDir.trim() === '') throw new UsageError('--cache-dir needs a directory');
  if (args.jobs !== undefined && !(Number.isInteger(args.jobs) && args.jobs >= 1 && args.jobs <= MAX_JOBS))
    throw new UsageError(`--jobs takes a whole number from 1 to ${MAX_JOBS}`);
  if (args.state !== undefined && args.state.trim() === '') throw new UsageError('--state needs a file');
  const stateFile = args.state !== undefined ? path.resolve(options.cwd, args.state) : undefined;
  // The state file is read before any listing or mirroring: a corrupt one stops the run at once.
  const state = stateFile ? await loadRepoState(stateFile, args.state!) : undefined;
  const github =
    flag === '--repos'
      ? undefined
      : await listGitHubRepos({ kind: flag === '--github-org' ? 'org' : 'user', name: (args.githubOrg ?? args.githubUser)! }, options.env, {
          includeForks: args.includeForks ?? false,
          includeArchived: args.includeArchived ?? false,
          ...(io.notice ? { onWait: io.notice } : {}),
        });
  const listed = github ? github.repos : await readRepoList(args.repos!, options, io);
  const token = github ? gitHubCloneCredential(options.env) : undefined;
  return {
    repos: selectShard([...new Set(listed)], shard),
    cacheDir: args.cacheDir !== undefined ? path.resolve(options.cwd, args.cacheDir) : defaultRepoCacheDir(options.env),
    allowPartial: args.allowPartial ?? false,
    ...(github ? { github } : {}),
    ...(token ? { token } : {}),
    ...(stateFile && state ? { state: { file: stateFile, display: args.state!, state } } : {}),
    ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
  };
}

function addStats(total: ReportStats, stats: ReportStats): void {
  total.filesScanned += stats.filesScanned;
  total.bytesScanned += stats.bytesScanned;
  total.filesSkipped += stats.filesSkipped;
  total.examples += stats.examples;
  total.suppressed += stats.suppressed;
  total.baselined += stats.baselined;
}

const tagged = (findings: readonly Finding[], repository: string): Finding[] => findings.map((finding) => ({ ...finding, repository }));

/**
 * A hash of everything that decides what a scan of a commit reports: keywarden's version (its
 * rules), the rules enabled and their options, the scope (include, exclude, size limit, ignore
 * files), the allow list and the baseline's entries. `--state` keeps it beside each repository's
 * tips: an audit run with other settings scans that repository in full again, since the commits
 * it walked around were not scanned the way this run would scan them.
 */
export async function auditSettings(options: RunOptions): Promise<string> {
  const baseline = options.policy.baseline ? await options.policy.baseline.read() : undefined;
  const { include, exclude, maxFileSize, useIgnoreFiles } = options.scope;
  const described = JSON.stringify(
    {
      tool: tool.version,
      detect: options.detect,
      scope: { include, exclude, maxFileSize, useIgnoreFiles },
      allow: options.policy.allow,
      baseline: baseline ?? null,
    },
    // Allow-list regexes by their source and flags (JSON would write each as {}).
    (_key, value: unknown) => (value instanceof RegExp ? value.toString() : value),
  );
  return createHash('sha256').update(described).digest('hex').slice(0, 16);
}

/** What the repositories of one audit share: the blob cache, the root-commit locks, the settings hash (--state). */
interface AuditShared {
  blobs: BlobCache;
  roots: NamedLocks;
  settings: string;
}

/** What one repository's scan leaves behind: its report (findings, skips, warnings, stats) and its status. */
interface RepoOutcome {
  report?: Report;
  status: RepositoryStatus;
  /** A line for the report's warnings about this repository's scan. */
  notice?: string;
}

/**
 * One repository: mirror it, note its ref tips, then one ordinary run() over its history on every
 * ref (the git source, the stages, its own report) less what the state file says was scanned, with
 * the run's blob cache. The tips are read before the walk, so a ref that moves meanwhile is walked
 * again next time, never skipped. A failure is the repository's status, with git's reason.
 */
async function scanRepository(
  repository: string,
  options: RunOptions,
  repoOptions: RepoOptions,
  hooks: RunHooks,
  { blobs, roots, settings }: AuditShared,
): Promise<RepoOutcome> {
  let mirror: Awaited<ReturnType<typeof mirrorRepository>> | undefined;
  let release: (() => void) | undefined;
  try {
    mirror = await mirrorRepository(repository, repoOptions.cacheDir, { ...options, token: repoOptions.token });
    const context = { cwd: mirror.dir, env: options.env };
    // Scans that share a root commit (forks) take turns, so the later one reuses every shared blob;
    // the others run side by side. Mirroring, above, is never held up.
    if ((repoOptions.jobs ?? DEFAULT_JOBS) > 1) release = await roots.acquire(await rootCommits(context));
    const state = repoOptions.state?.state;
    const tips = state ? await refTips(context) : undefined;
    const lookup = state ? state.tips(repository, settings) : undefined;
    const recorded = lookup?.kind === 'tips' ? lookup.tips : undefined;
    // A tip gone from the mirror (force-pushed away, then garbage-collected) cannot be walked around:
    // the commits it led to are scanned again if still reachable (re-reported, never missed).
    const exclude = recorded ? await existingCommits(context, recorded) : undefined;
    const session = blobs.session();
    const { report } = await run(
      {
        ...options,
        cwd: mirror.dir,
        source: { kind: 'git', mode: { kind: 'history', all: true, ...(exclude ? { exclude } : {}) }, pathspecs: [], blobCache: session },
      },
      hooks,
    );
    if (state && tips) state.record(repository, tips, settings);
    return {
      report,
      ...(lookup?.kind === 'other-settings'
        ? {
            notice: `--state: last audited with other settings (rules, allow list, baseline, scope or keywarden version): scanned in full`,
          }
        : {}),
      status: {
        repository,
        status: 'scanned',
        mirror: mirror.action,
        findings: report.findings.length,
        ...session.counts,
        ...(recorded ? { incremental: { tips: recorded.length, missing: recorded.length - exclude!.length } } : {}),
      },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { status: { repository, status: 'failed', ...(mirror ? { mirror: mirror.action } : {}), findings: 0, error: reason } };
  } finally {
    release?.();
  }
}

/**
 * Runs `work` on each item, at most `jobs` at a time, and hands each result to `use` in the items'
 * order, as soon as the ones before it are done: whatever order they finish in, `use` sees list
 * order, and a result waits only for slower ones listed before it.
 */
async function inListOrder<T, R>(
  items: readonly T[],
  jobs: number,
  work: (item: T) => Promise<R>,
  use: (result: R) => void,
): Promise<void> {
  const done = new Map<number, R>();
  let next = 0;
  let used = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      done.set(index, await work(items[index]!));
      for (; done.has(used); used++) {
        use(done.get(used)!);
        done.delete(used);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
}

/**
 * Every listed repository, up to `jobs` at once (scanRepository each), one blob cache for the run
 * so a fork's shared history is read once. Findings are tagged with their repository; the report
 * lists repositories, findings, skips and warnings in list order, whatever order the scans end in.
 * Only findings (and skips and warnings) outlive a repository's scan: memory grows with them and
 * with `jobs`, not with the number of repositories. A repository spelled twice (same normalised
 * URL) is scanned once: two scans of one mirror at the same time would clone into the same place.
 */
export async function runRepos(options: RunOptions, repoOptions: RepoOptions, hooks: RunHooks = {}): Promise<Report> {
  const started = Date.now();
  const findings: Finding[] = [];
  const examples: Finding[] = [];
  const skipped: Report['skipped'] = [];
  const warnings: string[] = [];
  const stats: ReportStats = { filesScanned: 0, bytesScanned: 0, filesSkipped: 0, examples: 0, suppressed: 0, baselined: 0, durationMs: 0 };
  const seen = new Set<string>();
  const repos = repoOptions.repos.filter((repo) => !seen.has(normaliseRepo(repo)) && seen.add(normaliseRepo(repo)));
  // AWS is asked once for the whole audit, below, not once per repository holding a key.
  const perRepository = withoutAwsCalls(options);
  const shared: AuditShared = {
    blobs: new BlobCache(),
    roots: new NamedLocks(),
    settings: repoOptions.state ? await auditSettings(options) : '',
  };
  const repositories: RepositoryStatus[] = [];
  await inListOrder(
    repos,
    repoOptions.jobs ?? DEFAULT_JOBS,
    (repository) => scanRepository(repository, perRepository, repoOptions, hooks, shared),
    ({ report, status, notice }) => {
      const { repository } = status;
      repositories.push(status);
      if (notice) warnings.push(`${repository}: ${notice}`);
      if (!report) {
        warnings.push(`${repository}: not scanned: ${status.error}`);
        return;
      }
      // Loops, not push(...): a repository with 200k+ findings would overflow the stack as spread arguments.
      for (const finding of tagged(report.findings, repository)) findings.push(finding);
      for (const example of tagged(report.examples, repository)) examples.push(example);
      for (const file of report.skipped) skipped.push({ ...file, path: `${repository}: ${file.path}` });
      for (const warning of report.warnings) warnings.push(`${repository}: ${warning}`);
      addStats(stats, report.stats);
    },
  );
  const report = await runAwsStages(
    { tool, root: repoOptions.cacheDir, findings, examples, skipped, warnings, stats, repositories },
    options,
    hooks,
  );
  report.stats.durationMs = Date.now() - started;
  return report;
}

/** The repositories that could not be scanned, named in one line; undefined when every one was. */
export function coverageProblem(report: Report): string | undefined {
  const failed = (report.repositories ?? []).filter((entry) => entry.status === 'failed');
  if (failed.length === 0) return undefined;
  const names = failed.slice(0, 5).map((entry) => entry.repository);
  const more = failed.length > names.length ? ` and ${failed.length - names.length} more` : '';
  return `${failed.length} of ${report.repositories!.length} repositories not scanned (${names.join(', ')}${more}); --allow-partial accepts a partial audit`;
}
