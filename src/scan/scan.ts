import type { Source } from '../core/types.js';
import { availableParallelism } from 'node:os';
import type { ScanDetectOptions } from './detect-options.js';
import { discover, type DiscoveredFile, type DiscoverOptions } from './discover.js';
import { workerScript, WorkerPool } from './pool.js';
import { startGitPrefilter, type CleanFiles } from './git-prefilter.js';
import { processFile, scanSource } from './process-file.js';
import { statFileSize } from './read.js';
import type { ScanEvent, ScanStream } from './report-builder.js';
import type { BatchResult } from './worker.js';

export interface FileScanOptions extends DiscoverOptions {
  paths: readonly string[];
  maxFileSize: number;
  detect: ScanDetectOptions;
  /** Scanning threads, the main thread among them (0 or 1: the main thread only). Default: the CPU count, at most 8. */
  threads?: number;
  /**
   * Let one `git grep` per directory argument pass over the files that hold no anchor (see
   * git-prefilter.ts). Reports are the same either way. Default: off (KEYWARDEN_GIT_PREFILTER=1 turns
   * it on): measured on 2 cores it cost 6-11% more CPU than the Node path (bench/RESULTS.md), as git
   * reads every file again and the files it cannot pass over are the ones that cost Node most.
   */
  gitPrefilter?: boolean;
}

/**
 * Worker threads pay for themselves only on large trees: each starts its own V8 isolate (~80 ms
 * here) and warms up its own JIT, so on two cores a 772-file, 10 MB tree scans in ~260 ms on the
 * main thread and ~350 ms with two workers, and trees of 2,234 and 2,739 files (22 and 30 MB) in
 * 0.85-0.90x the time on the main thread alone; at 4,200 files (74 MB) it is even (bench/RESULTS.md).
 * The walk looks this far ahead before choosing: a tree that ends sooner is scanned on the main
 * thread...
 */
const LOOKAHEAD_FILES = 4000;
/** ...unless its files turn out to be large: past this many bytes, the rest goes to workers. */
const IN_THREAD_BYTES = 32 * 1024 * 1024;
const BATCH_FILES = 32;

function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Scans files and directories from disk. A small tree is read and scanned on the main thread;
 * a large one in batches on worker threads while the main thread keeps walking, and scans a batch
 * itself whenever every worker already holds its next one (`threads` counts it). Findings are
 * sorted by path and position when the report is built, whatever the order of work.
 */
export function scanFiles(options: FileScanOptions): ScanStream {
  return { root: options.cwd, events: fileEvents(options), sortByPosition: true };
}

async function* fileEvents(options: FileScanOptions): AsyncGenerator<ScanEvent> {
  const threads = options.threads ?? defaultThreads();
  // The main thread is one of the scanning threads: it scans a batch itself whenever every worker
  // already has its next one, so a worker's start-up (~80 ms) is not time the scan waits.
  const workers = threads - 1;
  const script = workers > 0 ? workerScript() : undefined;
  /** Batches on the workers; a failed one stays here and rejects the Promise.all at the end. */
  const running = new Set<Promise<BatchResult>>();
  /** Batches whose results came back, in any order (the report sorts findings). */
  const finished: BatchResult[] = [];
  let pool: WorkerPool | undefined;
  let batch: DiscoveredFile[] = [];
  /** Events the helpers below produce, yielded after each step: at most one batch's results. */
  const out: ScanEvent[] = [];
  let bytesScanned = 0;
  const emit = (event: ScanEvent) => {
    if (event.kind !== 'skipped') bytesScanned += event.bytes + (event.kind === 'scanned' ? (event.archive?.memberBytes ?? 0) : 0);
    out.push(event);
  };

  const recordFinished = () => {
    for (const done of finished.splice(0)) {
      emit({ kind: 'clean', files: done.cleanFiles, bytes: done.cleanBytes });
      for (const result of done.results) emit(result);
    }
  };
  const flushBatch = async () => {
    if (batch.length === 0) return;
    pool ??= new WorkerPool(workers, script!);
    // One file at a time while the workers are busy, and the rest of the batch to the first that
    // has room: a worker must never wait for the main thread to finish a whole batch.
    while (batch.length > 0 && pool.saturated()) {
      emit(processFile(batch.shift()!, options.maxFileSize, options.detect));
      // Lets the workers' answers in.
      await new Promise((resolve) => setImmediate(resolve));
    }
    recordFinished();
    if (batch.length === 0) return;
    const sent = pool.run({ files: batch, maxFileSize: options.maxFileSize, detect: options.detect });
    running.add(sent);
    sent.then(
      (done) => {
        finished.push(done);
        running.delete(sent);
      },
      () => undefined,
    );
    batch = [];
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
    emit(sized.kind === 'skipped' ? sized : { kind: 'clean', files: 1, bytes: sized.size });
    return true;
  };
  const nextFile = async (): Promise<DiscoveredFile | undefined> => {
    for (;;) {
      const next = await walk.next();
      if (next.done) return undefined;
      if (next.value.kind === 'skipped') emit(next.value);
      else if (!(await passedOver(next.value.file))) return next.value.file;
    }
  };
  try {
    const ahead: DiscoveredFile[] = [];
    let file: DiscoveredFile | undefined;
    while (ahead.length < LOOKAHEAD_FILES && (file = await nextFile())) ahead.push(file);
    let useWorkers = script !== undefined && ahead.length === LOOKAHEAD_FILES;
    const scan = async (file: DiscoveredFile) => {
      useWorkers ||= script !== undefined && bytesScanned > IN_THREAD_BYTES;
      if (!useWorkers) {
        emit(processFile(file, options.maxFileSize, options.detect));
        return;
      }
      batch.push(file);
      if (batch.length >= BATCH_FILES) await flushBatch();
    };
    yield* out.splice(0);
    for (const file of ahead) {
      await scan(file);
      yield* out.splice(0);
    }
    while ((file = await nextFile())) {
      await scan(file);
      yield* out.splice(0);
    }
    await flushBatch();
    await Promise.all(running);
    recordFinished();
    yield* out.splice(0);
  } finally {
    await walk.return?.(undefined);
    await pool?.close();
  }
}

/** Scans texts that are not files on disk (stdin). */
export function scanSources(
  sources: Iterable<Source>,
  root: string,
  detect: ScanDetectOptions,
): ScanStream & { events: Iterable<ScanEvent> } {
  return { root, events: sourceEvents(sources, detect) };
}

function* sourceEvents(sources: Iterable<Source>, detect: ScanDetectOptions): Generator<ScanEvent> {
  for (const source of sources) yield scanSource(source, detect);
}
