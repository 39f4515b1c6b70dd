import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GitError, GitNotFoundError } from './errors.js';
import { spawnGit, type GitContext } from './run.js';

/**
 * A long-running git command fed requests on its standard input, whose output arrives in chunks
 * (`git cat-file --batch`). `pause` and `resume` hold its output back: the caller bounds what it
 * holds, and git then waits on the full pipe.
 */
export interface BatchProcess {
  write(text: string): void;
  end(): void;
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Whether a worker thread reads git's output (spawnBatchInWorker). */
  readonly inWorker: boolean;
  /** Settles when git exits: rejected with the GitError a user can act on. */
  readonly done: Promise<void>;
}

/** git run by this thread: its output is read whenever this thread's event loop turns. */
export function spawnBatch(context: GitContext, args: readonly string[], onData: (chunk: Buffer) => void): BatchProcess {
  const { child, done } = spawnGit(context, args);
  child.stdout.on('data', onData);
  // stdin errors (EPIPE when git dies) surface through `done`.
  child.stdin.on('error', () => undefined);
  return {
    write: (text) => child.stdin.write(text),
    end: () => child.stdin.end(),
    pause: () => child.stdout.pause(),
    resume: () => child.stdout.resume(),
    get paused() {
      return child.stdout.isPaused();
    },
    inWorker: false,
    done,
  };
}

/** Messages between spawnBatchInWorker and cat-file-worker.ts. */
export type ToBatchWorker =
  | { kind: 'write'; text: string }
  | { kind: 'end' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  /** Bytes of output the caller has taken in: the worker reads ahead at most `maxAhead` bytes past them. */
  | { kind: 'taken'; bytes: number };
export type FromBatchWorker =
  /** Output in the order read, several chunks a message: one message a chunk cost more than reading small blobs. */
  { kind: 'data'; buffers: ArrayBuffer[] } | { kind: 'exit'; ok: true } | { kind: 'exit'; ok: false; notFound: boolean; message: string };

export interface BatchWorkerData {
  context: GitContext;
  args: readonly string[];
  maxAhead: number;
}

/** The worker script beside this module, when keywarden runs as built JavaScript (not from its TypeScript sources). */
function batchWorkerScript(): URL | undefined {
  const url = new URL('./cat-file-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : undefined;
}

/** This thread tells the worker what it has taken in every this many bytes (at most a quarter of maxAhead). */
const TAKEN_REPORT_BYTES = 1024 * 1024;

/**
 * The same, with git's output read by a worker thread and handed over in chunks. A scan keeps its
 * thread busy for milliseconds per large blob; read from there, git stops as soon as the pipe
 * (64-208 KB) is full and the thread then waits for it to catch up, blob after blob. The worker
 * keeps reading while the scan runs, up to `maxAhead` bytes ahead. Undefined when the worker
 * script is not there (the library run from sources, a single-file bundle): spawnBatch then.
 */
export function spawnBatchInWorker(
  context: GitContext,
  args: readonly string[],
  onData: (chunk: Buffer) => void,
  maxAhead: number,
): BatchProcess | undefined {
  const script = batchWorkerScript();
  if (!script) return undefined;
  const data: BatchWorkerData = { context: { ...context, env: context.env ? { ...context.env } : undefined }, args, maxAhead };
  const worker = new Worker(script, { workerData: data });
  const post = (message: ToBatchWorker) => worker.postMessage(message);
  const reportEvery = Math.max(1, Math.min(TAKEN_REPORT_BYTES, Math.floor(maxAhead / 4)));
  let paused = false;
  let untold = 0;
  let settled = false;
  const done = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromBatchWorker) => {
      if (message.kind === 'data') {
        for (const buffer of message.buffers) {
          onData(Buffer.from(buffer));
          untold += buffer.byteLength;
        }
        if (untold >= reportEvery) {
          post({ kind: 'taken', bytes: untold });
          untold = 0;
        }
      } else if (message.ok) resolve();
      else reject(message.notFound ? new GitNotFoundError() : new GitError(message.message));
    });
    worker.on('error', (error) => reject(new GitError(`git ${args[0] ?? ''} failed: ${error.message}`)));
    worker.on('exit', () => reject(new GitError(`git ${args[0] ?? ''} ended early`)));
  });
  done.catch(() => undefined);
  // Once git has exited and every chunk was handed over, the worker has nothing left to do.
  const stop = () => {
    settled = true;
    void worker.terminate();
  };
  done.then(stop, stop);
  return {
    write: (text) => {
      if (!settled) post({ kind: 'write', text });
    },
    end: () => {
      if (!settled) post({ kind: 'end' });
    },
    pause: () => {
      if (paused) return;
      paused = true;
      if (!settled) post({ kind: 'pause' });
    },
    resume: () => {
      if (!paused) return;
      paused = false;
      if (!settled) post({ kind: 'resume' });
    },
    get paused() {
      return paused;
    },
    inWorker: true,
    done,
  };
}
