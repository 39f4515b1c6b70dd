import type { ScanDetectOptions } from '../scan/detect-options.js';
import { scanArchiveBlob } from '../archive/blob.js';
import { compileGlobs } from '../scan/discover.js';
import { relocateLatin1Result } from '../scan/byte-text.js';
import { scanSource } from '../scan/process-file.js';
import type { ScanEvent, ScanStream } from '../scan/report-builder.js';
import type { IgnoreFileReader } from '../scan/ignore-files.js';
import { reattach, type BlobCacheSession } from './blob-cache.js';
import type { GitContext } from './run.js';
import { diffSources, historySources, stagedSources, type GitSourceOptions, type GitSources } from './sources.js';

/** Which lines a git scan looks at. */
export type GitMode =
  | { kind: 'staged' }
  | { kind: 'diff'; range: string }
  /** `exclude`: commit ids already scanned (`scan --repos --state`), walked around as `--not ID...`. */
  | { kind: 'history'; since?: string; all?: boolean; until?: string; exclude?: readonly string[] };

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
  /** `scan --repos`: the run's cache of blobs scanned by earlier repositories (see blob-cache.ts). */
  blobCache?: BlobCacheSession;
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
        ...(options.mode.exclude ? { exclude: options.mode.exclude } : {}),
      });
  }
}

/** Scans what a git mode selects; the stream's paths are relative to the repository's top level. */
export async function scanGit(options: GitScanOptions): Promise<ScanStream> {
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
    ...(options.blobCache ? { blobCache: options.blobCache } : {}),
  });
  // History keeps every sighting here: the run's first-sighting stage (src/run/stages.ts) drops repeats.
  return { root: sources.root, events: detectIn(sources, options) };
}

async function* detectIn(sources: GitSources, options: GitScanOptions): AsyncGenerator<ScanEvent> {
  for await (const event of sources.events) {
    if (event.kind === 'skipped') yield event;
    else if (event.kind === 'clean') yield event;
    else if (event.kind === 'reused') for (const result of event.results) yield reattach(result, event.path, event.commit);
    else {
      const result =
        event.kind === 'archive'
          ? scanArchiveBlob(event.path, event.bytes, event.format, options.detect, options.maxFileSize, event.commit)
          : scanSource(event.source, options.detect, event.bytes, event.anchored, event.contextWordsAt);
      if (event.kind === 'source' && event.latin1 && result.kind === 'scanned') relocateLatin1Result(event.source.text, result);
      event.pending?.add(result);
      yield result;
    }
  }
}
