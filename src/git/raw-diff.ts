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

/** Splits a stream into its NUL-terminated fields without holding more than one field at a time. */
async function* nulFields(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let partial: Buffer[] = [];
  let partialBytes = 0;
  for await (const chunk of stream) {
    let from = 0;
    for (let nul = chunk.indexOf(0, from); nul >= 0; nul = chunk.indexOf(0, from)) {
      const piece = chunk.subarray(from, nul);
      if (partial.length === 0) yield piece.toString('utf8');
      else {
        if (partialBytes < MAX_TOKEN_BYTES) partial.push(piece);
        yield Buffer.concat(partial).toString('utf8');
        partial = [];
        partialBytes = 0;
      }
      from = nul + 1;
    }
    if (from < chunk.length && partialBytes < MAX_TOKEN_BYTES) {
      // Copied: the stream may reuse its chunk's memory.
      partial.push(Buffer.from(chunk.subarray(from)));
      partialBytes += chunk.length - from;
    }
  }
  if (partialBytes > 0) yield Buffer.concat(partial).toString('utf8');
}

/**
 * Reads `--raw -z` output as a stream of changes, one at a time, however large a commit is. With
 * `git log`, each commit's fields come first as one `\x1e`-prefixed field (our --format:
 * `%x1e%H%x1f%aI%x1f%an <%ae>`), then its entries: `:oldmode newmode oldblob newblob status`, then
 * the path (renames and copies: the old path, then the new one). Paths are taken where they are
 * expected, never recognised by their content, so no file name can pose as a header.
 */
export async function* rawEntries(stream: AsyncIterable<Buffer>): AsyncGenerator<RawEntry> {
  let commit: CommitInfo | undefined;
  let meta: string[] | undefined;
  let paths: string[] = [];
  for await (const raw of nulFields(stream)) {
    if (meta) {
      paths.push(raw);
      const status = meta[4] ?? '';
      const renamed = status.startsWith('R') || status.startsWith('C');
      if (paths.length < (renamed ? 2 : 1)) continue;
      const change: RawChange = {
        status: status.charAt(0),
        path: renamed ? paths[1]! : paths[0]!,
        ...(renamed ? { oldPath: paths[0]! } : {}),
        mode: meta[1] ?? '',
        oldBlob: meta[2] ?? '',
        blob: meta[3] ?? '',
      };
      meta = undefined;
      paths = [];
      yield { ...(commit ? { commit } : {}), change };
      continue;
    }
    // git puts a newline between a commit's header and its first entry.
    const field = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (field.startsWith('\u001e')) {
      const [sha = '', authorDate = '', ...rest] = field.slice(1).split('\u001f');
      const author = rest.join('\u001f').trim();
      commit = { sha, authorDate, ...(author ? { author } : {}) };
    } else if (field.startsWith(':')) {
      meta = field.slice(1).split(' ');
    }
  }
}
