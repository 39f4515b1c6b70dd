import type { Finding, Report, SkippedFile } from '../core/types.js';
import { tool } from '../version.js';
import { MAX_FINDINGS_PER_RULE, type FileResult } from './process-file.js';
import { PAST_SCANNABLE_LIMIT } from './read.js';

/**
 * What every producer (files on disk, standard input, git's added lines) yields, one event per file
 * or archive: a file's findings or why it was skipped (`FileResult`, as worker threads send them), or
 * files scanned without a finding, counted in bulk.
 */
export type ScanEvent = FileResult | { kind: 'clean'; files: number; bytes: number };

/** A producer's output: the root its paths are relative to, and its events. */
export interface ScanStream {
  root: string;
  events: AsyncIterable<ScanEvent> | Iterable<ScanEvent>;
  /**
   * Sort findings by path and position, and skips and warnings by path, at the end (a file scan
   * finishes files out of order on its threads; git keeps its walk's order).
   */
  sortByPosition?: boolean;
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function byPosition(a: Finding, b: Finding): number {
  return byPath(a, b) || a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId);
}

export interface ScanProgress {
  filesScanned: number;
  bytesScanned: number;
  findings: number;
}

/** Builds the one Report of a scan from its events, whichever producer sent them. */
export class ReportBuilder {
  private readonly findings: Finding[] = [];
  private readonly examples: Finding[] = [];
  private readonly skipped: SkippedFile[] = [];
  /** Each warning with the path of the file it is about, so a sorted report can order them. */
  private readonly warnings: Array<{ path: string; text: string }> = [];
  private readonly started = Date.now();
  private filesScanned = 0;
  private bytesScanned = 0;
  private suppressed = 0;

  constructor(private readonly root: string) {}

  add(event: ScanEvent): void {
    if (event.kind === 'clean') {
      this.filesScanned += event.files;
      this.bytesScanned += event.bytes;
      return;
    }
    if (event.kind === 'skipped') {
      this.addSkipped(event.skipped);
      return;
    }
    for (const [ruleId, count] of Object.entries(event.omitted ?? {})) {
      this.warnings.push({
        path: event.path,
        text: `${event.path}: ${count} more ${ruleId} findings in this file, not listed (the first ${MAX_FINDINGS_PER_RULE} per rule per file are kept)`,
      });
    }
    // Loops, not push(...): a file with 200k+ findings would overflow the stack as spread arguments.
    for (const finding of event.findings) this.findings.push(finding);
    for (const example of event.examples) this.examples.push(example);
    this.suppressed += event.suppressed;
    this.filesScanned++;
    this.bytesScanned += event.bytes;
    if (event.archive) {
      // An archive's text members count as files scanned, with their inflated bytes.
      this.filesScanned += event.archive.members;
      this.bytesScanned += event.archive.memberBytes;
      for (const skipped of event.archive.skipped) this.addSkipped(skipped);
      for (const warning of event.archive.warnings) this.warnings.push({ path: event.path, text: warning });
    }
  }

  private addSkipped(skipped: SkippedFile): void {
    this.skipped.push(skipped);
    const { path } = skipped;
    if (skipped.reason === 'unreadable') this.warnings.push({ path, text: `cannot read ${path}: ${skipped.detail ?? 'unknown error'}` });
    if (skipped.reason === 'too-large' && skipped.detail?.endsWith(PAST_SCANNABLE_LIMIT))
      this.warnings.push({ path, text: `not scanned: ${path}: ${skipped.detail}` });
  }

  progress(): ScanProgress {
    return { filesScanned: this.filesScanned, bytesScanned: this.bytesScanned, findings: this.findings.length };
  }

  build(sortByPosition = false): Report {
    if (sortByPosition) {
      this.findings.sort(byPosition);
      this.examples.sort(byPosition);
      // Stable sorts: what one file produced keeps its own order.
      this.skipped.sort(byPath);
      this.warnings.sort(byPath);
    }
    return {
      tool,
      root: this.root,
      findings: this.findings,
      examples: this.examples,
      skipped: this.skipped,
      warnings: this.warnings.map((warning) => warning.text),
      stats: {
        filesScanned: this.filesScanned,
        bytesScanned: this.bytesScanned,
        filesSkipped: this.skipped.length,
        examples: this.examples.length,
        suppressed: this.suppressed,
        baselined: 0,
        durationMs: Date.now() - this.started,
      },
    };
  }
}

/** Drains a producer into its Report; `onProgress` after each event. */
export async function buildReport(stream: ScanStream, onProgress?: (progress: ScanProgress) => void): Promise<Report> {
  const builder = new ReportBuilder(stream.root);
  for await (const event of stream.events) {
    builder.add(event);
    onProgress?.(builder.progress());
  }
  return builder.build(stream.sortByPosition);
}
