import { ArchiveFormatError } from './limits.js';

/** One member as the central directory lists it (PKWARE APPNOTE 4.3.12). */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else is reported as unsupported. */
  method: number;
  /** The size the directory declares: a hint for skipping early, never trusted as a bound. */
  size: number;
  encrypted: boolean;
  directory: boolean;
  /** The member's compressed bytes, a view into the archive (no copy). */
  data: Uint8Array;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_LENGTH = 22;
/** The end record's comment is at most 65,535 bytes: the record is within this far of the end. */
const EOCD_SEARCH = EOCD_LENGTH + 0xffff;

class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private check(at: number, length: number): void {
    if (at < 0 || at + length > this.bytes.length) throw new ArchiveFormatError(`zip structure points outside the file (offset ${at})`);
  }
  u16(at: number): number {
    this.check(at, 2);
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    this.check(at, 4);
    return this.view.getUint32(at, true);
  }
  /** 64-bit sizes past 2^53 cannot be real for a file we hold in memory: refuse them. */
  u64(at: number): number {
    this.check(at, 8);
    const value = this.view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ArchiveFormatError('zip64 size out of range');
    return Number(value);
  }
  slice(at: number, length: number): Uint8Array {
    this.check(at, length);
    return this.bytes.subarray(at, at + length);
  }
}

function findEndRecord(reader: Reader): number {
  const bytes = reader.bytes;
  const lowest = Math.max(0, bytes.length - EOCD_SEARCH);
  for (let at = bytes.length - EOCD_LENGTH; at >= lowest; at--) {
    if (bytes[at] === 0x50 && bytes[at + 1] === 0x4b && reader.u32(at) === EOCD_SIGNATURE) return at;
  }
  throw new ArchiveFormatError('no zip end-of-central-directory record');
}

/** Entry count and central directory offset, from the zip64 end record when the classic one is saturated (APPNOTE 4.3.14-15). */
function directoryBounds(reader: Reader, eocd: number): { count: number; offset: number; size: number } {
  let count = reader.u16(eocd + 10);
  let size = reader.u32(eocd + 12);
  let offset = reader.u32(eocd + 16);
  if (
    (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) &&
    eocd >= 20 &&
    reader.u32(eocd - 20) === ZIP64_LOCATOR_SIGNATURE
  ) {
    const record = reader.u64(eocd - 20 + 8);
    if (reader.u32(record) !== ZIP64_EOCD_SIGNATURE) throw new ArchiveFormatError('bad zip64 end record');
    count = reader.u64(record + 32);
    size = reader.u64(record + 40);
    offset = reader.u64(record + 48);
  }
  return { count, offset, size };
}

/** The zip64 extended information extra field (id 1) holds, in order, only the values saturated in the header. */
function zip64Values(
  reader: Reader,
  extraStart: number,
  extraLength: number,
  wanted: { size: boolean; compressed: boolean; offset: boolean },
) {
  const found: { size?: number; compressed?: number; offset?: number } = {};
  for (let at = extraStart; at + 4 <= extraStart + extraLength;) {
    const id = reader.u16(at);
    const length = reader.u16(at + 2);
    if (id === 1) {
      let field = at + 4;
      if (wanted.size) {
        found.size = reader.u64(field);
        field += 8;
      }
      if (wanted.compressed) {
        found.compressed = reader.u64(field);
        field += 8;
      }
      if (wanted.offset) found.offset = reader.u64(field);
      return found;
    }
    at += 4 + length;
  }
  throw new ArchiveFormatError('zip64 sizes missing');
}

/**
 * The members of a zip held in memory, read from its central directory (the authoritative list;
 * local headers are consulted only for where the data starts). Every offset is bounds-checked;
 * nothing is inflated here. Declared uncompressed sizes are not trusted anywhere: inflation is
 * bounded by what comes out (see walk.ts).
 */
export function* zipEntries(bytes: Uint8Array): Generator<ZipEntry> {
  const reader = new Reader(bytes);
  const eocd = findEndRecord(reader);
  const { count, offset: declaredOffset, size } = directoryBounds(reader, eocd);
  // Data prepended to the zip (a launcher script) shifts every offset by the same amount.
  const shift = Math.max(0, eocd - (declaredOffset + size));
  let at = declaredOffset + shift;
  for (let i = 0; i < count; i++) {
    if (reader.u32(at) !== CENTRAL_SIGNATURE) throw new ArchiveFormatError(`bad zip central directory entry ${i + 1}`);
    const flags = reader.u16(at + 8);
    const method = reader.u16(at + 10);
    let compressed = reader.u32(at + 20);
    let uncompressed = reader.u32(at + 24);
    const nameLength = reader.u16(at + 28);
    const extraLength = reader.u16(at + 30);
    const commentLength = reader.u16(at + 32);
    let localOffset = reader.u32(at + 42);
    // General purpose bit 11: the name is UTF-8; otherwise IBM 437, whose ASCII half is ASCII.
    const nameBytes = reader.slice(at + 46, nameLength);
    const name = Buffer.from(nameBytes.buffer, nameBytes.byteOffset, nameBytes.length).toString(flags & 0x800 ? 'utf8' : 'latin1');
    const wanted = { size: uncompressed === 0xffffffff, compressed: compressed === 0xffffffff, offset: localOffset === 0xffffffff };
    if (wanted.size || wanted.compressed || wanted.offset) {
      const values = zip64Values(reader, at + 46 + nameLength, extraLength, wanted);
      uncompressed = values.size ?? uncompressed;
      compressed = values.compressed ?? compressed;
      localOffset = values.offset ?? localOffset;
    }
    at += 46 + nameLength + extraLength + commentLength;

    const local = localOffset + shift;
    if (reader.u32(local) !== LOCAL_SIGNATURE) throw new ArchiveFormatError(`bad zip local header for ${JSON.stringify(name)}`);
    const dataStart = local + 30 + reader.u16(local + 26) + reader.u16(local + 28);
    yield {
      name,
      method,
      size: uncompressed,
      encrypted: (flags & 1) !== 0,
      directory: name.endsWith('/'),
      data: reader.slice(dataStart, compressed),
    };
  }
}
