import type { SkippedFile } from '../core/types.js';
import { isBinary } from '../scan/decode.js';
import { gunzipStream, inflateRawBounded } from './inflate.js';
import { ArchiveFormatError, ArchiveLimitError, RATIO_FLOOR, type ArchiveLimits } from './limits.js';
import { archiveFormat, type ArchiveFormat } from './sniff.js';
import { TarReader } from './tar.js';
import { zipEntries } from './zip.js';

/** git's binary rule reads this much of a file (see isBinary); a member is sorted once it has this much. */
const SNIFF_BYTES = 8000;

/** A text member found inside an archive (binary members are passed over unreported, as a jar holds thousands). */
export interface ArchiveMember {
  /** `outer.zip!/inner/path`, with one `!/` per level of nesting. */
  path: string;
  /** The file on disk the member came from. */
  archivePath: string;
  /** The member's path inside it: everything after the first `!/`. */
  member: string;
  bytes: Uint8Array;
}

export type ArchiveEvent =
  { kind: 'member'; member: ArchiveMember } | { kind: 'skipped'; skipped: SkippedFile } | { kind: 'warning'; message: string };

/** What one archive (at any level of nesting) has inflated so far, for the bomb check. */
interface RatioMeter {
  path: string;
  compressed: number;
  inflated: number;
}

/** The member name shown for a plain gzip file: its own name without the .gz (RFC 1952 stores one, optionally; fflate does not expose it). */
function gzipMemberName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (/\.tgz$/i.test(base)) return `${base.slice(0, -4)}.tar`;
  return /\.gz$/i.test(base) && base.length > 3 ? base.slice(0, -3) : base;
}

/** Gathers one member's bytes as they inflate, sorting it after SNIFF_BYTES: nested archive, binary (dropped) or text. */
class MemberCollector {
  private chunks: Uint8Array[] = [];
  private length = 0;
  private state: 'sniff' | 'keep' | 'drop' = 'sniff';
  private format: ArchiveFormat | undefined;

  constructor(
    private readonly walk: ArchiveWalk,
    private readonly path: string,
    private readonly level: number,
  ) {}

  /** @returns false once nothing more of this member is wanted. */
  data(chunk: Uint8Array): boolean {
    if (this.state === 'drop') return false;
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.state === 'sniff' && this.length >= SNIFF_BYTES) this.sort();
    if (!this.dropped() && this.length > this.walk.limits.maxMemberSize) {
      this.walk.skip(this.path, 'too-large', `more than ${this.walk.limits.maxMemberSize} bytes once inflated (--max-file-size)`);
      this.drop();
    }
    return !this.dropped();
  }

  end(): void {
    if (this.state === 'sniff') this.sort();
    if (this.dropped()) return;
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    if (this.format) this.walk.open(this.path, bytes, this.format, this.level + 1);
    else this.walk.member(this.path, bytes);
  }

  /** A method, not a field test: TypeScript would keep the narrowing from before sort() changed the state. */
  private dropped(): boolean {
    return this.state === 'drop';
  }

  private drop(): void {
    this.state = 'drop';
    this.chunks = [];
  }

  private sort(): void {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    const head = this.chunks[0] ?? new Uint8Array(0);
    const format = archiveFormat(head);
    if (format) {
      if (this.level + 1 > this.walk.limits.maxDepth) {
        this.walk.limit(this.path, `an archive nested ${this.level + 1} deep (limit ${this.walk.limits.maxDepth}); not opened`);
        this.drop();
        return;
      }
      this.format = format;
      this.state = 'keep';
    } else {
      this.state = isBinary(head) ? 'drop' : 'keep';
      if (this.state === 'drop') this.chunks = [];
    }
  }
}

/** One file on disk and every archive nested in it: the budgets they share and where events go. */
class ArchiveWalk {
  private members = 0;
  private inflated = 0;

  constructor(
    private readonly archivePath: string,
    readonly limits: ArchiveLimits,
    private readonly emit: (event: ArchiveEvent) => void,
  ) {}

  member(path: string, bytes: Uint8Array): void {
    this.emit({ kind: 'member', member: { path, archivePath: this.archivePath, member: path.slice(this.archivePath.length + 2), bytes } });
  }

  skip(path: string, reason: SkippedFile['reason'], detail: string): void {
    const inside =
      path === this.archivePath ? {} : { archive: { path: this.archivePath, member: path.slice(this.archivePath.length + 2) } };
    this.emit({ kind: 'skipped', skipped: { path, reason, detail, ...inside } });
  }

  /** A limit reached: a warning naming the archive, and the archive listed as skipped (in part). */
  limit(path: string, detail: string): void {
    this.emit({ kind: 'warning', message: `archive ${path}: ${detail}` });
    this.skip(path, 'archive-limit', detail);
  }

  /** Opens one archive; `level` 1 is the file on disk. Errors in a nested archive end only it. */
  open(path: string, bytes: Uint8Array, format: ArchiveFormat, level: number): void {
    const meter: RatioMeter = { path, compressed: bytes.length, inflated: 0 };
    try {
      if (format === 'zip') this.zip(path, bytes, level, meter);
      else if (format === 'tar') this.tar(path, bytes, level);
      else this.gzip(path, bytes, level, meter);
    } catch (error) {
      if (error instanceof ArchiveLimitError && (error.scope === 'archive' || level === 1)) {
        this.limit(path, `${error.message}; the rest of it was not scanned`);
      } else if (error instanceof ArchiveFormatError) {
        this.emit({ kind: 'warning', message: `cannot read archive ${path}: ${error.message}` });
        this.skip(path, 'corrupt-archive', error.message);
      } else {
        throw error;
      }
    }
  }

  private countMember(): void {
    if (++this.members > this.limits.maxMembers) throw new ArchiveLimitError(`more than ${this.limits.maxMembers} members`, 'all');
  }

  private countInflated(bytes: number, meter: RatioMeter): void {
    this.inflated += bytes;
    meter.inflated += bytes;
    if (this.inflated > this.limits.maxInflatedBytes)
      throw new ArchiveLimitError(`more than ${this.limits.maxInflatedBytes} bytes inflated`, 'all');
    if (meter.inflated > RATIO_FLOOR && meter.inflated > meter.compressed * this.limits.maxRatio) {
      throw new ArchiveLimitError(
        `inflates more than ${this.limits.maxRatio} times its ${meter.compressed} bytes, taken for a zip bomb`,
        'archive',
      );
    }
  }

  private zip(path: string, bytes: Uint8Array, level: number, meter: RatioMeter): void {
    for (const entry of zipEntries(bytes)) {
      this.countMember();
      if (entry.directory) continue;
      const member = `${path}!/${entry.name}`;
      if (entry.encrypted) {
        this.skip(member, 'unreadable', 'encrypted zip member');
        continue;
      }
      if (entry.method !== 0 && entry.method !== 8) {
        this.skip(member, 'unreadable', `zip compression method ${entry.method} is not supported (only stored and deflate)`);
        continue;
      }
      if (entry.size > this.limits.maxMemberSize) {
        this.skip(member, 'too-large', `${entry.size} bytes > --max-file-size ${this.limits.maxMemberSize}`);
        continue;
      }
      let data: Uint8Array | undefined = entry.data;
      if (entry.method === 8) {
        // The most this member may inflate to, whichever limit is nearest; zlib stops past it.
        const room = {
          member: this.limits.maxMemberSize,
          budget: this.limits.maxInflatedBytes - this.inflated,
          ratio: Math.max(RATIO_FLOOR, meter.compressed * this.limits.maxRatio) - meter.inflated,
        };
        const limit = Math.min(room.member, room.budget, room.ratio);
        try {
          data = inflateRawBounded(entry.data, limit);
        } catch (error) {
          // One damaged member leaves the others readable: the central directory still lists them.
          if (!(error instanceof ArchiveFormatError)) throw error;
          this.skip(member, 'unreadable', error.message);
          continue;
        }
        // Over the limit: countInflated names the budget or ratio that was passed; else the member is too large.
        this.countInflated(data?.length ?? Math.max(0, limit) + 1, meter);
        if (!data) {
          this.skip(member, 'too-large', `more than ${this.limits.maxMemberSize} bytes once inflated (--max-file-size)`);
          continue;
        }
      }
      const collector = new MemberCollector(this, member, level);
      collector.data(data);
      collector.end();
    }
  }

  /** A tar reader whose regular files go through collectors (the declared size is exact in tar: the stream's layout depends on it). */
  private tarReader(path: string, level: number): TarReader {
    return new TarReader((name, size) => {
      this.countMember();
      const member = `${path}!/${name}`;
      if (size > this.limits.maxMemberSize) {
        this.skip(member, 'too-large', `${size} bytes > --max-file-size ${this.limits.maxMemberSize}`);
        return undefined;
      }
      const collector = new MemberCollector(this, member, level);
      return { data: (chunk) => void collector.data(chunk), end: () => collector.end() };
    });
  }

  private tar(path: string, bytes: Uint8Array, level: number): void {
    const reader = this.tarReader(path, level);
    reader.push(bytes);
    reader.finish();
  }

  /** A gzip stream holds a tar (read as it inflates, never whole) or one plain file (a gzipped log). */
  private gzip(path: string, bytes: Uint8Array, level: number, meter: RatioMeter): void {
    let head: Uint8Array[] = [];
    let headLength = 0;
    let tar: TarReader | undefined;
    let plain: MemberCollector | undefined;
    const route = (chunk: Uint8Array): boolean => {
      if (tar) return (tar.push(chunk), true);
      return plain!.data(chunk);
    };
    // The first 512 inflated bytes tell a tar (its first header) from anything else.
    const choose = (): boolean => {
      const start = Buffer.concat(head);
      head = [];
      if (archiveFormat(start) === 'tar') {
        tar = this.tarReader(path, level);
      } else {
        this.countMember();
        plain = new MemberCollector(this, `${path}!/${gzipMemberName(path)}`, level);
      }
      return route(start);
    };
    let failure: unknown;
    try {
      gunzipStream(bytes, (chunk) => {
        this.countInflated(chunk.length, meter);
        if (tar || plain) return route(chunk);
        head.push(chunk);
        headLength += chunk.length;
        return headLength >= 512 ? choose() : true;
      });
    } catch (error) {
      failure = error;
    }
    if (!tar && !plain && headLength > 0) choose();
    // A truncated gzipped log still has the part before the damage scanned; the damage is reported too.
    if (failure === undefined || (failure instanceof ArchiveFormatError && plain)) {
      tar?.finish();
      plain?.end();
    }
    if (failure !== undefined) throw failure;
  }
}

/**
 * Opens an archive held in memory and reports each text member inside it, recursing into nested
 * archives up to limits.maxDepth, within the limits on members, inflated bytes and ratio.
 * Limits reached and damaged archives become warnings and skipped entries, never exceptions;
 * whatever was read before them is still reported.
 */
export function walkArchive(
  path: string,
  bytes: Uint8Array,
  format: ArchiveFormat,
  limits: ArchiveLimits,
  emit: (event: ArchiveEvent) => void,
): void {
  new ArchiveWalk(path, limits, emit).open(path, bytes, format, 1);
}
