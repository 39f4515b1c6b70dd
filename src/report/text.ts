import pc from 'picocolors';
import type { Finding, Level, Report } from '../core/types.js';
import { buildMessage, findingLevel, sortFindings } from './message.js';
import { ownedKeysSummary, type SummaryLine } from './owned-keys.js';
import { printable } from './printable.js';
import type { Reporter, ReportOptions } from './types.js';

// File names and config text are not ours: shown with controls and bidi characters escaped.
export { printable };

type Colors = ReturnType<typeof pc.createColors>;

interface Row {
  path: string;
  location: string;
  level: Level;
  ruleId: string;
  message: string;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function levelColor(colors: Colors, level: Level): (text: string) => string {
  return level === 'error' ? colors.red : level === 'warning' ? colors.yellow : colors.blue;
}

function toRow(finding: Finding, options: ReportOptions): Row {
  return {
    path: finding.repository !== undefined ? `${finding.repository}\u0000${finding.path}` : finding.path,
    location: `${finding.repository !== undefined ? `${printable(finding.repository)}: ` : ''}${printable(finding.path)}:${finding.line}:${finding.column}`,
    level: findingLevel(finding),
    ruleId: finding.ruleId,
    message: printable(buildMessage(finding, options.showSecrets)),
  };
}

/** Rows as `path:line:col  level  ruleId  message`, columns aligned, a blank line between files. */
function formatRows(rows: readonly Row[], colors: Colors): string[] {
  // reduce, not Math.max(...): spreading 200k+ rows as arguments overflows the stack.
  const width = (key: 'location' | 'level' | 'ruleId') => rows.reduce((max, row) => Math.max(max, row[key].length), 0);
  const [locationWidth, levelWidth, ruleWidth] = [width('location'), width('level'), width('ruleId')];
  const lines: string[] = [];
  let previousPath: string | undefined;
  for (const row of rows) {
    if (previousPath !== undefined && row.path !== previousPath) lines.push('');
    previousPath = row.path;
    // Pad before coloring so escape codes do not count toward the width.
    lines.push(
      [
        colors.underline(row.location) + ' '.repeat(locationWidth - row.location.length),
        levelColor(colors, row.level)(row.level.padEnd(levelWidth)),
        colors.dim(row.ruleId.padEnd(ruleWidth)),
        row.message,
      ].join('  '),
    );
  }
  return lines;
}

function headline(report: Report, colors: Colors): string {
  const { stats } = report;
  const repos = report.repositories
    ? `${plural(report.repositories.filter((entry) => entry.status === 'scanned').length, 'repository', 'repositories')}, `
    : '';
  const scanned = `scanned ${repos}${plural(stats.filesScanned, 'file')}, ${(stats.bytesScanned / 1e6).toFixed(2)} MB, in ${(stats.durationMs / 1000).toFixed(2)}s`;
  if (report.findings.length === 0) return colors.green(`No findings (${scanned})`);
  const files = new Set(report.findings.map((finding) => `${finding.repository ?? ''}\u0000${finding.path}`)).size;
  return colors.bold(colors.red(`${plural(report.findings.length, 'finding')} in ${plural(files, 'file')}`)) + ` (${scanned})`;
}

function counts(report: Report, options: ReportOptions): string | undefined {
  const { stats } = report;
  const items: string[] = [];
  const examples = Math.max(stats.examples, report.examples.length);
  if (examples > 0) {
    items.push(
      options.includeExamples
        ? `${plural(examples, 'example')} listed`
        : `${plural(examples, 'example')} hidden (--include-examples to list)`,
    );
  }
  if (stats.suppressed > 0) items.push(`${stats.suppressed} suppressed`);
  if (stats.baselined > 0) items.push(`${stats.baselined} baselined`);
  const skipped = Math.max(stats.filesSkipped, report.skipped.length);
  if (skipped > 0) items.push(`${plural(skipped, 'file')} skipped`);
  if (report.warnings.length > 0) items.push(plural(report.warnings.length, 'warning'));
  const stale = report.staleBaseline?.length ?? 0;
  if (stale > 0) items.push(plural(stale, 'stale baseline entry', 'stale baseline entries'));
  return items.length > 0 ? items.join(', ') : undefined;
}

function details(report: Report, colors: Colors): string[] {
  const lines: string[] = [];
  const section = (title: string, entries: string[]) => {
    if (entries.length === 0) return;
    lines.push('', colors.bold(title), ...entries.map((entry) => `  ${printable(entry)}`));
  };
  section(
    'Skipped files:',
    report.skipped.map((file) => `${file.path}: ${file.reason}${file.detail ? ` (${file.detail})` : ''}`),
  );
  section('Warnings:', [...report.warnings]);
  section(
    'Stale baseline entries (no longer found):',
    (report.staleBaseline ?? []).map((entry) => [entry.fingerprint, entry.ruleId, entry.path].filter(Boolean).join('  ')),
  );
  return lines;
}

function styled(colors: Colors, line: SummaryLine): string {
  return line.style === 'heading' ? colors.bold(line.text) : line.style === 'active' ? colors.red(line.text) : line.text;
}

/** Human output in the style of eslint's stylish and gitleaks: findings by file, then a summary. */
export const textReporter: Reporter = (report, options) => {
  const colors = pc.createColors(options.color);
  const listed = sortFindings(options.includeExamples ? [...report.findings, ...report.examples] : report.findings);
  const lines = formatRows(
    listed.map((finding) => toRow(finding, options)),
    colors,
  );
  if (!options.quiet) {
    if (lines.length > 0) lines.push('');
    lines.push(headline(report, colors));
    const extra = counts(report, options);
    if (extra) lines.push(colors.dim(extra));
    // An audit: each owned key once, however many repositories hold it, active keys first.
    if (report.repositories !== undefined) {
      const owned = ownedKeysSummary(report);
      if (owned.length > 0) lines.push('', ...owned.map((line) => styled(colors, line)));
    }
  }
  if (options.verbose) for (const line of details(report, colors)) lines.push(line);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
};

/** The summary line and its counts, uncolored, on one line: what the CLI prints on stderr when the report goes to a file. */
export function summaryText(report: Report, options: ReportOptions): string {
  const colors = pc.createColors(false);
  const extra = counts(report, options);
  return extra ? `${headline(report, colors)}; ${extra}` : headline(report, colors);
}
