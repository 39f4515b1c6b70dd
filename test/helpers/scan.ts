import type { Report, Source } from '../../src/core/types.js';
import type { ScanDetectOptions } from '../../src/scan/detect-options.js';
import { DEFAULT_MAX_FILE_SIZE } from '../../src/scan/read.js';
import { buildReport, ReportBuilder, type ScanProgress } from '../../src/scan/report-builder.js';
import { scanFiles, scanSources as sourceStream, type FileScanOptions } from '../../src/scan/scan.js';

/** A tree scan of `cwd` with the CLI's defaults, on the main thread; `options` overrides any of them. */
export function scanTree(
  cwd: string,
  { onProgress, ...options }: Partial<FileScanOptions> & { onProgress?: (progress: ScanProgress) => void } = {},
): Promise<Report> {
  const stream = scanFiles({
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
  return buildReport(stream, onProgress);
}

/** The report of texts that are not files on disk, built at once (as run() builds standard input's). */
export function scanSources(sources: Iterable<Source>, root: string, detect: ScanDetectOptions): Report {
  const stream = sourceStream(sources, root, detect);
  const builder = new ReportBuilder(stream.root);
  for (const event of stream.events) builder.add(event);
  return builder.build(stream.sortByPosition);
}
