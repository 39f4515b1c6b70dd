import { StringDecoder } from 'node:string_decoder';
import type { CommitInfo, SkippedFile, Source } from '../core/types.js';
import type { RuleDefinition } from '../../rules/index.js';
import { triageBytes } from '../scan/process-file.js';
import { ARCHIVE_NAME } from '../archive/blob.js';
import { archiveFormat, type ArchiveFormat } from '../archive/sniff.js';
import { IgnoreTree, type IgnoreFileReader } from '../scan/ignore-files.js';
import { BlobReader } from './cat-file.js';
import { parseDiff, type FileChange } from './diff-parse.js';
import { hasHead, parseRange, repoRoot, resolveCommit } from './repo.js';
import { runGit, spawnGit, type GitContext } from './run.js';

/** One changed file's new version, limited to its added lines, or why it was passed over. */
export type SourceEvent =
  /** `anchored`: the rules the byte prefilter found, so they are not searched for again in the text. */
  | { kind: 'source'; source: Source; bytes: number; anchored: ReadonlySet<RuleDefinition> | undefined }
  /** Read, and certainly without credentials: counted as scanned, never decoded. */
  | { kind: 'clean'; path: string; bytes: number }
  | { kind: 'skipped'; skipped: SkippedFile }
  /** An archive changed: scanned whole by the caller (see src/archive/blob.ts). */
  | { kind: 'archive'; path: string; bytes: Buffer; format: ArchiveFormat; commit?: CommitInfo };

export interface GitSourceOptions {
  /** Read binary changes named like archives (ARCHIVE_NAME) and hand archives on as 'archive' events. */
  archives?: boolean;
  /** git pathspecs (relative to the context's cwd) that limit the scan; empty means the whole repository. */
  pathspecs?: readonly string[];
  /** Blobs larger than this are skipped and reported, as files are. */
  maxFileSize?: number;
  /** Paths (relative to the top level) to read; others are passed over silently (include/exclude globs). */
  filter?: (path: string) => boolean;
  /**
   * Ignore files (e.g. `.keywardenignore`) read from the work tree, in every directory, whose rules
   * pass over changed paths as a directory scan would; empty or absent reads none.
   */
  ignoreFiles?: readonly string[];
  /** Where the ignore files are read from; absent: the work tree (e.g. a commit's tree instead, see tree-files.ts). */
  ignoreReader?: IgnoreFileReader;
}

/** GitSourceOptions with the work tree's ignore rules ready to ask. */
interface ReadOptions extends GitSourceOptions {
  ignores: IgnoreTree;
}

function readOptions(root: string, options: GitSourceOptions): ReadOptions {
  return { ...options, ignores: new IgnoreTree(root, options.ignoreFiles ?? [], options.ignoreReader) };
}

export interface GitSources {
  /** The work tree's top level: every source path is relative to it. */
  root: string;
  events: AsyncGenerator<SourceEvent>;
}

/**
 * Diff options shared by every mode. Only added lines matter, so: no context (-U0, and no hunk
 * merging through --inter-hunk-context), full blob ids to read the new version with cat-file,
 * renames detected so a moved file is not "all new", and nothing the user's config could plug in
 * (external diff drivers, textconv filters, relative paths, other prefixes).
 */
const DIFF_ARGS = [
  '--raw',
  '-z',
  '-p',
  '-U0',
  '--inter-hunk-context=0',
  '--no-abbrev',
  '-M',
  '--diff-filter=ACMR',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-relative',
  '--submodule=short',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

/** Submodule entries are commits of another repository, not files. */
const GITLINK_MODE = '160000';

function pathspecArgs(options: GitSourceOptions): string[] {
  return options.pathspecs && options.pathspecs.length > 0 ? ['--', ...options.pathspecs] : [];
}

function worthReading(change: FileChange, options: GitSourceOptions): boolean {
  return (change.addedLines.length > 0 || change.binary) && change.mode !== GITLINK_MODE && (options.filter?.(change.path) ?? true);
}

/** The changes whose blobs are worth reading: cheap checks first, then the ignore files (read once per directory). */
async function wantedChanges(changes: readonly FileChange[], options: ReadOptions): Promise<FileChange[]> {
  const wanted: FileChange[] = [];
  for (const change of changes) {
    if (worthReading(change, options) && !(await options.ignores.ignores(change.path))) wanted.push(change);
  }
  return wanted;
}

/** Reads the new version of each wanted change and turns it into a Source limited to its added lines. */
async function* changesToSources(reader: BlobReader, wanted: readonly FileChange[], options: GitSourceOptions, commit?: CommitInfo): AsyncGenerator<SourceEvent> {
  // Ask for every blob up front: cat-file answers in order, so the pipe never sits idle.
  const readable = (change: FileChange) => !change.binary || (options.archives === true && ARCHIVE_NAME.test(change.path));
  const reads = wanted.map((change) => (readable(change) ? reader.read(change.blob, options.maxFileSize) : undefined));
  for (const [i, change] of wanted.entries()) {
    const skipped = (reason: 'binary' | 'too-large' | 'not-found', detail?: string): SourceEvent => ({
      kind: 'skipped',
      skipped: { path: change.path, reason, ...(detail ? { detail } : {}) },
    });
    const pending = reads[i];
    if (!pending) {
      yield skipped('binary');
      continue;
    }
    const result = await pending;
    if (result.kind === 'missing') {
      yield skipped('not-found', `blob ${change.blob} missing from the object store`);
      continue;
    }
    if (result.kind === 'too-large') {
      yield skipped('too-large', `${result.size} bytes > --max-file-size ${options.maxFileSize}`);
      continue;
    }
    const format = options.archives ? archiveFormat(result.data) : undefined;
    if (format) {
      yield { kind: 'archive', path: change.path, bytes: result.data, format, ...(commit ? { commit } : {}) };
      continue;
    }
    // As in directory scans, most files are known to be clean without decoding them.
    const triaged = triageBytes(result.data);
    if (triaged.kind === 'binary') {
      yield skipped('binary');
      continue;
    }
    if (triaged.kind === 'clean') {
      yield { kind: 'clean', path: change.path, bytes: result.data.length };
      continue;
    }
    yield {
      kind: 'source',
      source: { path: change.path, text: triaged.text, addedLines: change.addedLines, ...(commit ? { commit } : {}) },
      bytes: result.data.length,
      anchored: triaged.anchored,
    };
  }
}

async function* diffToSources(context: GitContext, diffArgs: readonly string[], options: ReadOptions): AsyncGenerator<SourceEvent> {
  const output = (await runGit(context, ['diff', ...DIFF_ARGS, ...diffArgs, ...pathspecArgs(options)])).toString('utf8');
  const wanted = await wantedChanges(parseDiff(output), options);
  if (wanted.length === 0) return;
  const reader = new BlobReader(context);
  try {
    yield* changesToSources(reader, wanted, options);
  } finally {
    await reader.close();
  }
}

/**
 * What `git commit` would record: the index compared with HEAD (or with nothing, before the
 * first commit; `git diff --cached` handles the unborn branch itself). The working tree is never
 * read, so unstaged edits neither hide nor add findings. Three git processes in all.
 */
export async function stagedSources(context: GitContext, options: GitSourceOptions = {}): Promise<GitSources> {
  const root = await repoRoot(context);
  return { root, events: diffToSources(context, ['--cached'], readOptions(root, options)) };
}

/**
 * Lines added between two commits, in the head version. `A..B` compares A with B; `A...B`
 * compares B with the merge base of A and B, which is what a pull request adds.
 */
export async function diffSources(context: GitContext, range: string, options: GitSourceOptions = {}): Promise<GitSources> {
  const root = await repoRoot(context);
  const parsed = parseRange(range);
  const base = await resolveCommit(context, parsed.base);
  const head = await resolveCommit(context, parsed.head);
  const diffArgs = parsed.symmetric ? [`${base}...${head}`] : [base, head];
  return { root, events: diffToSources(context, diffArgs, readOptions(root, options)) };
}

export interface HistoryOptions extends GitSourceOptions {
  /**
   * Only commits not reachable from this revision: `git log REV..HEAD`, or with `all`,
   * `git log --all ^REV` (so a branch that forked before REV still has its later commits walked).
   */
  since?: string;
  /** Walk every ref (branches, tags, remote-tracking branches, a detached HEAD), not only HEAD. */
  all?: boolean;
  /** Walk back from this revision instead of HEAD (`git log SINCE..UNTIL`); not with `all`. */
  until?: string;
}

/**
 * The commits to walk, as `git log` revision arguments. `--all` takes every ref under refs/ and
 * HEAD; git lists a commit reachable from several refs once. Deliberately not `--reflog`: reflog
 * entries are local, expire, and mostly hold commits a clone never receives (amended, rebased,
 * reset away). For the same reason refs/stash is excluded: only the newest stash is a ref (older
 * ones live in its reflog), and its work-tree half is a merge commit, which is skipped anyway.
 */
function historyRevisions(since: string | undefined, all: boolean, until = 'HEAD'): string[] {
  if (!all) return [since ? `${since}..${until}` : until];
  // `since` is a resolved commit id here, so `^id` cannot be read as an option.
  return ['--exclude=refs/stash', '--all', ...(since ? [`^${since}`] : [])];
}

/** Splits `git log` output into one record per commit; each starts with the \x1e of our format. */
async function* commitRecords(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  let searchFrom = 1;
  const flush = function* (): Generator<string> {
    for (;;) {
      // Patch lines always start with a marker or a header word, so "\n\x1e" only begins a commit.
      const boundary = buffer.indexOf('\n\u001e', searchFrom);
      if (boundary < 0) {
        searchFrom = Math.max(1, buffer.length - 1);
        return;
      }
      yield buffer.slice(0, boundary + 1);
      buffer = buffer.slice(boundary + 1);
      searchFrom = 1;
    }
  };
  for await (const chunk of stream) {
    buffer += decoder.write(chunk);
    yield* flush();
  }
  buffer += decoder.end();
  yield* flush();
  if (buffer.length > 0) yield buffer;
}

function parseCommitRecord(record: string): { commit: CommitInfo; changes: FileChange[] } | undefined {
  if (!record.startsWith('\u001e')) return undefined;
  const headerEnd = record.indexOf('\0');
  const header = record.slice(1, headerEnd < 0 ? record.length : headerEnd).replace(/\n$/, '');
  const [sha = '', authorDate = '', author = ''] = header.split('\u001f');
  let pos = headerEnd < 0 ? record.length : headerEnd + 1;
  if (record[pos] === '\n') pos++;
  return { commit: { sha, authorDate, ...(author.trim() ? { author: author.trim() } : {}) }, changes: parseDiff(record, pos) };
}

/**
 * Every line ever added on the current branch (or, with `all`, on any ref), oldest commit first
 * (so the first sighting of a credential is the commit that introduced it; --date-order keeps
 * every parent before its children even when clocks on different branches disagree). One
 * `git log -p` stream and one cat-file process serve the whole walk; merges are skipped, as their
 * changes already appear in their parents.
 */
export async function historySources(context: GitContext, options: HistoryOptions = {}): Promise<GitSources> {
  const root = await repoRoot(context);
  const since = options.since !== undefined ? await resolveCommit(context, options.since, '--since revision') : undefined;
  const all = options.all ?? false;
  const until = options.until !== undefined ? await resolveCommit(context, options.until, '--until revision') : undefined;
  // With --all an unborn HEAD (an empty repository, or an orphan branch) still leaves other refs.
  const born = all || until !== undefined || (await hasHead(context));
  const read = readOptions(root, options);
  async function* events(): AsyncGenerator<SourceEvent> {
    if (!born) return;
    const { child, done } = spawnGit(context, [
      'log',
      '--reverse',
      '--date-order',
      '--no-merges',
      '--root',
      '--no-show-signature',
      '--no-notes',
      '--format=%x1e%H%x1f%aI%x1f%an <%ae>',
      ...DIFF_ARGS,
      ...historyRevisions(since, all, until),
      ...pathspecArgs(options),
    ]);
    child.stdin.end();
    const reader = new BlobReader(context);
    try {
      for await (const record of commitRecords(child.stdout)) {
        const parsed = parseCommitRecord(record);
        if (parsed) yield* changesToSources(reader, await wantedChanges(parsed.changes, read), read, parsed.commit);
      }
      await done;
    } finally {
      if (child.exitCode === null) child.kill();
      await reader.close();
    }
  }
  return { root, events: events() };
}
