/**
 * Data that flows through keywarden: Source -> Finding -> Report.
 * Pure types; every adapter (CLI, git, Action, ESLint, STS) speaks these.
 */

/** Public rule ids. Users write them in configs, so they never change. */
export type RuleId =
  'aws-access-key-id' | 'aws-temporary-access-key-id' | 'aws-secret-access-key' | 'aws-session-token' | 'aws-bedrock-api-key';

export type Level = 'error' | 'warning' | 'note';

/** How sure a detector is that a match is a live credential, not a lookalike. */
export type Confidence = 'high' | 'medium' | 'low';

/** Where an account id came from: decoded from the key id, or answered by STS GetAccessKeyInfo. */
export type AccountIdSource = 'offline' | 'sts';

/** Who owns the credential, when the user told us their accounts (see src/core/ownership.ts). */
export type OwnershipLabel = 'owned' | 'third-party' | 'canary' | 'unknown';

export interface Ownership {
  label: OwnershipLabel;
  /** The user's name for an owned account, e.g. "prod". */
  name?: string;
}

/** Result of an opt-in live check of a complete credential pair (STS GetCallerIdentity). */
export interface Verification {
  /** unknown: STS answered, but not with a caller identity (a proxy or captive portal page). */
  status: 'live' | 'inactive' | 'unknown' | 'error' | 'skipped';
  arn?: string;
  reason?: string;
}

/**
 * An owned access key's state in IAM (scan --key-status), from GetAccessKeyLastUsed and
 * ListAccessKeys. `status` is null when the key was not in the user's listing (or it failed);
 * `lastUsed` is null when IAM says the key was never used.
 */
export interface KeyStatus {
  user: string | null;
  status: 'active' | 'inactive' | null;
  /** ISO 8601. */
  created: string | null;
  lastUsed: { date: string; service: string | null; region: string | null } | null;
}

/** Half-open range of UTF-16 offsets into the scanned text. */
export interface Span {
  start: number;
  end: number;
}

/** Lines (1-based, inclusive) added by a change; undefined means every line counts. */
export interface LineRange {
  start: number;
  end: number;
}

export interface CommitInfo {
  sha: string;
  authorDate: string;
  author?: string;
}

/** One text to scan. `path` is posix-style and relative to the scan root when possible. */
export interface Source {
  path: string;
  text: string;
  /** When set, only findings that start on these lines are reported (git modes). */
  addedLines?: LineRange[];
  commit?: CommitInfo;
}

/**
 * Facts a credential carries inside itself, decoded offline (Amazon Bedrock API keys): who it is
 * for, where it works and until when. None of them is secret.
 */
export interface CredentialDetails {
  /** Bedrock API keys: long-term (an IAM service-specific credential) or short-term (a presigned URL). */
  form: 'long-term' | 'short-term';
  /** The IAM user a long-term key belongs to. */
  iamUser?: string;
  /** The Region a short-term key was signed for (it works only there). */
  region?: string;
  /** ISO 8601: when a short-term key was signed, and when it stops working. */
  issuedAt?: string;
  expiresAt?: string;
  /** True when expiresAt was already past at scan time. */
  expired?: boolean;
}

export interface Finding {
  ruleId: RuleId;
  /** The rule's level, or the config's override for it. */
  level: Level;
  path: string;
  span: Span;
  /** 1-based line and column of the first character. */
  line: number;
  column: number;
  /** 1-based line of the last character; endColumn is one past the last character (SARIF convention). */
  endLine: number;
  endColumn: number;
  /** The credential as it appears once decoded (`\/` and `%2F` unescaped). Redact before output. */
  match: string;
  /** For secrets and tokens: the key id they were paired with, when one was near. */
  keyId?: string;
  /**
   * Set when the credential was written encoded: the encodings undone to find it, outermost first
   * (`base64`, `html-entity`, `unicode-escape`, `base64>base64`). The span is the encoded text's.
   */
  encoding?: string;
  /** The 12-digit owning account, when known. */
  accountId: string | null;
  accountIdSource: AccountIdSource | null;
  owner?: Ownership;
  verification?: Verification;
  keyStatus?: KeyStatus;
  /** What the credential says about itself, for the rules that can decode it. */
  details?: CredentialDetails;
  /** True for AWS documentation example keys (...EXAMPLE, ...EXAMPLEKEY). */
  example: boolean;
  confidence: Confidence;
  /** Stable, salted, content-based hash; never contains the secret. */
  fingerprint: string;
  commit?: CommitInfo;
  /** For a finding inside an archive: `path` is then `archive.path!/archive.member`. */
  archive?: ArchiveLocation;
  /** `scan --repos`: the repository as listed (URL or path); `path` is relative to it. */
  repository?: string;
  /** `match` is already redacted: a finding read back from a JSON report (`keywarden merge`). */
  redacted?: true;
}

/** Where an archive member is: the file on disk, and the member's path inside it (`lib/x.jar!/.env` when nested). */
export interface ArchiveLocation {
  path: string;
  member: string;
}

export interface SkippedFile {
  path: string;
  /** archive-limit: an archive reached a limit (members, inflated bytes, ratio, depth); corrupt-archive: it breaks its format; not-regular: a FIFO, socket or device. */
  reason:
    | 'too-large'
    | 'binary'
    | 'unreadable'
    | 'symlink-loop'
    | 'outside-root'
    | 'not-found'
    | 'decode-error'
    | 'archive-limit'
    | 'corrupt-archive'
    | 'not-regular';
  detail?: string;
  /** For a member of an archive (`path` is `archive.path!/archive.member`). */
  archive?: ArchiveLocation;
}

export interface ReportStats {
  filesScanned: number;
  bytesScanned: number;
  filesSkipped: number;
  /** Documentation example keys seen (listed only with includeExamples). */
  examples: number;
  /** Findings silenced by keywarden:allow comments. */
  suppressed: number;
  /** Findings already in the baseline. */
  baselined: number;
  durationMs: number;
}

export interface StaleBaselineEntry {
  fingerprint: string;
  ruleId: string;
  path?: string;
}

export interface Report {
  tool: { name: string; version: string; informationUri?: string };
  /** Absolute directory the finding paths are relative to (SARIF uriBaseId %SRCROOT%). */
  root: string;
  findings: Finding[];
  /** AWS documentation example keys: counted in stats, shown only when asked (--include-examples). */
  examples: Finding[];
  skipped: SkippedFile[];
  warnings: string[];
  stats: ReportStats;
  staleBaseline?: StaleBaselineEntry[];
  /** `scan --repos`: each listed repository and whether it was scanned. */
  repositories?: RepositoryStatus[];
}

/** One listed repository: mirrored and scanned, or why not (a failed one is never silent). */
export interface RepositoryStatus {
  repository: string;
  status: 'scanned' | 'failed';
  /** How its mirror was brought up to date, when it was. */
  mirror?: 'cloned' | 'fetched';
  findings: number;
  /** Commits walked (with --state, only those new since the recorded tips). */
  commits?: number;
  /** Blobs (new versions of changed files) read from this repository and scanned. */
  blobsScanned?: number;
  /**
   * Blobs not read because an earlier repository of the same run had scanned them (a fork's shared
   * history): their findings are re-attached here, with this repository's path and commit.
   */
  blobsReused?: number;
  /** --state: the recorded tips walked around, and how many of them were gone from the mirror (force-pushed away). */
  incremental?: { tips: number; missing: number };
  error?: string;
}
