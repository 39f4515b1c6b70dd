import { parentPort } from 'node:worker_threads';
import type { ScanDetectOptions } from './detect-options.js';
import type { DiscoveredFile } from './discover.js';
import { processFile, type FileResult } from './process-file.js';

export interface WorkerRequest {
  files: DiscoveredFile[];
  maxFileSize: number;
  detect: ScanDetectOptions;
}

/** A batch's outcome: files with findings or skipped, one by one; clean files only counted. */
export interface BatchResult {
  results: FileResult[];
  cleanFiles: number;
  cleanBytes: number;
}

/** Most files are clean: counting them instead of sending a result each keeps messages small. */
export function scanBatch(request: WorkerRequest): BatchResult {
  const batch: BatchResult = { results: [], cleanFiles: 0, cleanBytes: 0 };
  for (const file of request.files) {
    const result = processFile(file, request.maxFileSize, request.detect);
    if (
      result.kind === 'scanned' &&
      result.findings.length === 0 &&
      result.examples.length === 0 &&
      result.suppressed === 0 &&
      !result.archive
    ) {
      batch.cleanFiles++;
      batch.cleanBytes += result.bytes;
    } else {
      batch.results.push(result);
    }
  }
  return batch;
}

// Each worker reads and scans whole batches: file I/O and detection both leave the main thread,
// which only walks directories and merges results.
parentPort?.on('message', (request: WorkerRequest) => {
  // Answers come back in the order requests were sent: the pool matches them up by that order.
  parentPort!.postMessage(scanBatch(request) satisfies BatchResult);
});
