import type { Report } from '../core/types.js';
import { scanRange } from '../git/range-scan.js';
import { scanGit } from '../git/scan.js';
import { scanFiles, scanSources, type ScanProgress } from '../scan/scan.js';
import type { RunOptions } from './options.js';

/** What a source's detection gives: the findings (suppressions already applied), skipped files, warnings, counts. */
export interface SourceScan {
  report: Report;
  /** A commit range only: fingerprints of the credentials still in the head tree. */
  atHead?: ReadonlySet<string>;
}

/**
 * What a run reads and detects in: files on disk, standard input, git's added lines, a commit
 * range (each yields core `Source` texts to detect in). Archives are opened inside the file and git
 * sources. A new source is one more case in `openSource` (and in `SourceSpec`, options.ts); the
 * stages and the report do not change.
 */
export interface RunSource {
  scan(onProgress: (progress: ScanProgress) => void): Promise<SourceScan>;
}

export interface SourceIo {
  /** Reads all of standard input (for `scan -`). */
  readStdin(): Promise<string>;
}

export function openSource(options: RunOptions, io: SourceIo): RunSource {
  const { source, scope, detect, cwd } = options;
  const filters = { include: scope.include, exclude: scope.exclude, useIgnoreFiles: scope.useIgnoreFiles, maxFileSize: scope.maxFileSize };
  const ignoreReader = scope.ignoreReader ? { ignoreReader: scope.ignoreReader } : {};
  const context = { cwd, env: options.env };
  switch (source.kind) {
    case 'stdin':
      return { scan: async () => ({ report: scanSources([{ path: '<stdin>', text: await io.readStdin() }], cwd, detect) }) };
    case 'files':
      return {
        scan: async (onProgress) => ({
          report: await scanFiles({
            cwd,
            paths: source.paths,
            ...filters,
            ...(source.threads !== undefined ? { threads: source.threads } : {}),
            detect,
            onProgress,
          }),
        }),
      };
    case 'git':
      return {
        scan: async (onProgress) => ({
          report: await scanGit({
            context,
            mode: source.mode,
            detect,
            ...filters,
            ...ignoreReader,
            pathspecs: source.pathspecs,
            onProgress,
          }),
        }),
      };
    case 'range':
      return {
        scan: () => scanRange({ context, commits: source.commits, detect, ...filters, ...ignoreReader, pathspecs: source.pathspecs }),
      };
  }
}
