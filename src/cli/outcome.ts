import type { Report } from '../core/types.js';
import { plural, printable, summaryText } from '../report/text.js';
import { EXIT } from '../run/exit.js';
import type { RunOptions } from '../run/options.js';

/** At most this many characters of a path in a one-line message: the start and end say where it is. */
const MAX_SHOWN_PATH = 120;

/** Text longer than `max` cut in the middle, saying how much was cut: the start and end say where a path is. */
export function elide(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}…[${(text.length - 2 * half).toLocaleString('en-US')} characters]…${text.slice(-half)}`;
}

/** A path made printable and cut down for a one-line message (a path may be thousands of bytes). */
function shortPath(value: string): string {
  return elide(printable(value), MAX_SHOWN_PATH);
}

/**
 * A scan that cannot vouch for what it was asked to check: it exits 2 (with its report still
 * written), never 0, so a CI job does not pass on a scan that read nothing. Undefined when the
 * scan is trustworthy.
 */
export function scanProblem(report: Report, options: Pick<RunOptions, 'source'>): string | undefined {
  // ENAMETOOLONG: the operating system refuses the path itself (Linux's PATH_MAX is 4,096 bytes),
  // so whatever lies below it cannot be opened by name at all.
  const tooLong = report.skipped.filter((skipped) => skipped.reason === 'unreadable' && /ENAMETOOLONG/.test(skipped.detail ?? ''));
  if (tooLong.length > 0) {
    const first = tooLong[0]!.path;
    return `${plural(tooLong.length, 'path')} longer than the operating system allows (ENAMETOOLONG): nothing in ${tooLong.length === 1 ? 'it' : 'them'} was scanned: ${shortPath(first)}; shorten or --exclude ${tooLong.length === 1 ? 'it' : 'them'}`;
  }
  // Git modes legitimately scan nothing (nothing staged, an empty range); standard input is one "file".
  if (options.source.kind !== 'files') return undefined;
  // A binary or over-size file was looked at and judged, as in any scan (and listed as skipped):
  // `keywarden scan logo.png` from a lint-staged hook is not a mistake.
  const judged = report.skipped.filter((skipped) => skipped.reason === 'binary' || skipped.reason === 'too-large').length;
  if (report.stats.filesScanned > 0 || judged > 0) return undefined;
  const unread = report.skipped.length;
  if (unread > 0)
    return `no file was scanned: ${unread === 1 ? 'the only file found was' : `all ${plural(unread, 'file')} found were`} unreadable (--verbose lists why)`;
  return 'no file was scanned: the paths given hold no files, or all of them are ignored (.gitignore, .keywardenignore, --include, --exclude; --no-gitignore scans ignored files)';
}

/** Why the scan exits with `exitCode`, for the summary line a CI log shows when the report goes to a file. */
function exitReason(report: Report, settings: Pick<RunOptions, 'failOn'>, exitCode: number): string {
  if (exitCode === EXIT.findings) return `exit 1: findings at or above --fail-on ${settings.failOn}`;
  if (report.findings.length === 0) return 'exit 0: no findings';
  return settings.failOn === 'none' ? 'exit 0: --fail-on none' : `exit 0: no finding at or above --fail-on ${settings.failOn}`;
}

/** One line for stderr when `-o FILE` takes the report: counts, where the report went, and the exit code with its reason. */
export function outcomeLine(report: Report, options: Pick<RunOptions, 'failOn' | 'output'>, exitCode: number): string {
  const summary = summaryText(report, { showSecrets: false, color: false, includeExamples: options.output.includeExamples });
  return `${summary}; report written to ${shortPath(options.output.target ?? '')}; ${exitReason(report, options, exitCode)}`;
}
