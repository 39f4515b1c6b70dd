/**
 * Limits on opening archives. Every archive is hostile input: a few kilobytes of deflate can
 * inflate to gigabytes (a zip bomb), and one zip can list millions of members. Each limit stops
 * the work early, with a warning naming the archive, instead of exhausting memory or time.
 */
export interface ArchiveLimits {
  /** Archives opened inside one another, the file on disk counting as 1 (a jar in a zip is 2). */
  maxDepth: number;
  /** Members looked at in one file on disk, nested archives' members included. */
  maxMembers: number;
  /** Bytes inflated for one file on disk, nested archives included. */
  maxInflatedBytes: number;
  /** Bytes inflated per byte of an archive, past RATIO_FLOOR: more is taken for a bomb. */
  maxRatio: number;
  /** Largest member scanned (the scan's --max-file-size); larger members are skipped as too-large. */
  maxMemberSize: number;
}

export const DEFAULT_ARCHIVE_LIMITS: Omit<ArchiveLimits, 'maxMemberSize'> = {
  maxDepth: 3,
  maxMembers: 20_000,
  maxInflatedBytes: 256 * 1024 * 1024,
  maxRatio: 100,
};

/**
 * Below this many inflated bytes the ratio is not checked: small, repetitive members (a file of
 * spaces, an empty-ish log) legitimately compress far better than 100:1 and cost nothing to read.
 */
export const RATIO_FLOOR = 1024 * 1024;

/** The archive breaks its format (truncated, bad offsets, bad checksums): the rest of it is unreadable. */
export class ArchiveFormatError extends Error {
  override readonly name = 'ArchiveFormatError';
}

/**
 * A limit was reached. `scope` says how much work stops: 'archive' ends the archive being read
 * (its parent goes on with other members), 'all' ends the whole file on disk (a budget shared by
 * every nested archive is spent).
 */
export class ArchiveLimitError extends Error {
  override readonly name = 'ArchiveLimitError';
  constructor(
    message: string,
    readonly scope: 'archive' | 'all',
  ) {
    super(message);
  }
}
