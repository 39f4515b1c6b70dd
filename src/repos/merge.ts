import type { Finding, Report, ReportStats, RepositoryStatus } from '../core/types.js';
import { UsageError } from '../errors.js';
import type { JsonFinding, JsonReport } from '../report/json.js';

const STAT_KEYS = ['filesScanned', 'bytesScanned', 'filesSkipped', 'examples', 'suppressed', 'baselined', 'durationMs'] as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields a finding must have to be reported again; anything else is not keywarden's JSON. */
function isJsonFinding(value: unknown): value is JsonFinding {
  return (
    isObject(value) &&
    typeof value.ruleId === 'string' &&
    typeof value.level === 'string' &&
    typeof value.path === 'string' &&
    typeof value.line === 'number' &&
    typeof value.column === 'number' &&
    typeof value.endLine === 'number' &&
    typeof value.endColumn === 'number' &&
    isObject(value.span) &&
    typeof value.match === 'string' &&
    typeof value.fingerprint === 'string' &&
    typeof value.confidence === 'string' &&
    typeof value.example === 'boolean'
  );
}

/**
 * A report written by `scan --format json` (version 1), checked enough to report again; `name` is
 * the file as given, for the one-line error. Matches stay as the shard wrote them (redacted unless
 * it ran with --show-secrets; redacting again changes nothing).
 */
export function reportFromJson(text: string, name: string): Report {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`merge: ${name} is not JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const bad = (what: string) => new UsageError(`merge: ${name} is not a keywarden JSON report (${what}); write shards with --format json`);
  if (!isObject(json) || json.version !== 1) throw bad('no "version": 1');
  const report = json as unknown as JsonReport;
  if (!Array.isArray(report.findings) || !report.findings.every(isJsonFinding)) throw bad('"findings" is not a list of findings');
  if (report.examples !== undefined && (!Array.isArray(report.examples) || !report.examples.every(isJsonFinding)))
    throw bad('"examples" is not a list of findings');
  if (!isObject(report.stats) || !STAT_KEYS.every((key) => typeof report.stats[key] === 'number')) throw bad('"stats" is incomplete');
  if (!Array.isArray(report.skipped) || !Array.isArray(report.warnings)) throw bad('no "skipped" or "warnings" list');
  if (report.repositories !== undefined && !Array.isArray(report.repositories)) throw bad('"repositories" is not a list');
  return {
    tool: isObject(report.tool) ? report.tool : { name: 'keywarden', version: 'unknown' },
    root: typeof report.root === 'string' ? report.root : '',
    findings: report.findings.map(toFinding),
    examples: (report.examples ?? []).map(toFinding),
    skipped: [...report.skipped],
    warnings: report.warnings.map(String),
    stats: Object.fromEntries(STAT_KEYS.map((key) => [key, report.stats[key]])) as unknown as ReportStats,
    ...(report.repositories ? { repositories: [...report.repositories] } : {}),
  };
}

function toFinding(json: JsonFinding): Finding {
  return {
    ruleId: json.ruleId,
    level: json.level,
    path: json.path,
    span: { start: json.span.start, end: json.span.end },
    line: json.line,
    column: json.column,
    endLine: json.endLine,
    endColumn: json.endColumn,
    match: json.match,
    ...(json.redacted ? { redacted: true as const } : {}),
    ...(json.keyId ? { keyId: json.keyId } : {}),
    ...(json.encoding ? { encoding: json.encoding } : {}),
    accountId: json.accountId ?? null,
    accountIdSource: json.accountIdSource ?? null,
    ...(json.owner ? { owner: json.owner } : {}),
    ...(json.verification ? { verification: json.verification } : {}),
    ...(json.keyStatus ? { keyStatus: json.keyStatus } : {}),
    ...(json.details ? { details: json.details } : {}),
    example: json.example,
    confidence: json.confidence,
    fingerprint: json.fingerprint,
    ...(json.commit ? { commit: json.commit } : {}),
    ...(json.archive ? { archive: json.archive } : {}),
    ...(typeof json.repository === 'string' ? { repository: json.repository } : {}),
  };
}

/** One credential at one place in one repository is one finding, however many shards saw it. */
const findingKey = (finding: Finding) => `${finding.fingerprint}\u0000${finding.repository ?? ''}\u0000${finding.path}`;

function unique(findings: Iterable<Finding>): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const finding of findings) if (!byKey.has(findingKey(finding))) byKey.set(findingKey(finding), finding);
  return [...byKey.values()];
}

/**
 * The shards' reports as one: findings de-duplicated by fingerprint, repository and path; stats
 * summed (durations too: the work done, not the wall-clock time); warnings and skipped files
 * kept once each; a repository listed in two shards counts as scanned when any of them scanned it.
 */
export function mergeReports(reports: readonly Report[]): Report {
  const stats = Object.fromEntries(STAT_KEYS.map((key) => [key, 0])) as unknown as ReportStats;
  for (const report of reports) for (const key of STAT_KEYS) stats[key] += report.stats[key];
  const repositories = new Map<string, RepositoryStatus>();
  for (const report of reports)
    for (const entry of report.repositories ?? []) {
      const seen = repositories.get(entry.repository);
      if (!seen || (seen.status === 'failed' && entry.status === 'scanned')) repositories.set(entry.repository, entry);
    }
  const skipped = new Map(reports.flatMap((report) => report.skipped).map((file) => [JSON.stringify(file), file]));
  const anyRepositories = reports.some((report) => report.repositories !== undefined);
  return {
    tool: reports[0]!.tool,
    root: reports[0]!.root,
    findings: unique(reports.flatMap((report) => report.findings)),
    examples: unique(reports.flatMap((report) => report.examples)),
    skipped: [...skipped.values()],
    warnings: [...new Set(reports.flatMap((report) => report.warnings))],
    stats,
    ...(anyRepositories ? { repositories: [...repositories.values()] } : {}),
  };
}
