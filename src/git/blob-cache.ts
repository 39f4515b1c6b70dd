import type { CommitInfo, Finding } from '../core/types.js';
import type { FileResult } from '../scan/process-file.js';
import { ObjectIdSet } from './blob-set.js';

/** What the cache holds for a blob id: its verdict, one byte beside the id (see ObjectIdSet). */
const CLEAN = 1;
const BINARY = 2;
/** Scanned as text: results kept per old version (the lines a change adds depend on it). */
const TEXT = 3;
/** Scanned as an archive: results kept per path (a .gz member is named after the archive's path). */
const ARCHIVE = 4;

/** What an earlier scan learnt about a blob, so it need not be read again. */
export type KnownBlob = { kind: 'clean' } | { kind: 'binary' } | { kind: 'results'; results: readonly FileResult[] };

/** One repository's share of the work: what it walked, read and took from the cache. */
export interface BlobCounts {
  /** Commits walked. */
  commits: number;
  /** Blobs (new versions of changed files) read from the repository and scanned. */
  blobsScanned: number;
  /** Blobs not read because the run had scanned them already (a fork's shared history); their findings re-attached. */
  blobsReused: number;
}

export interface BlobCacheLimits {
  /** Blob ids remembered: at least this many, at most twice (ObjectIdSet's generations). */
  ids: number;
  /** Scan results kept for blobs that matched a detector; the oldest are dropped past this. */
  results: number;
}

/**
 * 524,288 ids a generation: at most two tables of 2^20 slots of 21 bytes, about 45 MB, whatever
 * the number of repositories. Results are kept only for blobs a detector matched (few).
 */
export const DEFAULT_BLOB_CACHE_LIMITS: BlobCacheLimits = { ids: 1 << 19, results: 65_536 };

/** A collector for the results of one blob's readings, handed to detection with its source events. */
export interface PendingResults {
  add(result: FileResult): void;
}

/**
 * What a run (`scan --repos`) knows about the blobs it has scanned, shared by its repositories so a
 * fork's shared history is read once: a blob's findings depend only on its bytes, the old version it
 * is compared with (a text's added lines), and, for an archive, its path; the path filters
 * (include/exclude, .keywardenignore) are applied by each repository before the cache is asked, and
 * the allow list afterwards, on the re-attached findings. Forgetting a blob only means reading it
 * again. Safe to share between repositories scanned at the same time: a verdict is stored only once
 * final, results only once complete, so a blob being scanned elsewhere is simply read again.
 */
export class BlobCache {
  private readonly verdicts: ObjectIdSet;
  private readonly results = new Map<string, readonly FileResult[]>();

  constructor(private readonly limits: BlobCacheLimits = DEFAULT_BLOB_CACHE_LIMITS) {
    this.verdicts = new ObjectIdSet(limits.ids);
  }

  /** One repository's view of the cache, with its own counts. */
  session(): BlobCacheSession {
    return new BlobCacheSession(this);
  }

  /** @internal */
  lookup(blob: string, oldBlob: string, path: string): KnownBlob | undefined {
    const tag = this.verdicts.tag(blob);
    if (tag === CLEAN) return { kind: 'clean' };
    if (tag === BINARY) return { kind: 'binary' };
    const results =
      tag === TEXT ? this.results.get(textKey(blob, oldBlob)) : tag === ARCHIVE ? this.results.get(archiveKey(blob, path)) : undefined;
    return results ? { kind: 'results', results } : undefined;
  }

  /** @internal */
  setVerdict(blob: string, verdict: 'clean' | 'binary'): void {
    this.verdicts.setTag(blob, verdict === 'clean' ? CLEAN : BINARY);
  }

  /** @internal */
  storeResults(blob: string, oldBlob: string, path: string, archive: boolean, results: readonly FileResult[]): void {
    const key = archive ? archiveKey(blob, path) : textKey(blob, oldBlob);
    if (this.results.has(key) || this.limits.results <= 0) return;
    if (this.results.size >= this.limits.results) this.results.delete(this.results.keys().next().value!);
    this.results.set(key, results);
    this.verdicts.setTag(blob, archive ? ARCHIVE : TEXT);
  }
}

const copy = (finding: Finding): Finding => ({ ...finding });
const textKey = (blob: string, oldBlob: string) => `${blob}:${oldBlob}`;
const archiveKey = (blob: string, path: string) => `${blob}\u0000${path}`;

export class BlobCacheSession {
  readonly counts: BlobCounts = { commits: 0, blobsScanned: 0, blobsReused: 0 };

  constructor(private readonly cache: BlobCache) {}

  /** What an earlier scan learnt about this change's new blob; counted as reused when known. */
  reuse(blob: string, oldBlob: string, path: string): KnownBlob | undefined {
    const known = this.cache.lookup(blob, oldBlob, path);
    if (known) this.counts.blobsReused++;
    return known;
  }

  /** A blob read from this repository, about to be scanned. */
  scanned(): void {
    this.counts.blobsScanned++;
  }

  commit(): void {
    this.counts.commits++;
  }

  /** A blob read and found clean or binary: final whatever its path or old version. */
  verdict(blob: string, verdict: 'clean' | 'binary'): void {
    this.cache.setVerdict(blob, verdict);
  }

  /** Collects a matched blob's `parts` readings' results as detection produces them; stored once all are in. */
  pending(blob: string, oldBlob: string, path: string, archive: boolean, parts: number): PendingResults {
    const results: FileResult[] = [];
    return {
      add: (result) => {
        // Copies: later stages (STS, IAM) set fields on the findings this repository reports.
        results.push(
          result.kind === 'scanned' ? { ...result, findings: result.findings.map(copy), examples: result.examples.map(copy) } : result,
        );
        if (results.length === parts) this.cache.storeResults(blob, oldBlob, path, archive, results);
      },
    };
  }
}

/**
 * A cached result as this repository's: its path and the commit that brought the blob here. Bytes
 * are 0: nothing was read (the repository's statistics count the file, not bytes it did not read).
 */
export function reattach(result: FileResult, path: string, commit: CommitInfo | undefined): FileResult {
  if (result.kind !== 'scanned') return result;
  // A text's findings sit at the file's path; an archive's at `path!/member`, and archives are cached per path.
  const move = (finding: Finding): Finding => {
    const { commit: _earlier, ...rest } = finding;
    return { ...rest, path: finding.archive ? finding.path : path, ...(commit ? { commit } : {}) };
  };
  return {
    ...result,
    path,
    bytes: 0,
    findings: result.findings.map(move),
    examples: result.examples.map(move),
    ...(result.archive ? { archive: { ...result.archive, memberBytes: 0 } } : {}),
  };
}
