import { ArchiveFormatError } from './limits.js';

const BLOCK = 512;
/** GNU long names and PAX records are short text; a larger one is not a tar we should trust. */
const MAX_METADATA = 64 * 1024;

/** Where a regular file's body goes, chunk by chunk, as the stream brings it. */
export interface TarFileSink {
  data(chunk: Uint8Array): void;
  end(): void;
}

/** Called as each regular file starts; undefined skips its body. */
export type TarFileHandler = (name: string, size: number) => TarFileSink | undefined;

function text(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  const field = nul < 0 ? bytes : bytes.subarray(0, nul);
  return Buffer.from(field.buffer, field.byteOffset, field.length).toString('utf8');
}

/** Numeric fields are octal text, or base-256 when the first byte's high bit is set (GNU, star). */
function number(field: Uint8Array): number {
  if (field[0]! & 0x80) {
    let value = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    if (!Number.isSafeInteger(value)) throw new ArchiveFormatError('tar size out of range');
    return value;
  }
  const digits = text(field).trim();
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits)) throw new ArchiveFormatError(`bad tar number ${JSON.stringify(digits)}`);
  return parseInt(digits, 8);
}

/** The header checksum: the byte sum with its own field read as spaces (POSIX ustar). */
function checksumMatches(header: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum === number(header.subarray(148, 156));
}

/** PAX extended header records: "<length> <key>=<value>\n" (POSIX pax). Only `path` matters here. */
function paxPath(body: Uint8Array): string | undefined {
  const records = Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8');
  let path: string | undefined;
  for (let at = 0; at < records.length;) {
    const space = records.indexOf(' ', at);
    const length = parseInt(records.slice(at, space), 10);
    if (space < 0 || !(length > 0)) break;
    const record = records.slice(space + 1, at + length - 1);
    if (record.startsWith('path=')) path = record.slice(5);
    at += length;
  }
  return path;
}

/**
 * A streaming tar reader (POSIX ustar, PAX `path` records, GNU long names): push the archive's
 * bytes in chunks of any size, and each regular file's body is handed on as it streams by, so a
 * .tar.gz is read without ever holding more than one member. Links, directories and devices are
 * passed over. Hand-written because the maintained tar readers (tar-stream, modern-tar) are
 * asynchronous streams, while scans run synchronously on worker threads.
 */
export class TarReader {
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  /** Body bytes still to come for the current entry, then the padding to its block's end. */
  private remaining = 0;
  private padding = 0;
  private sink: TarFileSink | undefined;
  private metadata: { kind: 'long-name' | 'pax'; chunks: Uint8Array[] } | undefined;
  private nextName: string | undefined;
  private ended = false;

  constructor(private readonly onFile: TarFileHandler) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && !this.ended) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        const part = chunk.subarray(at, at + take);
        this.sink?.data(part);
        this.metadata?.chunks.push(part.slice());
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) this.endBody();
      } else if (this.padding > 0) {
        const skip = Math.min(this.padding, chunk.length - at);
        this.padding -= skip;
        at += skip;
      } else {
        const take = Math.min(BLOCK - this.headerFill, chunk.length - at);
        this.header.set(chunk.subarray(at, at + take), this.headerFill);
        this.headerFill += take;
        at += take;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.startEntry();
        }
      }
    }
  }

  /** The stream is over: a member cut short means a truncated archive. */
  finish(): void {
    if (this.remaining > 0 || (this.headerFill > 0 && !this.ended)) throw new ArchiveFormatError('tar archive is truncated');
  }

  private startEntry(): void {
    const header = this.header;
    // A zero block marks the end of the archive.
    if (header.every((byte) => byte === 0)) {
      this.ended = true;
      return;
    }
    if (!checksumMatches(header)) throw new ArchiveFormatError('bad tar header checksum');
    const size = number(header.subarray(124, 136));
    const type = String.fromCharCode(header[156]!);
    // POSIX ustar ("ustar\0") splits long paths into prefix + name; GNU's "ustar  " uses those bytes otherwise.
    const posix = header[262] === 0;
    const prefix = posix ? text(header.subarray(345, 500)) : '';
    const headerName = text(header.subarray(0, 100));
    const name = this.nextName ?? (prefix ? `${prefix}/${headerName}` : headerName);
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === 'L' || type === 'x') {
      if (size > MAX_METADATA) throw new ArchiveFormatError(`tar ${type === 'L' ? 'long name' : 'pax header'} of ${size} bytes`);
      this.metadata = { kind: type === 'L' ? 'long-name' : 'pax', chunks: [] };
    } else {
      this.nextName = undefined;
      // Regular files: '0', NUL (old tar) and '7' (contiguous). Everything else has no content to scan.
      if (type === '0' || type === '\0' || type === '7') this.sink = this.onFile(name, size);
    }
    if (size === 0) this.endBody();
  }

  private endBody(): void {
    if (this.sink) {
      const sink = this.sink;
      this.sink = undefined;
      sink.end();
    }
    if (this.metadata) {
      const body = Buffer.concat(this.metadata.chunks);
      const name = this.metadata.kind === 'long-name' ? text(body) : paxPath(body);
      if (name !== undefined) this.nextName = name;
      this.metadata = undefined;
    }
  }
}
