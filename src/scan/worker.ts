import { parentPort } from 'node:worker_threads';
import type { DetectOptions } from '../core/detect.js';
import type { DiscoveredFile } from './discover.js';
import { processFile, type FileResult } from './process-file.js';

export interface WorkerRequest {
  id: number;
  files: DiscoveredFile[];
  maxFileSize: number;
  detect: DetectOptions;
}

export interface WorkerResponse {
  id: number;
  results: FileResult[];
}

// Each worker reads and scans whole batches: file I/O and detection both leave the main thread,
// which only walks directories and merges results.
parentPort?.on('message', (request: WorkerRequest) => {
  const results = request.files.map((file) => processFile(file, request.maxFileSize, request.detect));
  parentPort!.postMessage({ id: request.id, results } satisfies WorkerResponse);
});
