import { scanText, type DetectOptions } from '../core/detect.js';
import type { Finding, Report, SkippedFile, Source } from '../core/types.js';
import { tool } from '../version.js';
import { discover, type DiscoverOptions } from './discover.js';
import { readSource } from './read.js';

export interface ScanProgress {
  filesScanned: number;
  bytesScanned: number;
  findings: number;
}

export interface FileScanOptions extends DiscoverOptions {
  paths: readonly string[];
  maxFileSize: number;
  detect: DetectOptions;
  /** Files read at once; reading overlaps with detection on the main thread. */
  concurrency?: number;
  onProgress?: (progress: ScanProgress) => void;
}

/** Accumulates per-source results into a Report; shared by file, stdin and git scans. */
export class ReportBuilder {
  private readonly findings: Finding[] = [];
  private readonly examples: Finding[] = [];
  private readonly skipped: SkippedFile[] = [];
  private readonly warnings: string[] = [];
  private readonly started = Date.now();
  private filesScanned = 0;
  private bytesScanned = 0;
  private suppressed = 0;

  constructor(
    private readonly root: string,
    private readonly detectOptions: DetectOptions,
  ) {}

  addSource(source: Source, bytes = Buffer.byteLength(source.text)): void {
    const result = scanText(source, this.detectOptions);
    this.findings.push(...result.findings);
    this.examples.push(...result.examples);
    this.suppressed += result.suppressed;
    this.filesScanned++;
    this.bytesScanned += bytes;
  }

  addSkipped(skipped: SkippedFile): void {
    this.skipped.push(skipped);
    if (skipped.reason === 'unreadable') this.warnings.push(`cannot read ${skipped.path}: ${skipped.detail ?? 'unknown error'}`);
  }

  addWarning(warning: string): void {
    this.warnings.push(warning);
  }

  progress(): ScanProgress {
    return { filesScanned: this.filesScanned, bytesScanned: this.bytesScanned, findings: this.findings.length };
  }

  build(): Report {
    return {
      tool,
      root: this.root,
      findings: this.findings,
      examples: this.examples,
      skipped: this.skipped,
      warnings: this.warnings,
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

/** Scans files and directories from disk. Findings come out in discovery order (sorted paths). */
export async function scanFiles(options: FileScanOptions): Promise<Report> {
  const builder = new ReportBuilder(options.cwd, options.detect);
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const pending: Array<Promise<Awaited<ReturnType<typeof readSource>>>> = [];
  const drainOne = async () => {
    const result = await pending.shift()!;
    if (result.kind === 'skipped') builder.addSkipped(result.skipped);
    else builder.addSource(result.source, result.bytes);
    options.onProgress?.(builder.progress());
  };
  for await (const event of discover(options.paths, options)) {
    if (event.kind === 'skipped') {
      builder.addSkipped(event.skipped);
      continue;
    }
    pending.push(readSource(event.file, options.maxFileSize));
    if (pending.length >= concurrency) await drainOne();
  }
  while (pending.length > 0) await drainOne();
  return builder.build();
}

/** Scans one text that is not a file on disk (stdin). */
export function scanSources(sources: Iterable<Source>, root: string, detect: DetectOptions): Report {
  const builder = new ReportBuilder(root, detect);
  for (const source of sources) builder.addSource(source);
  return builder.build();
}
