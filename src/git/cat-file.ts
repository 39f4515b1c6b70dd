import { spawnBatch, spawnBatchInWorker, type BatchProcess } from './batch-process.js';
import type { GitContext } from './run.js';

export type BlobResult = { kind: 'blob'; data: Buffer } | { kind: 'too-large'; size: number } | { kind: 'missing' };

interface Pending {
  maxSize: number;
  resolve(result: BlobResult): void;
  reject(error: Error): void;
}

export interface BlobReaderOptions {
  /** Told of every object asked for (tests count reads with it). */
  onRequest?: (id: string) => void;
  /**
   * Blob bytes handed out and not yet given back with release(): above this, cat-file's output is
   * paused (the pipe fills and git waits), so reading ahead never holds more than this plus one
   * blob. Unlimited by default, for callers that use each answer at once.
   */
  maxHeldBytes?: number;
  /**
   * Read git's output on a worker thread (see spawnBatchInWorker), so it flows while this thread
   * scans: for a reader that reads ahead a long stream of blobs (a history).
   */
  readInWorker?: boolean;
}

/** Output a reader worker takes in ahead of this thread (on top of the blobs held here, maxHeldBytes). */
const WORKER_READ_AHEAD_BYTES = 4 * 1024 * 1024;

/**
 * One `git cat-file --batch` process serving many blob reads, so a commit of many files costs
 * one process instead of one `git show` each. Answers come back in request order. Requests made
 * in the same turn of the event loop go to git in one write.
 */
export class BlobReader {
  private readonly git: BatchProcess;
  private readonly done: Promise<void>;
  private readonly pending: Pending[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the object body being received (plus its trailing newline); undefined while awaiting a header. */
  private bodyLeft: number | undefined;
  private bodySize = 0;
  private discarding = false;
  private failure: Error | undefined;
  private unsent = '';
  private held = 0;
  private readonly maxHeld: number;

  constructor(
    context: GitContext,
    private readonly options: BlobReaderOptions = {},
  ) {
    this.maxHeld = options.maxHeldBytes ?? Number.POSITIVE_INFINITY;
    const args = ['cat-file', '--batch'];
    const receive = (chunk: Buffer) => this.receive(chunk);
    this.git =
      (options.readInWorker ? spawnBatchInWorker(context, args, receive, Math.min(this.maxHeld, WORKER_READ_AHEAD_BYTES)) : undefined) ??
      spawnBatch(context, args, receive);
    const done = this.git.done;
    this.done = done;
    done.then(
      () => this.failAll(new Error('git cat-file ended early')),
      (error: Error) => this.failAll(error),
    );
  }

  /** Whether git's output is read on a worker thread (readInWorker, when the worker script is there). */
  get readsInWorker(): boolean {
    return this.git.inWorker;
  }

  read(blob: string, maxSize = Number.POSITIVE_INFINITY): Promise<BlobResult> {
    if (this.failure) return Promise.reject(this.failure);
    this.options.onRequest?.(blob);
    return new Promise((resolve, reject) => {
      this.pending.push({ maxSize, resolve, reject });
      if (this.unsent === '') setImmediate(() => this.flush());
      this.unsent += `${blob}\n`;
    });
  }

  /** Gives back a blob's bytes (see maxHeldBytes); cat-file's output resumes once under the limit. */
  release(result: BlobResult): void {
    if (result.kind !== 'blob') return;
    this.held -= result.data.length;
    if (this.held <= this.maxHeld && this.git.paused) this.git.resume();
  }

  /** Sends the requests made so far now, rather than at the end of this turn of the event loop. */
  send(): void {
    this.flush();
  }

  private flush(): void {
    if (this.unsent === '' || this.failure) return;
    this.git.write(this.unsent);
    this.unsent = '';
  }

  async close(): Promise<void> {
    this.flush();
    this.git.end();
    // Answers nobody will release must not keep the pipe paused.
    this.git.resume();
    await this.done.catch(() => undefined);
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.splice(0)) waiting.reject(this.failure);
  }

  private take(length: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const head = all.subarray(0, length);
    const rest = all.subarray(length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return head;
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.bodyLeft === undefined) {
        const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
        this.chunks = [all];
        const newline = all.indexOf(10);
        if (newline < 0) return;
        const header = this.take(newline + 1)
          .toString('utf8')
          .trimEnd();
        const waiting = this.pending[0];
        // `<oid> missing` (or ambiguous): no body follows.
        const parts = header.split(' ');
        if (parts.length !== 3) {
          this.pending.shift();
          waiting?.resolve({ kind: 'missing' });
          continue;
        }
        this.bodySize = Number(parts[2]);
        this.bodyLeft = this.bodySize + 1;
        this.discarding = !waiting || this.bodySize > waiting.maxSize;
        continue;
      }
      if (this.discarding) {
        // Too large to keep: let it stream past without holding it in memory.
        const dropped = Math.min(this.bodyLeft, this.buffered);
        this.take(dropped);
        this.bodyLeft -= dropped;
        if (this.bodyLeft > 0) return;
        this.bodyLeft = undefined;
        this.pending.shift()?.resolve({ kind: 'too-large', size: this.bodySize });
        continue;
      }
      if (this.buffered < this.bodyLeft) return;
      const body = this.take(this.bodyLeft);
      this.bodyLeft = undefined;
      this.held += this.bodySize;
      if (this.held > this.maxHeld) this.git.pause();
      this.pending.shift()?.resolve({ kind: 'blob', data: body.subarray(0, this.bodySize) });
    }
  }
}
