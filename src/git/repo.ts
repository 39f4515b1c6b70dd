import { BadRevisionError, GitError, GitNotFoundError, NotAGitRepositoryError } from './errors.js';
import { runGit, spawnGit, type GitContext } from './run.js';

/** Errors that mean git cannot answer at all, as opposed to "no such revision". */
function isEnvironmentError(error: unknown): boolean {
  return error instanceof NotAGitRepositoryError || error instanceof GitNotFoundError || !(error instanceof GitError);
}

/**
 * Absolute path of the work tree's top level: git paths are relative to it. A bare repository
 * (the mirrors `scan --repos` keeps) has no work tree: its git directory stands in for it.
 */
export async function repoRoot(context: GitContext): Promise<string> {
  let out: string;
  try {
    out = (await runGit(context, ['rev-parse', '--show-toplevel'])).toString('utf8').trim();
  } catch (error) {
    if (!(error instanceof GitError) || !/must be run in a work tree/.test(error.message)) throw error;
    const [bare, gitDir] = (await runGit(context, ['rev-parse', '--is-bare-repository', '--absolute-git-dir']))
      .toString('utf8')
      .trim()
      .split('\n');
    if (bare !== 'true' || !gitDir) throw error;
    return gitDir;
  }
  if (!out) throw new GitError(`not inside a git work tree: ${context.cwd}`);
  return out;
}

/**
 * Resolves a user-given revision to a commit id. Leading dashes are refused so a revision can
 * never be read as an option.
 */
export async function resolveCommit(context: GitContext, revision: string, what = 'revision'): Promise<string> {
  if (revision === '' || revision.startsWith('-')) throw new BadRevisionError(revision, what);
  try {
    const out = await runGit(context, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
    return out.toString('utf8').trim();
  } catch (error) {
    if (isEnvironmentError(error)) throw error;
    throw new BadRevisionError(revision, what);
  }
}

/** False on an unborn branch (a repository before its first commit). */
export async function hasHead(context: GitContext): Promise<boolean> {
  try {
    await runGit(context, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
    return true;
  } catch (error) {
    if (isEnvironmentError(error)) throw error;
    return false;
  }
}

export interface ParsedRange {
  base: string;
  head: string;
  /** `...`: compare with the merge base, as for a pull request. */
  symmetric: boolean;
}

/** Splits `BASE..HEAD` / `BASE...HEAD`; an empty side means HEAD, as in git. */
export function parseRange(range: string): ParsedRange {
  const match = /^(.*?)(\.{2,3})(.*)$/.exec(range);
  if (!match || match[1]!.includes('..') || match[3]!.includes('..')) {
    throw new GitError(`--diff: "${range}" is not a range (use BASE..HEAD or BASE...HEAD)`);
  }
  return { base: match[1] || 'HEAD', head: match[3] || 'HEAD', symmetric: match[2] === '...' };
}

/**
 * The commits every ref points at (tags peeled; refs to trees or blobs left out), sorted and
 * without repeats: what `git log --all` (less refs/stash, as the history walk) starts from.
 */
export async function refTips(context: GitContext): Promise<string[]> {
  const out = await runGit(context, ['rev-list', '--no-walk', '--exclude=refs/stash', '--all']);
  return [
    ...new Set(
      out
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== ''),
    ),
  ].sort();
}

/** The commits without parents reachable from any ref: what a fork shares with its upstream from the start. */
export async function rootCommits(context: GitContext): Promise<string[]> {
  const out = await runGit(context, ['rev-list', '--max-parents=0', '--exclude=refs/stash', '--all']);
  return out
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '');
}

/** Those of `ids` that name a commit in this repository's object store, in the given order. */
export async function existingCommits(context: GitContext, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { child, done } = spawnGit(context, ['cat-file', '--batch-check=%(objectname) %(objecttype)']);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stdin.on('error', () => undefined);
  child.stdin.end(ids.map((id) => `${id}\n`).join(''));
  await done;
  // Answers come in request order: `<id> commit`, or `<id> missing` for an object that is gone.
  const commits = new Set(
    Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .filter((line) => line.endsWith(' commit'))
      .map((line) => line.slice(0, line.indexOf(' '))),
  );
  return ids.filter((id) => commits.has(id));
}
