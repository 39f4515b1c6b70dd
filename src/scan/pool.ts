import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchResult, WorkerRequest } from './worker.js';

/** The compiled worker beside this module; absent when running from TypeScript sources (tests). */
export function workerScript(): URL | undefined {
  const url = new URL('./worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : undefined;
}

interface Job {
  request: WorkerRequest;
  resolve: (batch: BatchResult) => void;
  reject: (error: Error) => void;
}

/**
 * Batches a worker holds at once: while it scans one, the next is already in its message queue,
 * so it never sits idle waiting for the main thread to notice it finished and send more.
 */
const JOBS_PER_WORKER = 2;

/** A fixed set of worker_threads fed from one queue of file batches. */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  /** Each worker's jobs in the order it was sent them: a worker answers its messages in order. */
  private readonly assigned = new Map<Worker, Job[]>();
  private readonly queue: Job[] = [];
  private failure: Error | undefined;

  constructor(size: number, script: URL) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script);
      worker.on('message', (batch: BatchResult) => this.finish(worker, batch));
      worker.on('error', (error) => this.fail(worker, error));
      worker.on('exit', (code) => {
        if (this.assigned.get(worker)!.length > 0) this.fail(worker, new Error(`scan worker exited with code ${code}`));
      });
      worker.unref();
      this.workers.push(worker);
      this.assigned.set(worker, []);
    }
  }

  run(request: WorkerRequest): Promise<BatchResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  /** Every worker already holds its next batch: one more would only wait in the queue. */
  saturated(): boolean {
    return this.queue.length > 0 || this.workers.every((worker) => this.assigned.get(worker)!.length >= JOBS_PER_WORKER);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      // The least loaded worker; none with room means every worker already has its next batch.
      const worker = this.workers.reduce((best, candidate) =>
        this.assigned.get(candidate)!.length < this.assigned.get(best)!.length ? candidate : best,
      );
      const jobs = this.assigned.get(worker)!;
      if (jobs.length >= JOBS_PER_WORKER) return;
      const job = this.queue.shift()!;
      jobs.push(job);
      // A worker with work keeps the process alive; an idle one must not.
      if (jobs.length === 1) worker.ref();
      worker.postMessage(job.request);
    }
  }

  private finish(worker: Worker, batch: BatchResult): void {
    const jobs = this.assigned.get(worker)!;
    const job = jobs.shift();
    if (jobs.length === 0) worker.unref();
    job?.resolve(batch);
    this.dispatch();
  }

  private fail(worker: Worker, error: Error): void {
    this.failure = error;
    for (const job of this.assigned.get(worker)!.splice(0)) job.reject(error);
    for (const queued of this.queue.splice(0)) queued.reject(error);
  }
}
