import type { Argv } from 'yargs';

export function addGitOptions<T>(y: Argv<T>) {
  const group = 'Git:';
  return y
    .option('staged', {
      type: 'boolean',
      describe: 'Scan the lines added in the index (what "git commit" would record), not the working tree',
      group,
    })
    .option('diff', {
      type: 'string',
      describe: 'Scan the lines added in a range: BASE..HEAD, or BASE...HEAD (since the merge base, as a pull request)',
      group,
    })
    .option('history', {
      type: 'boolean',
      describe: 'Scan every line ever added on the current branch (git log -p); each finding once, with its commit',
      group,
    })
    .option('all', {
      type: 'boolean',
      describe: 'With --history: walk every ref (all branches, tags, remote-tracking branches), not only the current branch',
      group,
    })
    .option('since', {
      type: 'string',
      describe: 'With --history: only commits not reachable from this revision (REV..HEAD; with --all, --all ^REV)',
      group,
    })
    .option('until', {
      type: 'string',
      describe: 'With --history: walk back from this revision instead of HEAD (--since BASE --until TIP: every commit of BASE..TIP)',
      group,
    });
}
