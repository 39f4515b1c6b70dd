import { Gunzip, Inflate } from 'fflate';
import { ArchiveFormatError } from './limits.js';

/**
 * Compressed input is fed in slices this long, so that one push inflates at most ~1,032 times as
 * much (deflate's largest ratio, RFC 1951: a 258-byte match per ~2 bits): at most ~8.5 MB in
 * memory at once however the stream was built, and a limit is checked after every slice.
 */
const INPUT_SLICE = 8 * 1024;

/** Receives inflated chunks in order; returns false to stop inflating (the rest is never read). */
export type ChunkSink = (chunk: Uint8Array) => boolean;

/**
 * Inflates raw deflate (zip method 8) or gzip (one or more members, RFC 1952) synchronously, chunk
 * by chunk. fflate's streaming classes push synchronously; node:zlib's only synchronous API
 * inflates a whole stream into one buffer, and its streams are asynchronous, while file scans run
 * synchronously on worker threads.
 * @returns whether the stream was read to its end (false: the sink stopped it).
 */
export function inflateStream(format: 'deflate' | 'gzip', input: Uint8Array, sink: ChunkSink): boolean {
  let stopped = false;
  const stream = format === 'gzip' ? new Gunzip() : new Inflate();
  stream.ondata = (chunk) => {
    if (!stopped && chunk.length > 0 && !sink(chunk)) stopped = true;
  };
  try {
    for (let at = 0; at < input.length && !stopped; at += INPUT_SLICE) {
      const end = Math.min(input.length, at + INPUT_SLICE);
      stream.push(input.subarray(at, end), end === input.length);
    }
    if (input.length === 0) stream.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof Error && typeof (error as { code?: unknown }).code === 'number') {
      throw new ArchiveFormatError(`${format} data is corrupt (${error.message})`);
    }
    throw error;
  }
  return !stopped;
}
