import { catalog } from '../../rules/index.js';
import { scanText } from '../core/detect.js';
import type { CommitInfo } from '../core/types.js';
import type { ScanDetectOptions } from '../scan/detect-options.js';
import { triageBytes, type FileResult } from '../scan/process-file.js';
import { skippedFile } from '../scan/read.js';
import { scanArchive } from './scan.js';
import type { ArchiveFormat } from './sniff.js';

/**
 * Scans an archive committed to git (staged, in a diff or in history). A changed archive has no
 * added lines to narrow to: every member is scanned whole, so a diff that touches an archive
 * reports every credential in it, old members' included.
 */
export function scanArchiveBlob(
  path: string,
  bytes: Buffer,
  format: ArchiveFormat,
  detect: ScanDetectOptions,
  maxFileSize: number,
  commit?: CommitInfo,
): FileResult {
  const result = scanArchive(path, bytes, format, { ...(detect.archives || {}), maxMemberSize: maxFileSize }, (memberPath, member) => {
    const triaged = triageBytes(member);
    if (triaged.kind === 'binary') return skippedFile(memberPath, 'binary');
    if (triaged.kind === 'clean') return { kind: 'scanned', findings: [], examples: [], suppressed: 0 };
    return {
      kind: 'scanned',
      ...scanText(
        catalog,
        { path: memberPath, text: triaged.text, ...(commit ? { commit } : {}) },
        detect,
        triaged.anchored,
        triaged.contextWordsAt,
      ),
    };
  });
  return { kind: 'scanned', path, bytes: bytes.length, ...result };
}
