import path from 'node:path';
import type { Finding, Report, RepositoryStatus, ReportStats } from '../core/types.js';
import { UsageError } from '../errors.js';
import { tool } from '../version.js';
import { gitHubToken, listGitHubRepos, type GitHubListing } from '../repos/github.js';
import { parseRepoList, parseShard, selectShard } from '../repos/list.js';
import { defaultRepoCacheDir, mirrorRepository } from '../repos/mirror.js';
import type { RunOptions } from './options.js';
import { run, type RunHooks } from './run.js';

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
}

export interface RepoOptions {
  /** The repositories this process scans (its shard of the list), as listed. */
  repos: string[];
  cacheDir: string;
  allowPartial: boolean;
  /** The GitHub listing the repositories came from (with --github-org or --github-user). */
  github?: GitHubListing;
  /** Sent when mirroring a listed https repository (GITHUB_TOKEN, for a GitHub listing only). */
  token?: string;
}

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
  const github =
    flag === '--repos'
      ? undefined
      : await listGitHubRepos({ kind: flag === '--github-org' ? 'org' : 'user', name: (args.githubOrg ?? args.githubUser)! }, options.env, {
          includeForks: args.includeForks ?? false,
          includeArchived: args.includeArchived ?? false,
          ...(io.notice ? { onWait: io.notice } : {}),
        });
  const listed = github ? github.repos : await readRepoList(args.repos!, options, io);
  const token = github ? gitHubToken(options.env) : undefined;
  return {
    repos: selectShard([...new Set(listed)], shard),
    cacheDir: args.cacheDir !== undefined ? path.resolve(options.cwd, args.cacheDir) : defaultRepoCacheDir(options.env),
    allowPartial: args.allowPartial ?? false,
    ...(github ? { github } : {}),
    ...(token ? { token } : {}),
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
 * Each repository in turn: mirror it into the cache, then one ordinary run() over its history on
 * every ref (the git source, the stages, its own report), whose findings are tagged with the
 * repository and kept; nothing else of a repository's scan outlives it, so memory grows with the
 * findings, not with the number of repositories. A repository that cannot be mirrored or read is
 * recorded as failed, with git's reason, and the next one goes on.
 */
export async function runRepos(options: RunOptions, repoOptions: RepoOptions, hooks: RunHooks = {}): Promise<Report> {
  const started = Date.now();
  const findings: Finding[] = [];
  const examples: Finding[] = [];
  const skipped: Report['skipped'] = [];
  const warnings: string[] = [];
  const repositories: RepositoryStatus[] = [];
  const stats: ReportStats = { filesScanned: 0, bytesScanned: 0, filesSkipped: 0, examples: 0, suppressed: 0, baselined: 0, durationMs: 0 };
  for (const repository of repoOptions.repos) {
    let mirror: Awaited<ReturnType<typeof mirrorRepository>> | undefined;
    try {
      mirror = await mirrorRepository(repository, repoOptions.cacheDir, { ...options, token: repoOptions.token });
      const { report } = await run(
        { ...options, cwd: mirror.dir, source: { kind: 'git', mode: { kind: 'history', all: true }, pathspecs: [] } },
        hooks,
      );
      findings.push(...tagged(report.findings, repository));
      examples.push(...tagged(report.examples, repository));
      for (const file of report.skipped) skipped.push({ ...file, path: `${repository}: ${file.path}` });
      for (const warning of report.warnings) warnings.push(`${repository}: ${warning}`);
      addStats(stats, report.stats);
      repositories.push({ repository, status: 'scanned', mirror: mirror.action, findings: report.findings.length });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      warnings.push(`${repository}: not scanned: ${reason}`);
      repositories.push({ repository, status: 'failed', ...(mirror ? { mirror: mirror.action } : {}), findings: 0, error: reason });
    }
  }
  stats.durationMs = Date.now() - started;
  return {
    tool,
    root: repoOptions.cacheDir,
    findings,
    examples,
    skipped,
    warnings,
    stats,
    repositories,
  };
}

/** The repositories that could not be scanned, named in one line; undefined when every one was. */
export function coverageProblem(report: Report): string | undefined {
  const failed = (report.repositories ?? []).filter((entry) => entry.status === 'failed');
  if (failed.length === 0) return undefined;
  const names = failed.slice(0, 5).map((entry) => entry.repository);
  const more = failed.length > names.length ? ` and ${failed.length - names.length} more` : '';
  return `${failed.length} of ${report.repositories!.length} repositories not scanned (${names.join(', ')}${more}); --allow-partial accepts a partial audit`;
}
