import { catalog, type RuleDefinition } from '../../rules/index.js';
import { scanText } from '../core/detect.js';
import type { Finding, Report, SkippedFile, Source } from '../core/types.js';
import { tool } from '../version.js';
import { availableParallelism } from 'node:os';
import type { ScanDetectOptions } from './detect-options.js';
import { discover, type DiscoveredFile, type DiscoverOptions } from './discover.js';
import { workerScript, WorkerPool } from './pool.js';
import { startGitPrefilter, type CleanFiles } from './git-prefilter.js';
import { MAX_FINDINGS_PER_RULE, processFile, type FileResult } from './process-file.js';
import { PAST_SCANNABLE_LIMIT, statFileSize } from './read.js';
import type { BatchResult } from './worker.js';

export interface ScanProgress {
  filesScanned: number;
  bytesScanned: number;
  findings: number;
}

export interface FileScanOptions extends DiscoverOptions {
  paths: readonly string[];
  maxFileSize: number;
  detect: ScanDetectOptions;
  /** Worker threads (0: scan on the main thread only). Default: the CPU count, at most 8. */
  threads?: number;
  onProgress?: (progress: ScanProgress) => void;
  /**
   * Let one `git grep` per directory argument pass over the files that hold no anchor (see
   * git-prefilter.ts). Reports are the same either way. Default: off (KEYWARDEN_GIT_PREFILTER=1 turns
   * it on): measured on 2 cores it cost 6-11% more CPU than the Node path (bench/RESULTS.md), as git
   * reads every file again and the files it cannot pass over are the ones that cost Node most.
   */
  gitPrefilter?: boolean;
}

function byPosition(a: Finding, b: Finding): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId);
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
    private readonly detectOptions: ScanDetectOptions,
  ) {}

  /** `anchored`: the rules a byte prefilter already found (see scanText). */
  addSource(source: Source, bytes = Buffer.byteLength(source.text), anchored?: ReadonlySet<RuleDefinition>): void {
    const result = scanText(catalog, source, { maxFindingsPerRule: MAX_FINDINGS_PER_RULE, ...this.detectOptions }, anchored);
    this.addResult({ kind: 'scanned', path: source.path, bytes, ...result });
  }

  addResult(result: FileResult): void {
    if (result.kind === 'skipped') {
      this.addSkipped(result.skipped);
      return;
    }
    for (const [ruleId, count] of Object.entries(result.omitted ?? {})) {
      this.warnings.push(
        `${result.path}: ${count} more ${ruleId} findings in this file, not listed (the first ${MAX_FINDINGS_PER_RULE} per rule per file are kept)`,
      );
    }
    // Loops, not push(...): a file with 200k+ findings would overflow the stack as spread arguments.
    for (const finding of result.findings) this.findings.push(finding);
    for (const example of result.examples) this.examples.push(example);
    this.suppressed += result.suppressed;
    this.filesScanned++;
    this.bytesScanned += result.bytes;
    if (result.archive) {
      // An archive's text members count as files scanned, with their inflated bytes.
      this.filesScanned += result.archive.members;
      this.bytesScanned += result.archive.memberBytes;
      for (const skipped of result.archive.skipped) this.addSkipped(skipped);
      for (const warning of result.archive.warnings) this.warnings.push(warning);
    }
  }

  /** Files scanned without a finding, counted in bulk (worker batches report them so). */
  addClean(files: number, bytes: number): void {
    this.filesScanned += files;
    this.bytesScanned += bytes;
  }

  addSkipped(skipped: SkippedFile): void {
    this.skipped.push(skipped);
    if (skipped.reason === 'unreadable') this.warnings.push(`cannot read ${skipped.path}: ${skipped.detail ?? 'unknown error'}`);
    if (skipped.reason === 'too-large' && skipped.detail?.endsWith(PAST_SCANNABLE_LIMIT))
      this.warnings.push(`not scanned: ${skipped.path}: ${skipped.detail}`);
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

/**
 * Worker threads pay for themselves only on large trees: each starts its own V8 isolate (~80 ms
 * here) and warms up its own JIT, so on two cores a 772-file, 10 MB tree scans in ~260 ms on the
 * main thread and ~350 ms with two workers (bench/RESULTS.md). The walk looks this far ahead
 * before choosing: a tree that ends sooner is scanned on the main thread...
 */
const LOOKAHEAD_FILES = 2000;
/** ...unless its files turn out to be large: past this many bytes, the rest goes to workers. */
const IN_THREAD_BYTES = 32 * 1024 * 1024;
const BATCH_FILES = 32;

function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Scans files and directories from disk. A small tree is read and scanned on the main thread;
 * a large one in batches on worker threads while the main thread keeps walking. Findings come out
 * sorted by path and position whatever the order of work.
 */
export async function scanFiles(options: FileScanOptions): Promise<Report> {
  const builder = new ReportBuilder(options.cwd, options.detect);
  const threads = options.threads ?? defaultThreads();
  const script = threads > 0 ? workerScript() : undefined;
  const batches: Array<Promise<BatchResult>> = [];
  let pool: WorkerPool | undefined;
  let batch: DiscoveredFile[] = [];

  const recordBatch = (batch: BatchResult) => {
    builder.addClean(batch.cleanFiles, batch.cleanBytes);
    for (const result of batch.results) builder.addResult(result);
    options.onProgress?.(builder.progress());
  };
  const flushBatch = async () => {
    if (batch.length === 0) return;
    pool ??= new WorkerPool(threads, script!);
    batches.push(pool.run({ files: batch, maxFileSize: options.maxFileSize, detect: options.detect }));
    batch = [];
    // Bounded work in flight keeps memory flat however large the tree.
    if (batches.length >= threads * 4) recordBatch(await batches.shift()!);
  };

  const walk = discover(options.paths, options)[Symbol.asyncIterator]();
  const usePrefilter = options.gitPrefilter ?? process.env.KEYWARDEN_GIT_PREFILTER === '1';
  const prefilters = new Map<string, Promise<CleanFiles | undefined>>();
  /** A file git found clean costs a stat: its size for the totals, and the same skips a read would give. */
  const passedOver = async (file: DiscoveredFile): Promise<boolean> => {
    if (!usePrefilter || !file.underRoot) return false;
    const { root, relative } = file.underRoot;
    let clean = prefilters.get(root);
    if (!clean) prefilters.set(root, (clean = startGitPrefilter(root)));
    if (!(await clean)?.has(relative)) return false;
    const sized = statFileSize(file, options.maxFileSize);
    if (sized.kind === 'skipped') builder.addSkipped(sized.skipped);
    else builder.addClean(1, sized.size);
    return true;
  };
  const nextFile = async (): Promise<DiscoveredFile | undefined> => {
    for (;;) {
      const next = await walk.next();
      if (next.done) return undefined;
      if (next.value.kind === 'skipped') builder.addSkipped(next.value.skipped);
      else if (!(await passedOver(next.value.file))) return next.value.file;
    }
  };
  try {
    const ahead: DiscoveredFile[] = [];
    let file: DiscoveredFile | undefined;
    while (ahead.length < LOOKAHEAD_FILES && (file = await nextFile())) ahead.push(file);
    let useWorkers = script !== undefined && ahead.length === LOOKAHEAD_FILES;
    const scan = async (file: DiscoveredFile) => {
      useWorkers ||= script !== undefined && builder.progress().bytesScanned > IN_THREAD_BYTES;
      if (!useWorkers) {
        builder.addResult(processFile(file, options.maxFileSize, options.detect));
        options.onProgress?.(builder.progress());
        return;
      }
      batch.push(file);
      if (batch.length >= BATCH_FILES) await flushBatch();
    };
    for (const file of ahead) await scan(file);
    while ((file = await nextFile())) await scan(file);
    await flushBatch();
    for (const pending of batches) recordBatch(await pending);
  } finally {
    await walk.return?.(undefined);
    await pool?.close();
  }
  const report = builder.build();
  report.findings.sort(byPosition);
  report.examples.sort(byPosition);
  return report;
}

/** Scans one text that is not a file on disk (stdin). */
export function scanSources(sources: Iterable<Source>, root: string, detect: ScanDetectOptions): Report {
  const builder = new ReportBuilder(root, detect);
  for (const source of sources) builder.addSource(source);
  return builder.build();
}
