import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The directory config-named files must stay inside: the git work tree's top level (the nearest
 * directory holding a `.git` entry, a directory or, in a linked worktree or submodule, a file), or
 * the scan's own directory outside git. Found without running git: a checkout's git config can
 * name programs, and this runs before anything else. Returned as a real path.
 */
export function workspaceRoot(cwd: string): string {
  const start = realpathSync(cwd);
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      lstatSync(path.join(dir, '.git'));
      return dir;
    } catch {
      // not here: look one level up
    }
    if (path.dirname(dir) === dir) return start;
  }
}

/** Whether the real path `file` is `root` or below it (both real paths). */
export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * The real path of `file`, following every link; for a file that does not exist yet, its nearest
 * existing parent's real path joined with the rest.
 */
export function realPathOf(file: string): string {
  const absolute = path.resolve(file);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(realPathOf(parent), path.basename(absolute));
  }
}
