import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository a path belongs to: the nearest directory from `start` upward holding `.git` (a
 * directory, or a file in a worktree or submodule), else `start` itself.
 */
export function repositoryRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

/**
 * Where a write to `file` lands, every symlink resolved: also a dangling link (the write would
 * create its target) and a file not yet written (its nearest existing ancestor, resolved).
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
  return current; // a link loop: the write itself fails with ELOOP
}

/**
 * Whether `file`, with every symlink resolved, lies inside `root`. A file a checkout's config names
 * must not be written elsewhere: a pull request could otherwise point the baseline at ~/.bashrc.
 */
export function isInsideRoot(file: string, root: string): boolean {
  const relative = path.relative(landingPath(root), landingPath(file));
  return relative === '' ? false : !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}
