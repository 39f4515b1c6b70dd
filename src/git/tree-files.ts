import type { IgnoreFileReader } from '../scan/ignore-files.js';
import { runGit, spawnGit, type GitContext } from './run.js';

/**
 * Reading policy files (config, ignore files, baseline) from a commit's tree instead of the work
 * tree, so a pull request's own checkout cannot rewrite the rules it is checked against.
 */

/** Policy files are small; a larger one is not read (and so not applied). */
const MAX_POLICY_FILE_BYTES = 16 * 1024 * 1024;

/** Regular files only: a symlink entry (120000) holds a link target, a gitlink (160000) a commit. */
const REGULAR_FILE_MODES = new Set(['100644', '100755']);

export interface TreeEntry {
  /** posix, relative to the repository's top level */
  path: string;
  blob: string;
  size: number;
}

/** `<mode> SP <type> SP <object> SP* <size> TAB <path>` (ls-tree -l -z), regular files only. */
function parseTreeEntry(record: string): TreeEntry | undefined {
  const match = /^(\d{6}) blob ([0-9a-f]+) +(\d+)\t([\s\S]+)$/.exec(record);
  if (!match || !REGULAR_FILE_MODES.has(match[1]!)) return undefined;
  return { blob: match[2]!, size: Number(match[3]), path: match[4]! };
}

/** The entries of `commit` (a resolved commit id) at these exact top-level-relative paths. */
export async function treeEntries(context: GitContext, commit: string, paths: readonly string[]): Promise<TreeEntry[]> {
  if (paths.length === 0) return [];
  const out = (
    await runGit(context, ['ls-tree', '-z', '-l', '--full-tree', commit, '--', ...paths.map((p) => `:(top,literal)${p}`)])
  ).toString('utf8');
  return out
    .split('\0')
    .map(parseTreeEntry)
    .filter((entry): entry is TreeEntry => entry !== undefined);
}

/** Every regular file in `commit` whose name is one of `names`, at any depth (streamed: the tree may be huge). */
async function filesNamed(context: GitContext, commit: string, names: readonly string[]): Promise<TreeEntry[]> {
  if (names.length === 0) return [];
  const wanted = new Set(names);
  const { child, done } = spawnGit(context, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit]);
  child.stdin.end();
  const found: TreeEntry[] = [];
  let rest = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout as AsyncIterable<string>) {
    const records = (rest + chunk).split('\0');
    rest = records.pop() ?? '';
    for (const record of records) {
      const entry = parseTreeEntry(record);
      if (entry && wanted.has(entry.path.slice(entry.path.lastIndexOf('/') + 1))) found.push(entry);
    }
  }
  await done;
  return found;
}

/** A blob's text, or undefined when it is larger than MAX_POLICY_FILE_BYTES. */
export async function readPolicyBlob(context: GitContext, entry: TreeEntry): Promise<string | undefined> {
  if (entry.size > MAX_POLICY_FILE_BYTES) return undefined;
  return (await runGit(context, ['cat-file', 'blob', entry.blob])).toString('utf8');
}

/** The ignore files (`names`, in every directory) of `commit`, as an IgnoreTree reads them. */
export async function commitIgnoreReader(context: GitContext, commit: string, names: readonly string[]): Promise<IgnoreFileReader> {
  const entries = new Map((await filesNamed(context, commit, names)).map((entry) => [entry.path, entry]));
  return {
    async read(dir, name) {
      const entry = entries.get(dir === '' ? name : `${dir}/${name}`);
      return entry ? readPolicyBlob(context, entry) : undefined;
    },
  };
}
