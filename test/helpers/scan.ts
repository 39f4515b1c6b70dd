import type { Report } from '../../src/core/types.js';
import { DEFAULT_MAX_FILE_SIZE } from '../../src/scan/read.js';
import { scanFiles, type FileScanOptions } from '../../src/scan/scan.js';

/** A tree scan of `cwd` with the CLI's defaults, on the main thread; `options` overrides any of them. */
export function scanTree(cwd: string, options: Partial<FileScanOptions> = {}): Promise<Report> {
  return scanFiles({
    cwd,
    paths: ['.'],
    include: [],
    exclude: [],
    useIgnoreFiles: true,
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    detect: {},
    threads: 0,
    ...options,
  });
}
