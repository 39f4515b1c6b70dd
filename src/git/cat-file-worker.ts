/**
 * Worker thread of spawnBatchInWorker (batch-process.ts): runs git and reads its output as it
 * comes, so git never waits on a full pipe while the main thread scans; hands each chunk over
 * (moved, not copied) and stops reading `maxAhead` bytes past what the main thread has taken in.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BatchWorkerData, FromBatchWorker, ToBatchWorker } from './batch-process.js';
import { GitNotFoundError } from './errors.js';
import { spawnGit } from './run.js';

const { context, args, maxAhead } = workerData as BatchWorkerData;
const port = parentPort!;
const post = (message: FromBatchWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const { child, done } = spawnGit(context, args);
child.stdin.on('error', () => undefined);
let ahead = 0;
let pausedByReader = false;
/** Chunks read and not yet posted: posted together once this thread is idle, or once they are large. */
let pending: ArrayBuffer[] = [];
let pendingBytes = 0;
let flushScheduled = false;
const FLUSH_BYTES = 256 * 1024;
const flush = () => {
  flushScheduled = false;
  if (pending.length === 0) return;
  const buffers = pending;
  pending = [];
  pendingBytes = 0;
  post({ kind: 'data', buffers }, buffers);
};
const flow = () => {
  if (pausedByReader || ahead > maxAhead) child.stdout.pause();
  else child.stdout.resume();
};
child.stdout.on('data', (chunk: Buffer) => {
  // Node reads a stream into a new ArrayBuffer each time, which then moves to the main thread as it
  // is. A chunk that is only part of its ArrayBuffer (memory shared with other buffers) is copied.
  // A copy each time left dead chunks in this thread's heap until its next collection: ~30 MB more
  // peak memory on botocore's history.
  const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
  const buffer = whole ? (chunk.buffer as ArrayBuffer) : new Uint8Array(chunk).buffer;
  ahead += chunk.byteLength;
  pending.push(buffer);
  pendingBytes += chunk.byteLength;
  if (pendingBytes >= FLUSH_BYTES) flush();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
  if (ahead > maxAhead) flow();
});
// Every chunk is posted before 'close' settles `done`: the main thread sees all the output first.
done.then(
  () => {
    flush();
    post({ kind: 'exit', ok: true });
  },
  (error: Error) => {
    flush();
    post({ kind: 'exit', ok: false, notFound: error instanceof GitNotFoundError, message: error.message });
  },
);
port.on('message', (message: ToBatchWorker) => {
  switch (message.kind) {
    case 'write':
      child.stdin.write(message.text);
      break;
    case 'end':
      child.stdin.end();
      break;
    case 'pause':
      pausedByReader = true;
      flow();
      break;
    case 'resume':
      pausedByReader = false;
      flow();
      break;
    case 'taken':
      ahead -= message.bytes;
      flow();
      break;
  }
});
