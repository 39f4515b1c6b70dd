import { createHash } from 'node:crypto';
import type { CommitInfo, LineRange, SkippedFile, Source } from '../core/types.js';
import { catalog, type RuleDefinition } from '../../rules/index.js';
import { mayHoldFindings } from '../core/detect.js';
import { decodeBytes, decodeText, isBinary } from '../scan/decode.js';
import { latin1Text } from '../scan/byte-text.js';
import { triageBytes } from '../scan/process-file.js';
import { archiveFormat, type ArchiveFormat } from '../archive/sniff.js';
import { IgnoreTree, type IgnoreFileReader } from '../scan/ignore-files.js';
import type { FileResult } from '../scan/process-file.js';
import type { BlobCacheSession, KnownBlob, PendingResults } from './blob-cache.js';
import { ObjectIdSet } from './blob-set.js';
import { BlobReader, type BlobResult } from './cat-file.js';
import { addedLines } from './line-diff.js';
import { RecentTexts, type BlobDecoder } from './recent-texts.js';
import { rawEntries, type RawChange, type RawEntry } from './raw-diff.js';
import { BadRevisionError, MissingObjectError } from './errors.js';
import { hasHead, parseRange, repoRoot, resolveCommit } from './repo.js';
import { spawnGit, type GitContext } from './run.js';

/** One changed file's new version, limited to its added lines, or why it was passed over. */
export type SourceEvent =
  /**
   * `anchored`: the rules the byte prefilter found, so they are not searched for again in the text.
   * `pending`: where the detection results go for later repositories of the run (see blob-cache.ts).
   * `latin1`: the text is UTF-8 read as Latin-1 (src/scan/byte-text.ts): findings need relocateLatin1Result.
   */
  | {
      kind: 'source';
      source: Source;
      bytes: number;
      anchored: ReadonlySet<RuleDefinition> | undefined;
      pending?: PendingResults;
      latin1?: true;
      /** Where the byte prefilter found the base64 context words in the text (see base64Windows). */
      contextWordsAt?: readonly number[];
    }
  /** Read, and certainly without credentials: counted as scanned, never decoded (consecutive ones counted together). */
  | { kind: 'clean'; files: number; bytes: number }
  | { kind: 'skipped'; skipped: SkippedFile }
  /** An archive changed: scanned whole by the caller (see src/archive/blob.ts). */
  | { kind: 'archive'; path: string; bytes: Buffer; format: ArchiveFormat; commit?: CommitInfo; pending?: PendingResults }
  /** A blob the run has scanned already (in an earlier repository, mostly): its results, to re-attach at this path and commit. */
  | { kind: 'reused'; path: string; commit?: CommitInfo; results: readonly FileResult[] };

export interface GitSourceOptions {
  /** Hand archives (recognised by their bytes) on as 'archive' events, to be scanned whole. */
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
  /** Told of every object read from the object store (tests count reads with it). */
  onBlobRequest?: (id: string) => void;
  /**
   * A run-wide cache of blobs scanned by earlier repositories (`scan --repos`): a blob it knows is not
   * read; its counts say what this repository walked, read and reused.
   */
  blobCache?: BlobCacheSession;
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
 * Options shared by every mode's listing of changed files. Only the blob ids are asked of git
 * (--raw, no patch): keywarden reads each new blob itself, so git's binary verdict, diff drivers,
 * textconv filters and .gitattributes never decide what is scanned. Renames are detected so a
 * moved file is not "all new"; paths are relative to the top level whatever the user's config.
 */
const RAW_ARGS = [
  '--raw',
  '-z',
  '--no-abbrev',
  '-M',
  '--diff-filter=ACMR',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-relative',
];

/** Submodule entries are commits of another repository, not files. */
const GITLINK_MODE = '160000';

/** Clean blobs counted into one event at most (progress on a terminal still moves). */
const CLEAN_BATCH = 256;
/** Blob reads asked of cat-file ahead of the one being scanned, so the pipe never sits idle. */
const READ_AHEAD = 64;
/** cat-file's output is paused while the blobs read ahead hold this many bytes (plus one blob). */
const READ_AHEAD_BYTES = 16 * 1024 * 1024;
/**
 * A history whose blobs turn out large (on average, over this many bytes read) has the rest of its
 * blobs read through a reader worker (see spawnBatchInWorker): read on this thread, git stops at
 * each full pipe while a large blob is scanned. Small blobs gain nothing from it, and the worker
 * costs ~35 ms to start and a little per blob.
 */
const WORKER_AFTER_BYTES = 8 * 1024 * 1024;
const WORKER_FROM_AVERAGE_BYTES = 64 * 1024;
/** Characters of matched blobs' texts kept to compare their next versions with (see RecentTexts). */
const RECENT_TEXT_CHARS = 8 * 1024 * 1024;

function pathspecArgs(options: GitSourceOptions): string[] {
  return options.pathspecs && options.pathspecs.length > 0 ? ['--', ...options.pathspecs] : [];
}

const isNullId = (id: string) => /^0+$/.test(id);
/** A full SHA-1 or SHA-256 object id. */
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Cheap checks first, then the ignore files (read once per directory). */
function worthReading(change: RawChange, options: ReadOptions): boolean | Promise<boolean> {
  if (change.mode === GITLINK_MODE || isNullId(change.blob)) return false;
  // A pure rename or a mode change adds no line.
  if (change.blob === change.oldBlob) return false;
  if (!(options.filter?.(change.path) ?? true)) return false;
  const ignored = options.ignores.ignores(change.path);
  return typeof ignored === 'boolean' ? !ignored : ignored.then((answer) => !answer);
}

/**
 * A change waiting its turn; `read` is undefined when its blob was already asked for earlier in the
 * run, or when `known` (from the run's blob cache) stands in for reading it.
 */
interface Slot {
  entry: RawEntry;
  read: Promise<BlobResult> | undefined;
  /** The reader `read` was asked of. */
  reader?: BlobReader;
  known?: KnownBlob;
}

/**
 * Turns a stream of changed files into sources, oldest first. Each blob is read once per run
 * (through one `git cat-file --batch`, reading ahead within READ_AHEAD blobs and READ_AHEAD_BYTES;
 * with `readLargeInWorker`, a second one on a worker thread once the blobs turn out large):
 * a blob that appears again, at any path, is passed over when it held nothing; one that matched a
 * detector is scanned again only at a path where it was not scanned yet, so a credential is still
 * reported once per path. Blobs are triaged as files are (keywarden's own binary test, then the byte prefilter); only
 * a blob with a detector match is compared with its old version, in-process, to limit it to the
 * lines the change added.
 */
async function* changesToSources(
  context: GitContext,
  entries: AsyncIterable<RawEntry>,
  options: ReadOptions,
  readLargeInWorker = false,
): AsyncGenerator<SourceEvent> {
  const onRequest = options.onBlobRequest;
  const newReader = (readInWorker: boolean) =>
    new BlobReader(context, { maxHeldBytes: READ_AHEAD_BYTES, readInWorker, ...(onRequest ? { onRequest } : {}) });
  let reader = newReader(false);
  const readers = [reader];
  let blobsReadHere = 0;
  let bytesReadHere = 0;
  // Old versions and repeated blobs are read on the side, so they never wait behind the read-ahead.
  let side: BlobReader | undefined;
  const sideReader = () => (side ??= new BlobReader(context, onRequest ? { onRequest } : {}));
  const requested = new ObjectIdSet();
  const matched = new ObjectIdSet(1 << 16);
  const matchedAt = new ObjectIdSet(1 << 16);
  const recent = new RecentTexts(RECENT_TEXT_CHARS);
  const window: Slot[] = [];
  const maxSize = options.maxFileSize;

  const pathKey = (change: RawChange) => createHash('sha1').update(change.blob).update('\0').update(change.path).digest('hex');
  const shared = options.blobCache;

  /** What the run's earlier scan of the blob comes to here: the same events, nothing read. */
  function reused(entry: RawEntry, known: KnownBlob): SourceEvent[] {
    const { change, commit } = entry;
    if (known.kind === 'clean') return [{ kind: 'clean', files: 1, bytes: 0 }];
    if (known.kind === 'binary') return [{ kind: 'skipped', skipped: { path: change.path, reason: 'binary' } }];
    matched.add(change.blob);
    matchedAt.add(pathKey(change));
    return [{ kind: 'reused', path: change.path, ...(commit ? { commit } : {}), results: known.results }];
  }

  /** What one change comes to, if anything (an async function, not a generator: one per change adds up). */
  async function settle(slot: Slot): Promise<SourceEvent[] | undefined> {
    const { change, commit } = slot.entry;
    if (slot.known) return reused(slot.entry, slot.known);
    let result: BlobResult;
    if (slot.read) {
      result = await slot.read;
      // The bytes stay referenced until this generator moves on; releasing now only lets git send the next ones.
      slot.reader!.release(result);
      if (readLargeInWorker && readers.length === 1 && result.kind === 'blob') {
        blobsReadHere++;
        bytesReadHere += result.data.length;
        // The blobs already asked for still come from the first reader; later ones from the worker's.
        if (bytesReadHere >= WORKER_AFTER_BYTES && bytesReadHere / blobsReadHere >= WORKER_FROM_AVERAGE_BYTES)
          readers.push((reader = newReader(true)));
      }
    } else {
      // Seen before: nothing to do unless it matched, and then only at a new path.
      if (!matched.has(change.blob) || matchedAt.has(pathKey(change))) return undefined;
      const known = shared?.reuse(change.blob, change.oldBlob, change.path);
      if (known) return reused(slot.entry, known);
      result = await sideReader().read(change.blob, maxSize);
    }
    shared?.scanned();
    const skipped = (reason: 'binary' | 'too-large', detail?: string): SourceEvent[] => [
      { kind: 'skipped', skipped: { path: change.path, reason, ...(detail ? { detail } : {}) } },
    ];
    if (result.kind === 'missing') throw new MissingObjectError(change.blob, change.path);
    if (result.kind === 'too-large') return skipped('too-large', `${result.size} bytes > --max-file-size ${maxSize}`);
    const format = options.archives ? archiveFormat(result.data) : undefined;
    if (format) {
      // An archive has no added lines to narrow to: scanned whole, and again at each new path.
      matched.add(change.blob);
      matchedAt.add(pathKey(change));
      const pending = shared?.pending(change.blob, change.oldBlob, change.path, true, 1);
      return [
        { kind: 'archive', path: change.path, bytes: result.data, format, ...(commit ? { commit } : {}), ...(pending ? { pending } : {}) },
      ];
    }
    // As in directory scans, most files are known to be clean without decoding them.
    const triaged = triageBytes(result.data, true, true);
    if (triaged.kind === 'binary') {
      shared?.verdict(change.blob, 'binary');
      return skipped('binary');
    }
    const bytes = result.data.length;
    // Any detector, enabled or not: a superset of what the report's rules can find. Real UTF-16 that
    // also carries plain ASCII in its bytes is read both ways, as a file scan reads it.
    const readings =
      triaged.kind === 'clean'
        ? []
        : [
            // The old version is read the way the new one was, so unchanged lines compare equal (for
            // ASCII text either reading gives the same lines).
            {
              text: triaged.text,
              anchored: triaged.anchored,
              decode: triaged.latin1 ? latin1Text : decodeText,
              latin1: triaged.latin1,
              contextWordsAt: triaged.contextWordsAt,
            },
            ...(triaged.asBytes
              ? [
                  {
                    text: triaged.asBytes.text,
                    anchored: triaged.asBytes.anchored,
                    decode: decodeBytes,
                    latin1: undefined,
                    contextWordsAt: undefined,
                  },
                ]
              : []),
          ].filter((reading) => mayHoldFindings(catalog, reading.text, reading.anchored, reading.contextWordsAt));
    if (readings.length === 0) {
      shared?.verdict(change.blob, 'clean');
      return [{ kind: 'clean', files: 1, bytes }];
    }
    matched.add(change.blob);
    matchedAt.add(pathKey(change));
    const pending = shared?.pending(change.blob, change.oldBlob, change.path, false, readings.length);
    const events: SourceEvent[] = [];
    for (const reading of readings) {
      const lines = await addedSince(change, reading.text, reading.decode);
      recent.add(change.blob, reading.text, reading.decode);
      events.push({
        kind: 'source',
        source: { path: change.path, text: reading.text, ...(lines ? { addedLines: lines } : {}), ...(commit ? { commit } : {}) },
        bytes: events.length === 0 ? bytes : 0,
        anchored: reading.anchored,
        ...(pending ? { pending } : {}),
        ...(reading.latin1 ? { latin1: true as const } : {}),
        ...(reading.contextWordsAt ? { contextWordsAt: reading.contextWordsAt } : {}),
      });
    }
    return events;
  }

  /** The lines the change added: every line of an added file, or those a line diff with the old version adds. */
  async function addedSince(change: RawChange, text: string, decode: BlobDecoder): Promise<LineRange[] | undefined> {
    if (isNullId(change.oldBlob)) return undefined;
    // Read and triaged as text when it was scanned, so it is neither binary nor too large.
    const known = recent.get(change.oldBlob, decode);
    if (known !== undefined) return addedLines(known, text);
    const old = await sideReader().read(change.oldBlob, maxSize);
    // An old version we cannot compare with (too large, missing, binary): every line counts as added.
    if (old.kind !== 'blob' || isBinary(old.data)) return undefined;
    return addedLines(decode(old.data), text);
  }

  // Clean blobs (nearly all of a history) are counted together and passed on as one event: an
  // event per blob cost every stage of the pipeline an await per blob.
  let cleanFiles = 0;
  let cleanBytes = 0;
  const takeClean = (): SourceEvent => {
    const event: SourceEvent = { kind: 'clean', files: cleanFiles, bytes: cleanBytes };
    cleanFiles = 0;
    cleanBytes = 0;
    return event;
  };
  function* pass(events: SourceEvent[] | undefined): Generator<SourceEvent> {
    for (const event of events ?? []) {
      if (event.kind === 'clean') {
        cleanFiles += event.files;
        cleanBytes += event.bytes;
        if (cleanFiles >= CLEAN_BATCH) yield takeClean();
      } else {
        if (cleanFiles > 0) yield takeClean();
        yield event;
      }
    }
  }

  try {
    for await (const entry of entries) {
      // Most answers need no promise: awaiting one per change of a long history adds up.
      const worth = worthReading(entry.change, options);
      if (!(typeof worth === 'boolean' ? worth : await worth)) continue;
      const { blob, oldBlob, path } = entry.change;
      const first = requested.add(blob);
      // Asked when first seen in this repository; later sightings follow the rules above.
      const known = first ? shared?.reuse(blob, oldBlob, path) : undefined;
      const read = first && !known ? reader.read(blob, maxSize) : undefined;
      // Rejections are seen when the slot is settled; one left unsettled (the scan stopped) must not crash.
      read?.catch(() => undefined);
      window.push({ entry, read, reader, ...(known ? { known } : {}) });
      // Drain to half before asking for more, so requests reach cat-file in batches, not one by one.
      if (window.length <= READ_AHEAD) continue;
      // git starts on the requests just made while the ones before them are scanned.
      reader.send();
      while (window.length > READ_AHEAD / 2) yield* pass(await settle(window.shift()!));
    }
    while (window.length > 0) yield* pass(await settle(window.shift()!));
    if (cleanFiles > 0) yield takeClean();
  } finally {
    await Promise.all([...readers.map((open) => open.close()), side?.close()]);
  }
}

/** `git diff --raw` with `diffArgs`, streamed into sources. */
async function* diffToSources(context: GitContext, diffArgs: readonly string[], options: ReadOptions): AsyncGenerator<SourceEvent> {
  const { child, done } = spawnGit(context, ['diff', ...RAW_ARGS, ...diffArgs, ...pathspecArgs(options)]);
  child.stdin.end();
  try {
    yield* changesToSources(context, rawEntries(child.stdout), options);
    await done;
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

/**
 * What `git commit` would record: the index compared with HEAD (or with nothing, before the
 * first commit; `git diff --cached` handles the unborn branch itself). The working tree is never
 * read, so unstaged edits neither hide nor add findings. Three git processes in all (four when a
 * staged change to a file with a credential is compared with its committed version).
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
  /** The tip to walk back from instead of HEAD (history of `since..until`); not with `all`. */
  until?: string;
  /**
   * Commit ids whose history was already scanned (`scan --repos --state`): only commits not reachable
   * from any of them are walked, `git log --all --not ID...`. Each must exist (see existingCommits).
   */
  exclude?: readonly string[];
}

/**
 * The commits to walk, as `git log` revision arguments. `--all` takes every ref under refs/ and
 * HEAD; git lists a commit reachable from several refs once. Deliberately not `--reflog`: reflog
 * entries are local, expire, and mostly hold commits a clone never receives (amended, rebased,
 * reset away). For the same reason refs/stash is excluded: only the newest stash is a ref (older
 * ones live in its reflog), and its work-tree half is a merge commit, which is skipped anyway.
 */
function historyRevisions(since: string | undefined, until: string | undefined, all: boolean): string[] {
  // Both are resolved commit ids here, so neither can be read as an option.
  const tip = until ?? 'HEAD';
  if (!all) return [since ? `${since}..${tip}` : tip];
  return ['--exclude=refs/stash', '--all', ...(since ? [`^${since}`] : [])];
}

/**
 * Every line ever added on the current branch (or, with `all`, on any ref), oldest commit first
 * (so the first sighting of a credential is the commit that introduced it; --date-order keeps
 * every parent before its children even when clocks on different branches disagree). One
 * `git log --raw` stream (blob ids, no patches) and one cat-file process (two when old versions
 * are compared) serve the whole walk, in bounded memory whatever the size of a commit; merges are
 * skipped, as their changes already appear in their parents.
 */
export async function historySources(context: GitContext, options: HistoryOptions = {}): Promise<GitSources> {
  const all = options.all ?? false;
  // With --all an unborn HEAD (an empty repository, or an orphan branch) still leaves other refs.
  // Asked beside the top level (two git processes at once, not one after the other); the top
  // level's error, if any, is the one reported.
  const head = all || options.until !== undefined ? undefined : hasHead(context);
  head?.catch(() => undefined);
  const root = await repoRoot(context);
  const since = options.since !== undefined ? await resolveCommit(context, options.since, '--since revision') : undefined;
  const until = options.until !== undefined ? await resolveCommit(context, options.until, '--until revision') : undefined;
  const exclude = options.exclude ?? [];
  for (const id of exclude) if (!OBJECT_ID.test(id)) throw new BadRevisionError(id, 'excluded commit');
  const born = head ? await head : true;
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
      ...RAW_ARGS,
      ...historyRevisions(since, until, all),
      // Exclusions on standard input: a mirror can have thousands of tips, more than a command line holds.
      ...(exclude.length > 0 ? ['--stdin'] : []),
      ...pathspecArgs(options),
    ]);
    child.stdin.on('error', () => undefined);
    child.stdin.end(exclude.map((id) => `^${id}\n`).join(''));
    const onCommit = options.blobCache ? () => options.blobCache!.commit() : undefined;
    try {
      // A history of large blobs goes on with git's output read on a worker thread (see WORKER_AFTER_BYTES).
      yield* changesToSources(context, rawEntries(child.stdout, onCommit), read, true);
      await done;
    } finally {
      if (child.exitCode === null) child.kill();
    }
  }
  return { root, events: events() };
}
