import type { Argv } from 'yargs';

/** `scan --repos` and `scan --github-org`: an audit of many repositories, each mirrored into a cache and scanned on every ref. */
export function addRepoOptions<T>(y: Argv<T>) {
  const group = 'Many repositories:';
  return y
    .option('repos', {
      type: 'string',
      describe: 'Scan the git repositories listed in this file ("-": standard input), one URL or path a line, each like --history --all',
      group,
    })
    .option('github-org', {
      type: 'string',
      describe:
        'Scan every repository of this GitHub organisation (GET /orgs/ORG/repos; GITHUB_TOKEN for private ones, GITHUB_API_URL for GitHub Enterprise), each like --history --all',
      group,
    })
    .option('github-user', {
      type: 'string',
      describe: "Scan this GitHub user's own public repositories (GET /users/USER/repos), like --github-org",
      group,
    })
    .option('include-forks', {
      type: 'boolean',
      describe: 'With --github-org or --github-user: scan forks too (left out by default)',
      group,
    })
    .option('include-archived', {
      type: 'boolean',
      describe: 'With --github-org or --github-user: scan archived repositories too (left out by default)',
      group,
    })
    .option('cache-dir', {
      type: 'string',
      describe:
        'With --repos or --github-org: where the mirrors are kept (default $XDG_CACHE_HOME/keywarden/repos or ~/.cache/keywarden/repos)',
      group,
    })
    .option('shard', {
      type: 'string',
      describe:
        'With --repos or --github-org: scan only shard K of N (K/N), split by a hash of each URL so N processes cover every repository once',
      group,
    })
    .option('allow-partial', {
      type: 'boolean',
      describe:
        'With --repos or --github-org: a repository that cannot be cloned or fetched (or a listing that stopped early) is still named, but does not make the exit code 2',
      group,
    })
    .option('state', {
      type: 'string',
      describe:
        "With --repos or --github-org: read and update this file of each repository's scanned ref tips, and scan only commits new since (created if missing)",
      group,
    })
    .option('jobs', {
      type: 'number',
      describe: 'With --repos or --github-org: mirror and scan this many repositories at once (default: CPU count, at most 4)',
      group,
    });
}
