import type { Finding, Level } from '../core/types.js';
import { buildMessage, findingLevel, ruleTitle, sortFindings } from './message.js';
import { printable } from './printable.js';
import type { Reporter, ReportOptions } from './types.js';

/**
 * GitHub Actions workflow commands (docs/aws-credentials.md, "GitHub Actions annotations"). The runner
 * unescapes %25, %0D and %0A in a command's message, and also %3A and %2C in its properties,
 * where `:` ends the property list and `,` separates properties.
 */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type AnnotationCommand = 'error' | 'warning' | 'notice';

export interface AnnotationProperties {
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

const PROPERTY_ORDER: readonly (keyof AnnotationProperties)[] = ['file', 'line', 'endLine', 'col', 'endColumn', 'title'];

/**
 * `::command key=value,...::message`, every part escaped. Control and bidi characters are shown
 * as `\x1b` / `\u202E` (printable) before the runner's escaping: the runner would turn %1B back
 * into a raw ESC in the log, and GitHub's log view renders ANSI sequences. A file name holding
 * such characters therefore no longer names the file, and its annotation shows unattached.
 */
export function formatCommand(command: AnnotationCommand, properties: AnnotationProperties, message: string): string {
  const props = PROPERTY_ORDER.filter((key) => properties[key] !== undefined)
    .map((key) => `${key}=${escapeProperty(printable(String(properties[key])))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(printable(message))}`;
}

export function annotationCommand(level: Level): AnnotationCommand {
  return level === 'note' ? 'notice' : level;
}

export function findingAnnotation(finding: Finding, options: Pick<ReportOptions, 'showSecrets'>): string {
  // Another repository's file (scan --repos): a file= annotation would point into the workflow's own repository.
  if (finding.repository !== undefined)
    return formatCommand(
      annotationCommand(findingLevel(finding)),
      { title: `${ruleTitle(finding.ruleId)} (${finding.ruleId})` },
      `${finding.repository}: ${finding.path}:${finding.line}:${finding.column}: ${buildMessage(finding, options.showSecrets)}`,
    );
  return formatCommand(
    annotationCommand(findingLevel(finding)),
    // Inside an archive: annotate the archive file (the member's lines are not its lines) and name the member.
    finding.archive
      ? { file: finding.archive.path, title: `${ruleTitle(finding.ruleId)} (${finding.ruleId})` }
      : {
          file: finding.path,
          line: finding.line,
          endLine: finding.endLine,
          col: finding.column,
          endColumn: finding.endColumn,
          title: `${ruleTitle(finding.ruleId)} (${finding.ruleId})`,
        },
    buildMessage(finding, options.showSecrets) +
      (finding.archive ? ` (in archive member ${finding.archive.member}, line ${finding.line})` : ''),
  );
}

/** One annotation per finding (examples as notices, only when asked for). */
export const githubReporter: Reporter = (report, options) => {
  const listed = sortFindings(options.includeExamples ? [...report.findings, ...report.examples] : report.findings);
  return listed.map((finding) => `${findingAnnotation(finding, options)}\n`).join('');
};
