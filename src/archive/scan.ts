import type { Finding, SkippedFile } from '../core/types.js';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './limits.js';
import type { ArchiveFormat } from './sniff.js';
import { walkArchive } from './walk.js';

/** What scanning the inside of one archive file adds to a report, besides its findings. */
export interface ArchiveSummary {
  /** Text members scanned, and their inflated bytes. */
  members: number;
  memberBytes: number;
  skipped: SkippedFile[];
  warnings: string[];
}

export interface ArchiveScanResult {
  findings: Finding[];
  examples: Finding[];
  suppressed: number;
  archive: ArchiveSummary;
}

/** Tuning for opening archives; `false` turns it off (--no-archives, `archives: false`). */
export type ArchiveOptions = false | Partial<Omit<ArchiveLimits, 'maxMemberSize'>>;

/** How one member's text is scanned: the caller's own byte scan (prefilter, binary sniff, detection). */
export type MemberScanner = (
  path: string,
  bytes: Buffer,
) => { kind: 'scanned'; findings: Finding[]; examples: Finding[]; suppressed: number } | { kind: 'skipped'; skipped: SkippedFile };

function located(findings: Finding[], archivePath: string, member: string): Finding[] {
  for (const finding of findings) finding.archive = { path: archivePath, member };
  return findings;
}

/**
 * Scans every text member of an archive file (zip family, tar, gzip; nested up to the depth
 * limit) with `scanMember`, each under the path `outer!/member`. Findings carry `archive`, so
 * reports can point at the file on disk and name the member.
 */
export function scanArchive(
  path: string,
  bytes: Uint8Array,
  format: ArchiveFormat,
  options: Exclude<ArchiveOptions, false> & { maxMemberSize: number },
  scanMember: MemberScanner,
): ArchiveScanResult {
  const result: ArchiveScanResult = {
    findings: [],
    examples: [],
    suppressed: 0,
    archive: { members: 0, memberBytes: 0, skipped: [], warnings: [] },
  };
  walkArchive(path, bytes, format, { ...DEFAULT_ARCHIVE_LIMITS, ...options }, (event) => {
    if (event.kind === 'warning') result.archive.warnings.push(event.message);
    else if (event.kind === 'skipped') result.archive.skipped.push(event.skipped);
    else {
      const { member } = event;
      const scanned = scanMember(member.path, Buffer.from(member.bytes.buffer, member.bytes.byteOffset, member.bytes.length));
      if (scanned.kind === 'skipped') return;
      result.archive.members++;
      result.archive.memberBytes += member.bytes.length;
      for (const finding of located(scanned.findings, member.archivePath, member.member)) result.findings.push(finding);
      for (const example of located(scanned.examples, member.archivePath, member.member)) result.examples.push(example);
      result.suppressed += scanned.suppressed;
    }
  });
  return result;
}
