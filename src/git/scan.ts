import type { ScanDetectOptions } from '../scan/detect-options.js';
import { scanArchiveBlob } from '../archive/blob.js';
import type { Report } from '../core/types.js';
import { compileGlobs } from '../scan/discover.js';
import { ReportBuilder, type ScanProgress } from '../scan/scan.js';
import type { IgnoreFileReader } from '../scan/ignore-files.js';
import type { GitContext } from './run.js';
import { diffSources, historySources, stagedSources, type GitSourceOptions, type GitSources } from './sources.js';

/** Which lines a git scan looks at. */
export type GitMode =
  { kind: 'staged' } | { kind: 'diff'; range: string } | { kind: 'history'; since?: string; all?: boolean; until?: string };

export interface GitScanOptions {
  context: GitContext;
  mode: GitMode;
  detect: ScanDetectOptions;
  maxFileSize: number;
  /** Globs relative to the repository's top level, as in a file scan. */
  include: readonly string[];
  exclude: readonly string[];
  /** Honour the work tree's .keywardenignore files (--no-gitignore turns them off, as in a file scan). */
  useIgnoreFiles: boolean;
  /** Read those ignore files from here (e.g. a base commit's tree, see tree-files.ts) instead of the work tree. */
  ignoreReader?: IgnoreFileReader;
  /** git pathspecs relative to the context's cwd; empty scans the whole repository. */
  pathspecs?: readonly string[];
  onProgress?: (progress: ScanProgress) => void;
}

/**
 * Ignore files a git mode honours. Not .gitignore: a file force-added despite it is being committed
 * all the same, so its credentials must be reported.
 */
export const GIT_IGNORE_FILE_NAMES = ['.keywardenignore'] as const;

function openSources(options: GitScanOptions, sourceOptions: GitSourceOptions): Promise<GitSources> {
  switch (options.mode.kind) {
    case 'staged':
      return stagedSources(options.context, sourceOptions);
    case 'diff':
      return diffSources(options.context, options.mode.range, sourceOptions);
    case 'history':
      return historySources(options.context, {
        ...sourceOptions,
        ...(options.mode.since !== undefined ? { since: options.mode.since } : {}),
        ...(options.mode.all ? { all: true } : {}),
        ...(options.mode.until !== undefined ? { until: options.mode.until } : {}),
      });
  }
}

/** Scans what a git mode selects into a Report whose paths are relative to the repository's top level. */
export async function scanGit(options: GitScanOptions): Promise<Report> {
  const isIncluded = compileGlobs(options.include, '--include');
  const isExcluded = compileGlobs(options.exclude, '--exclude');
  const filter = (path: string) => !isExcluded(path) && (options.include.length === 0 || isIncluded(path));
  const sources = await openSources(options, {
    filter,
    ignoreFiles: options.useIgnoreFiles ? GIT_IGNORE_FILE_NAMES : [],
    ...(options.ignoreReader ? { ignoreReader: options.ignoreReader } : {}),
    maxFileSize: options.maxFileSize,
    archives: options.detect.archives !== false,
    ...(options.pathspecs ? { pathspecs: options.pathspecs } : {}),
  });
  const builder = new ReportBuilder(sources.root, options.detect);
  for await (const event of sources.events) {
    if (event.kind === 'skipped') builder.addSkipped(event.skipped);
    else if (event.kind === 'clean') builder.addClean(1, event.bytes);
    else if (event.kind === 'archive')
      builder.addResult(scanArchiveBlob(event.path, event.bytes, event.format, options.detect, options.maxFileSize, event.commit));
    else builder.addSource(event.source, event.bytes, event.anchored);
    options.onProgress?.(builder.progress());
  }
  // History keeps every sighting here: the run's first-sighting stage (src/run/stages.ts) drops repeats.
  return builder.build();
}
