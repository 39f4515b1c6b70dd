import type { Report } from '../core/types.js';
import { scanRange } from '../git/range-scan.js';
import { scanGit } from '../git/scan.js';
import type { ScanStream } from '../scan/report-builder.js';
import { scanFiles, scanSources } from '../scan/scan.js';
import type { RunOptions } from './options.js';

/**
 * What a source gives: a stream of per-file events (findings with suppressions already applied,
 * skipped files, clean files counted) that run() builds the report from; or, for a commit range,
 * the report its two git scans merge into (range-scan.ts), with the credentials still in the head
 * tree (their fingerprints).
 */
export type SourceScan = { kind: 'stream'; stream: ScanStream } | { kind: 'range'; report: Report; atHead: ReadonlySet<string> };

/**
 * What a run reads and detects in: files on disk, standard input, git's added lines, a commit
 * range (each yields core `Source` texts to detect in). Archives are opened inside the file and git
 * sources. A new source is one more case in `openSource` (and in `SourceSpec`, options.ts); the
 * stages and the report do not change.
 */
export interface RunSource {
  open(): Promise<SourceScan>;
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
  const stream = (open: () => Promise<ScanStream>): RunSource => ({ open: async () => ({ kind: 'stream', stream: await open() }) });
  switch (source.kind) {
    case 'stdin':
      return stream(async () => scanSources([{ path: '<stdin>', text: await io.readStdin() }], cwd, detect));
    case 'files':
      return stream(async () =>
        scanFiles({
          cwd,
          paths: source.paths,
          ...filters,
          ...(source.threads !== undefined ? { threads: source.threads } : {}),
          detect,
        }),
      );
    case 'git':
      return stream(() =>
        scanGit({
          context,
          mode: source.mode,
          detect,
          ...filters,
          ...ignoreReader,
          pathspecs: source.pathspecs,
          ...(source.blobCache ? { blobCache: source.blobCache } : {}),
        }),
      );
    case 'range':
      return {
        open: async () => ({
          kind: 'range',
          ...(await scanRange({ context, commits: source.commits, detect, ...filters, ...ignoreReader, pathspecs: source.pathspecs })),
        }),
      };
  }
}
