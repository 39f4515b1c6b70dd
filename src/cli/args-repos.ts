import type { Argv } from 'yargs';

/** `scan --repos`: an audit of many repositories, each mirrored into a cache and scanned on every ref. */
export function addRepoOptions<T>(y: Argv<T>) {
  const group = 'Many repositories:';
  return y
    .option('repos', {
      type: 'string',
      describe: 'Scan the git repositories listed in this file ("-": standard input), one URL or path a line, each like --history --all',
      group,
    })
    .option('cache-dir', {
      type: 'string',
      describe: 'With --repos: where the mirrors are kept (default $XDG_CACHE_HOME/keywarden/repos or ~/.cache/keywarden/repos)',
      group,
    })
    .option('shard', {
      type: 'string',
      describe: 'With --repos: scan only shard K of N (K/N), split by a hash of each URL so N processes cover every repository once',
      group,
    })
    .option('allow-partial', {
      type: 'boolean',
      describe: 'With --repos: a repository that cannot be cloned or fetched is still named, but does not make the exit code 2',
      group,
    })
    .option('state', {
      type: 'string',
      describe:
        "With --repos: read and update this file of each repository's scanned ref tips, and scan only commits new since (created if missing)",
      group,
    })
    .option('jobs', {
      type: 'number',
      describe: 'With --repos: mirror and scan this many repositories at once (default: CPU count, at most 4)',
      group,
    });
}
