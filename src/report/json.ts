import { displayMatch } from '../../rules/index.js';
import type {
  AccountIdSource,
  ArchiveLocation,
  CommitInfo,
  Confidence,
  CredentialDetails,
  Finding,
  KeyStatus,
  Level,
  Ownership,
  ReportStats,
  RepositoryStatus,
  RuleId,
  SkippedFile,
  Span,
  StaleBaselineEntry,
  Verification,
} from '../core/types.js';
import { buildMessage, findingLevel, ruleTitle, sortFindings } from './message.js';
import { jsonSafe } from './printable.js';
import type { Reporter, ReportOptions } from './types.js';

/**
 * The JSON format, version 1. Stable: fields are only ever added; a removal or a change of
 * meaning bumps `version`. Optional facts are `null` rather than missing, so consumers can
 * rely on every key being present.
 */
export interface JsonFinding {
  ruleId: RuleId;
  /** The rule's title, e.g. "AWS access key ID in source". */
  title: string;
  level: Level;
  /** The same message the text, SARIF and GitHub formats print. */
  message: string;
  /** Posix path relative to `root`. */
  path: string;
  /** 1-based; `endColumn` is one past the last character. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** UTF-16 offsets into the file, half-open. */
  span: Span;
  /** The credential, redacted unless the report was made with showSecrets (key ids are always whole). */
  match: string;
  redacted: boolean;
  /** For secrets and tokens: the key id found next to them. */
  keyId: string | null;
  /** How the credential was written when not as itself: `base64`, `html-entity`, `unicode-escape`, nested `base64>base64`. */
  encoding: string | null;
  accountId: string | null;
  accountIdSource: AccountIdSource | null;
  owner: Ownership | null;
  verification: Verification | null;
  /** IAM's answer for an owned key (scan --key-status); null when not asked or not answered. */
  keyStatus: KeyStatus | null;
  /** What the credential says about itself (Bedrock API keys: IAM user, Region, expiry); null for other rules. */
  details: CredentialDetails | null;
  confidence: Confidence;
  /** Content fingerprint: stable across runs, never reveals the credential. */
  fingerprint: string;
  commit: CommitInfo | null;
  example: boolean;
  /** For a finding inside an archive (`path` is `outer.zip!/member`): the file on disk and the member's path in it. */
  archive: ArchiveLocation | null;
  /** `scan --repos`: the repository as listed; null for any other scan. */
  repository: string | null;
}

export interface JsonReport {
  version: 1;
  tool: { name: string; version: string; informationUri?: string };
  /** Absolute directory the paths are relative to. */
  root: string;
  findings: JsonFinding[];
  /** AWS documentation example keys; present only when examples were asked for. */
  examples?: JsonFinding[];
  skipped: SkippedFile[];
  warnings: string[];
  stats: ReportStats;
  staleBaseline: StaleBaselineEntry[];
  /** `scan --repos` only: each listed repository, scanned or failed (with git's reason). */
  repositories?: RepositoryStatus[];
}

export function toJsonFinding(finding: Finding, options: Pick<ReportOptions, 'showSecrets'>): JsonFinding {
  const match = displayMatch(finding, options.showSecrets);
  return {
    ruleId: finding.ruleId,
    title: ruleTitle(finding.ruleId),
    level: findingLevel(finding),
    message: buildMessage(finding, options.showSecrets),
    path: finding.path,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    span: { start: finding.span.start, end: finding.span.end },
    match,
    redacted: match !== finding.match || finding.redacted === true,
    keyId: finding.keyId ?? null,
    encoding: finding.encoding ?? null,
    accountId: finding.accountId,
    accountIdSource: finding.accountIdSource,
    owner: finding.owner ?? null,
    verification: finding.verification ?? null,
    keyStatus: finding.keyStatus ?? null,
    details: finding.details ?? null,
    confidence: finding.confidence,
    fingerprint: finding.fingerprint,
    commit: finding.commit ?? null,
    example: finding.example,
    archive: finding.archive ? { ...finding.archive } : null,
    repository: finding.repository ?? null,
  };
}

export const jsonReporter: Reporter = (report, options) => {
  const json: JsonReport = {
    version: 1,
    tool: { ...report.tool },
    root: report.root,
    findings: sortFindings(report.findings).map((finding) => toJsonFinding(finding, options)),
    ...(options.includeExamples ? { examples: sortFindings(report.examples).map((finding) => toJsonFinding(finding, options)) } : {}),
    skipped: [...report.skipped],
    warnings: [...report.warnings],
    stats: { ...report.stats },
    staleBaseline: [...(report.staleBaseline ?? [])],
    ...(report.repositories ? { repositories: report.repositories.map((entry) => ({ ...entry })) } : {}),
  };
  // Control, bidi and zero-width characters as \u escapes: the same strings, safe to cat.
  return `${jsonSafe(JSON.stringify(json, null, 2))}\n`;
};
