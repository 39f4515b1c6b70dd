import { displayMatch } from '../../rules/index.js';
import type { Finding, Report } from '../core/types.js';
import { removedLaterText } from './annotations.js';
import { findingLevel, ruleTitle, sortFindings } from '../report/message.js';
import { printable } from '../report/printable.js';

/** Rows in the step summary table; the rest are counted (the summary is limited to 1 MiB). */
const SUMMARY_MAX_ROWS = 100;

/**
 * Backslash-escapes what Markdown would otherwise read as formatting or table structure, after
 * showing control and bidi characters as `\x1b` / `\u202E` (file names are the attacker's).
 */
export function escapeMarkdown(text: string): string {
  return printable(text).replace(/[\\`*_[\]<>|]/g, (char) => `\\${char}`);
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export interface SummaryContext {
  /** What was scanned, e.g. "lines added by pull request #3 (abc1234...def5678)". */
  scanned: string;
  sarifFile?: string;
  /** Findings whose credential a later commit removed: their row says so instead of a bare commit. */
  removed?: (finding: Finding) => boolean;
}

/** The "Key status" cell (key-status input): active keys in bold, they are the urgent ones. */
function keyStatusCell(finding: Finding): string {
  const keyStatus = finding.keyStatus;
  if (!keyStatus) return '';
  const status = keyStatus.status === 'active' ? '**active**' : (keyStatus.status ?? 'unknown');
  const used = keyStatus.lastUsed ? `last used ${keyStatus.lastUsed.date.slice(0, 10)}` : 'never used';
  return [status, keyStatus.user ? escapeMarkdown(keyStatus.user) : '', used].filter(Boolean).join(', ');
}

/** The Markdown written to $GITHUB_STEP_SUMMARY: a headline, what was scanned, and one row per finding. */
export function summaryMarkdown(report: Report, context: SummaryContext): string {
  const findings = sortFindings(report.findings);
  const lines: string[] = [];
  lines.push(findings.length === 0 ? '## keywarden: no AWS credentials found' : `## keywarden: ${plural(findings.length, 'finding')}`);
  lines.push('');
  const stats = report.stats;
  const counts = [`${plural(stats.filesScanned, 'file')} scanned`];
  if (stats.filesSkipped > 0) counts.push(`${stats.filesSkipped} skipped`);
  if (stats.examples > 0) counts.push(`${plural(stats.examples, 'documentation example')} ignored`);
  if (stats.suppressed > 0) counts.push(`${stats.suppressed} suppressed by keywarden:allow`);
  if (stats.baselined > 0) counts.push(`${stats.baselined} in the baseline`);
  lines.push(`Scanned ${escapeMarkdown(context.scanned)}: ${counts.join(', ')}.`);
  if (findings.length > 0) {
    lines.push('');
    // The key status column only when IAM was asked: most runs never are.
    const withStatus = findings.some((finding) => finding.keyStatus);
    lines.push(`| Level | Rule | Location | Credential | Account |${withStatus ? ' Key status |' : ''} Commit |`);
    lines.push(`| --- | --- | --- | --- | --- |${withStatus ? ' --- |' : ''} --- |`);
    for (const finding of findings.slice(0, SUMMARY_MAX_ROWS)) {
      const account = finding.accountId
        ? `${finding.accountId}${finding.owner && finding.owner.label !== 'unknown' ? ` (${finding.owner.label})` : ''}`
        : '';
      const commit = context.removed?.(finding)
        ? escapeMarkdown(removedLaterText(finding))
        : finding.commit
          ? finding.commit.sha.slice(0, 12)
          : '';
      lines.push(
        `| ${findingLevel(finding)} | ${escapeMarkdown(ruleTitle(finding.ruleId))} | ${escapeMarkdown(`${finding.path}:${finding.line}:${finding.column}`)} | \`${displayMatch(finding, false).replace(/[`|]/g, '?')}\` | ${account} |${withStatus ? ` ${keyStatusCell(finding)} |` : ''} ${commit} |`,
      );
    }
    if (findings.length > SUMMARY_MAX_ROWS)
      lines.push(
        '',
        `…and ${findings.length - SUMMARY_MAX_ROWS} more${context.sarifFile ? `: see ${escapeMarkdown(context.sarifFile)}` : ''}.`,
      );
    lines.push('', 'Rotate exposed keys: deploy a replacement, then deactivate and delete the exposed key in IAM.');
  }
  if (context.sarifFile) lines.push('', `SARIF: \`${printable(context.sarifFile).replace(/`/g, "'")}\``);
  return `${lines.join('\n')}\n`;
}
