import path from 'node:path';
import { BaselineError, parseBaseline, type Baseline } from '../core/baseline.js';
import { CONFIG_FILE_NAMES, parseConfigText, type LoadedConfig } from '../config/load.js';
import { repoRoot, resolveCommit } from '../git/repo.js';
import type { GitContext } from '../git/run.js';
import { GIT_IGNORE_FILE_NAMES } from '../git/scan.js';
import { commitIgnoreReader, readPolicyBlob, treeEntries } from '../git/tree-files.js';
import type { IgnoreFileReader } from '../scan/ignore-files.js';
import { UsageError } from '../errors.js';

/**
 * A pull request's scan policy read from its base commit: the checkout is the PR's own tree, so
 * reading the config, `.keywardenignore` files and baseline from there would let the PR that adds
 * a key also add the rule that hides it.
 */
export interface CommitPolicy {
  /** The resolved base commit. */
  commit: string;
  /** The repository's top level (real path): config and baseline paths are resolved under it. */
  root: string;
  config: LoadedConfig;
  ignoreReader: IgnoreFileReader;
}

const short = (sha: string) => sha.slice(0, 7);

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/**
 * The config a file scan in `workspace` would find, but looked up in `commit`'s tree: each
 * directory from the workspace up to the top level, names in CONFIG_FILE_NAMES order.
 */
async function configAt(context: GitContext, commit: string, root: string, workspace: string): Promise<LoadedConfig> {
  const start = toPosix(path.relative(root, workspace));
  const dirs: string[] = [];
  if (!start.startsWith('..')) {
    for (let dir = start; ; dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '') {
      dirs.push(dir);
      if (dir === '') break;
    }
  }
  const candidates = dirs.flatMap((dir) => CONFIG_FILE_NAMES.map((name) => (dir === '' ? name : `${dir}/${name}`)));
  const entries = new Map((await treeEntries(context, commit, candidates)).map((entry) => [entry.path, entry]));
  for (const candidate of candidates) {
    const entry = entries.get(candidate);
    if (!entry) continue;
    const display = `${candidate} at base ${short(commit)}`;
    const text = await readPolicyBlob(context, entry);
    if (text === undefined) throw new UsageError(`${display}: config file larger than 16 MiB`);
    const loaded = parseConfigText(text, path.join(root, ...candidate.split('/')), display, root);
    if (loaded) return loaded;
  }
  return { config: {}, root };
}

/** Reads the policy of `revision` (a pull request's base) for a scan run in `workspace`. */
export async function readCommitPolicy(context: GitContext, revision: string, workspace: string): Promise<CommitPolicy> {
  const commit = await resolveCommit(context, revision);
  const root = await repoRoot(context);
  return {
    commit,
    root,
    config: await configAt(context, commit, root, workspace),
    ignoreReader: await commitIgnoreReader(context, commit, GIT_IGNORE_FILE_NAMES),
  };
}

/** Reads the baseline at `file` (absolute, inside the repository) as it is in the policy's commit. */
export async function readCommitBaseline(context: GitContext, policy: CommitPolicy, file: string): Promise<Baseline> {
  const relative = toPosix(path.relative(policy.root, file));
  const display = `${relative} at base ${short(policy.commit)}`;
  if (relative.startsWith('..') || path.isAbsolute(relative))
    throw new BaselineError(`baseline ${file} is outside the repository, so it cannot be read from the base commit`);
  const [entry] = await treeEntries(context, policy.commit, [relative]);
  if (!entry) throw new BaselineError(`${display}: baseline file not found (commit it to the base branch, or use policy: head)`);
  const text = await readPolicyBlob(context, entry);
  if (text === undefined) throw new BaselineError(`${display}: baseline larger than 16 MiB`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`${display}: baseline is not valid JSON: ${(error as Error).message}`);
  }
  return parseBaseline(raw, display);
}
