import { Gunzip } from 'fflate';
import { inflateRawSync } from 'node:zlib';
import { ArchiveFormatError } from './limits.js';

/**
 * Compressed input is fed in slices this long, so that one push inflates at most ~1,032 times as
 * much (deflate's largest ratio, RFC 1951: a 258-byte match per ~2 bits): at most ~17 MB in
 * memory at once however the stream was built, and a limit is checked after every slice. (Smaller
 * slices cost time: fflate copies its 32 KiB window on every push; 8 KiB ran ~25% slower.)
 */
const INPUT_SLICE = 16 * 1024;

/** Receives inflated chunks in order; returns false to stop inflating (the rest is never read). */
export type ChunkSink = (chunk: Uint8Array) => boolean;

/**
 * Inflates gzip (one or more members, RFC 1952) synchronously, chunk by chunk, so a .tgz is read
 * member by member and never held whole. fflate's streaming classes push synchronously;
 * node:zlib's only synchronous API inflates a whole stream into one buffer, and its streams are
 * asynchronous, while file scans run synchronously on worker threads.
 * @returns whether the stream was read to its end (false: the sink stopped it).
 */
export function gunzipStream(input: Uint8Array, sink: ChunkSink): boolean {
  const format = 'gzip';
  let stopped = false;
  const stream = new Gunzip();
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

/**
 * Inflates one raw deflate stream (a zip member, which must be whole in memory to be scanned
 * anyway) with node:zlib, native and ~3x faster than fflate here, producing at most `limit`
 * bytes: zlib stops and frees its output as soon as more would come out (maxOutputLength).
 * @returns the bytes, or undefined when they would be more than `limit`.
 */
export function inflateRawBounded(input: Uint8Array, limit: number): Buffer | undefined {
  try {
    return inflateRawSync(input, { maxOutputLength: Math.max(1, limit) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    if (typeof code === 'string' && code.startsWith('Z_'))
      throw new ArchiveFormatError(`deflate data is corrupt (${(error as Error).message})`);
    throw error;
  }
}
