import type { ArchiveOptions } from '../archive/scan.js';
import type { DetectOptions } from '../core/detect.js';

/** What the file and git scanners detect with: the core's options, plus whether and how far to open archives. */
export interface ScanDetectOptions extends DetectOptions {
  /** File scans: open archives found among the files (default: yes, within DEFAULT_ARCHIVE_LIMITS); false: --no-archives. */
  archives?: ArchiveOptions;
}
