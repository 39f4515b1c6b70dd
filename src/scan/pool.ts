import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileResult } from './process-file.js';
import type { WorkerRequest, WorkerResponse } from './worker.js';

/** The compiled worker beside this module; absent when running from TypeScript sources (tests). */
export function workerScript(): URL | undefined {
  const url = new URL('./worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : undefined;
}

interface Job {
  request: WorkerRequest;
  resolve: (results: FileResult[]) => void;
  reject: (error: Error) => void;
}

/** A fixed set of worker_threads fed from one queue of file batches. */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private nextId = 0;
  private failure: Error | undefined;

  constructor(size: number, script: URL) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script);
      worker.on('message', (response: WorkerResponse) => this.finish(worker, response.results));
      worker.on('error', (error) => this.fail(worker, error));
      worker.on('exit', (code) => {
        if (this.busy.has(worker)) this.fail(worker, new Error(`scan worker exited with code ${code}`));
      });
      worker.unref();
      this.idle.push(worker);
    }
  }

  run(request: Omit<WorkerRequest, 'id'>): Promise<FileResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { ...request, id: this.nextId++ }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.idle, ...this.busy.keys()].map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.ref();
      worker.postMessage(job.request);
    }
  }

  private finish(worker: Worker, results: FileResult[]): void {
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    worker.unref();
    this.idle.push(worker);
    job?.resolve(results);
    this.dispatch();
  }

  private fail(worker: Worker, error: Error): void {
    this.failure = error;
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    job?.reject(error);
    for (const queued of this.queue.splice(0)) queued.reject(error);
  }
}
