import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The directory that files named by a checkout's own config (config files found by search, the
 * baseline a config names) must stay inside: the git work tree's top level (the nearest directory
 * from `start` upward holding a `.git` entry, a directory or, in a linked worktree or submodule, a
 * file), else `start` itself. Found without running git: a checkout's git config can name
 * programs, and this runs before anything else. Returned as a real path.
 */
export function repositoryRoot(start: string): string {
  const real = realpathSync(start);
  for (let dir = real; ; dir = path.dirname(dir)) {
    try {
      lstatSync(path.join(dir, '.git'));
      return dir;
    } catch {
      // not here: look one level up
    }
    if (path.dirname(dir) === dir) return real;
  }
}

/**
 * Where a read or write of `file` lands, every symlink resolved: also a dangling link (a write
 * would create its target) and a file not yet written (its nearest existing ancestor, resolved).
 */
function landingPath(file: string): string {
  let current = path.resolve(file);
  for (let hop = 0; hop < 40; hop++) {
    let stats;
    try {
      stats = lstatSync(current);
    } catch {
      const parent = path.dirname(current);
      return parent === current ? current : path.join(landingPath(parent), path.basename(current));
    }
    if (!stats.isSymbolicLink()) return realpathSync(current);
    current = path.resolve(path.dirname(current), readlinkSync(current));
  }
  return current; // a link loop: the read or write itself fails with ELOOP
}

/**
 * Whether `file`, with every symlink resolved, lies below `root`. A file a checkout's config names
 * must not be read or written elsewhere: a pull request could otherwise point the baseline at
 * ~/.bashrc, or a config link at the runner's credentials.
 */
export function isInsideRoot(file: string, root: string): boolean {
  const relative = path.relative(landingPath(root), landingPath(file));
  return relative === '' ? false : !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}
