import type { CommitInfo } from '../core/types.js';

/** One entry of `git diff --raw -z` / `git log --raw -z`: a file whose new version is a blob to read. */
export interface RawChange {
  /** A, C, M or R (we ask git for --diff-filter=ACMR). */
  status: string;
  /** Posix path in the new version, relative to the repository's top level. */
  path: string;
  oldPath?: string;
  /** Mode of the new version: 160000 is a submodule, 120000 a symlink. */
  mode: string;
  /** Blob id of the old version; all zeros for an added file. */
  oldBlob: string;
  /** Blob id of the new version (full, --no-abbrev). */
  blob: string;
}

export interface RawEntry {
  /** The commit that made the change (history); undefined for `git diff`. */
  commit?: CommitInfo;
  change: RawChange;
}

/** A token longer than this (only a hostile author name could be) keeps its first bytes only. */
const MAX_TOKEN_BYTES = 1024 * 1024;

/**
 * Reads `--raw -z` output as a stream of changes, one at a time, however large a commit is. With
 * `git log`, each commit's fields come first as one `\x1e`-prefixed field (our --format:
 * `%x1e%H%x1f%aI%x1f%an <%ae>`), then its entries: `:oldmode newmode oldblob newblob status`, then
 * the path (renames and copies: the old path, then the new one). Paths are taken where they are
 * expected, never recognised by their content, so no file name can pose as a header.
 */
export async function* rawEntries(stream: AsyncIterable<Buffer>, onCommit?: () => void): AsyncGenerator<RawEntry> {
  const parser = new RawParser(onCommit);
  for await (const chunk of stream) {
    // Fields are split synchronously per chunk: one await per chunk, not per field.
    const entries = parser.push(chunk);
    for (const entry of entries) yield entry;
  }
  const last = parser.end();
  if (last) yield last;
}

/** The parsing state between chunks: at most one unfinished field and one unfinished entry. */
class RawParser {
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private commit: CommitInfo | undefined;
  private meta: string[] | undefined;
  private paths: string[] = [];

  /** `onCommit`: told of each commit header, including commits that change nothing scanned. */
  constructor(private readonly onCommit?: () => void) {}

  push(chunk: Buffer): RawEntry[] {
    const entries: RawEntry[] = [];
    let from = 0;
    for (let nul = chunk.indexOf(0, from); nul >= 0; nul = chunk.indexOf(0, from)) {
      const piece = chunk.subarray(from, nul);
      let field: string;
      if (this.partial.length === 0) field = piece.toString('utf8');
      else {
        if (this.partialBytes < MAX_TOKEN_BYTES) this.partial.push(piece);
        field = Buffer.concat(this.partial).toString('utf8');
        this.partial = [];
        this.partialBytes = 0;
      }
      const entry = this.field(field);
      if (entry) entries.push(entry);
      from = nul + 1;
    }
    if (from < chunk.length && this.partialBytes < MAX_TOKEN_BYTES) {
      // Copied: the stream may reuse its chunk's memory.
      this.partial.push(Buffer.from(chunk.subarray(from)));
      this.partialBytes += chunk.length - from;
    }
    return entries;
  }

  end(): RawEntry | undefined {
    if (this.partialBytes === 0) return undefined;
    const field = Buffer.concat(this.partial).toString('utf8');
    this.partial = [];
    this.partialBytes = 0;
    return this.field(field);
  }

  private field(raw: string): RawEntry | undefined {
    const meta = this.meta;
    if (meta) {
      this.paths.push(raw);
      const status = meta[4] ?? '';
      const renamed = status.startsWith('R') || status.startsWith('C');
      if (this.paths.length < (renamed ? 2 : 1)) return undefined;
      const change: RawChange = {
        status: status.charAt(0),
        path: renamed ? this.paths[1]! : this.paths[0]!,
        ...(renamed ? { oldPath: this.paths[0]! } : {}),
        mode: meta[1] ?? '',
        oldBlob: meta[2] ?? '',
        blob: meta[3] ?? '',
      };
      this.meta = undefined;
      this.paths = [];
      return { ...(this.commit ? { commit: this.commit } : {}), change };
    }
    // git puts a newline between a commit's header and its first entry.
    const field = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (field.startsWith('\u001e')) {
      const [sha = '', authorDate = '', ...rest] = field.slice(1).split('\u001f');
      const author = rest.join('\u001f').trim();
      this.commit = { sha, authorDate, ...(author ? { author } : {}) };
      this.onCommit?.();
    } else if (field.startsWith(':')) {
      this.meta = field.slice(1).split(' ');
    }
    return undefined;
  }
}
