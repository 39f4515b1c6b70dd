import type { CommitInfo, Finding, Report } from '../core/types.js';
import type { ScanDetectOptions as DetectOptions } from '../scan/detect-options.js';
import type { GitContext } from './run.js';
import { firstSightings } from './first-sighting.js';
import { scanGit, type GitMode } from './scan.js';
import type { IgnoreFileReader } from '../scan/ignore-files.js';
import { buildReport } from '../scan/report-builder.js';

export interface RangeScanOptions {
  context: GitContext;
  /** `git log base..head`, and the net diff `range` (base...head for a pull request). */
  commits: { base: string; head: string; range: string };
  detect: DetectOptions;
  maxFileSize: number;
  include: readonly string[];
  exclude: readonly string[];
  useIgnoreFiles: boolean;
  ignoreReader?: IgnoreFileReader;
  pathspecs: readonly string[];
}

export interface RangeReport {
  report: Report;
  /** Fingerprints of the credentials still in the head tree (found in the net diff). */
  atHead: ReadonlySet<string>;
}

/**
 * Commit by commit, what a range adds: every credential some commit in it added, with that commit,
 * even when a later commit removed it (it stays in history, so anyone with a clone has it).
 * Two scans: the history walk finds them all; the net diff says which are still in head's tree, and
 * gives those their head line numbers, so annotations land on lines the pull request shows.
 */
export async function scanRange(options: RangeScanOptions): Promise<RangeReport> {
  const scan = async (mode: GitMode) =>
    buildReport(
      await scanGit({
        context: options.context,
        mode,
        detect: options.detect,
        maxFileSize: options.maxFileSize,
        include: options.include,
        exclude: options.exclude,
        useIgnoreFiles: options.useIgnoreFiles,
        ...(options.ignoreReader ? { ignoreReader: options.ignoreReader } : {}),
        pathspecs: options.pathspecs,
      }),
    );
  const net = await scan({ kind: 'diff', range: options.commits.range });
  const history = await scan({ kind: 'history', since: options.commits.base, until: options.commits.head });
  return mergeRangeReports(net, { ...history, findings: firstSightings(history.findings), examples: firstSightings(history.examples) });
}

/**
 * Head findings (net diff) carry the commit that added them; history findings whose credential is
 * not in the head tree at all are added as they were found, on their commit. A credential still at
 * head under another path (a moved file) is reported where head has it, once.
 */
function mergeRangeReports(net: Report, history: Report): RangeReport {
  const atHead = new Set([...net.findings, ...net.examples].map((finding) => finding.fingerprint));
  const addedIn = new Map<string, CommitInfo>();
  for (const finding of [...history.findings, ...history.examples]) {
    if (!finding.commit) continue;
    for (const key of [`${finding.fingerprint}\0${finding.path}`, finding.fingerprint])
      if (!addedIn.has(key)) addedIn.set(key, finding.commit);
  }
  const withCommit = (finding: Finding): Finding => {
    const commit = addedIn.get(`${finding.fingerprint}\0${finding.path}`) ?? addedIn.get(finding.fingerprint);
    return commit ? { ...finding, commit } : finding;
  };
  const merge = (head: readonly Finding[], past: readonly Finding[]) => [
    ...head.map(withCommit),
    ...past.filter((finding) => !atHead.has(finding.fingerprint)),
  ];
  const findings = merge(net.findings, history.findings);
  const examples = merge(net.examples, history.examples);
  const skippedPaths = new Set(history.skipped.map((file) => `${file.path}\0${file.reason}`));
  const skipped = [...history.skipped, ...net.skipped.filter((file) => !skippedPaths.has(`${file.path}\0${file.reason}`))];
  return {
    atHead,
    report: {
      ...history,
      findings,
      examples,
      skipped,
      warnings: [...new Set([...history.warnings, ...net.warnings])],
      stats: {
        ...history.stats,
        filesScanned: Math.max(history.stats.filesScanned, net.stats.filesScanned),
        bytesScanned: Math.max(history.stats.bytesScanned, net.stats.bytesScanned),
        filesSkipped: skipped.length,
        examples: examples.length,
        suppressed: Math.max(history.stats.suppressed, net.stats.suppressed),
        durationMs: history.stats.durationMs + net.stats.durationMs,
      },
    },
  };
}

/** A finding on a commit whose credential is no longer in the head tree: reported on the commit, not a line. */
export function removedLater(finding: Finding, atHead: ReadonlySet<string> | undefined): boolean {
  return atHead !== undefined && finding.commit !== undefined && !atHead.has(finding.fingerprint);
}
