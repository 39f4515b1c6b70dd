import type { Dirent } from 'node:fs';
import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import picomatch from 'picomatch';
import type { SkippedFile } from '../core/types.js';
import { UsageError } from './errors.js';
import { IGNORE_FILE_NAMES, IgnoreStack } from './ignore-files.js';

export interface DiscoverOptions {
  /** Directory that display paths are relative to. */
  cwd: string;
  /** Globs (relative to cwd) a file must match; empty means every file. */
  include: readonly string[];
  /** Globs (relative to cwd) that remove files and whole directories. */
  exclude: readonly string[];
  /** Honour .gitignore and .keywardenignore files. */
  useIgnoreFiles: boolean;
}

export interface DiscoveredFile {
  absolutePath: string;
  /** Posix path relative to cwd: what findings show. */
  displayPath: string;
}

export type DiscoveryEvent = { kind: 'file'; file: DiscoveredFile } | { kind: 'skipped'; skipped: SkippedFile };

/** Never worth reading: git's object store is compressed, and its working copies are scanned anyway. */
const ALWAYS_SKIPPED_DIRS = new Set(['.git', '.hg', '.svn']);

export function toDisplayPath(cwd: string, absolutePath: string): string {
  const relative = path.relative(cwd, absolutePath);
  return (relative === '' ? path.basename(absolutePath) : relative).split(path.sep).join('/');
}

export function compileGlobs(globs: readonly string[], flag: string): (relative: string) => boolean {
  if (globs.length === 0) return () => false;
  for (const glob of globs) {
    if (glob.trim() === '') throw new UsageError(`${flag}: empty glob`);
    try {
      picomatch.makeRe(glob, { dot: true, strictBrackets: true });
    } catch (error) {
      throw new UsageError(`${flag}: invalid glob "${glob}": ${(error as Error).message}`);
    }
  }
  // A bare name such as `vendor` or `*.min.js` matches at any depth, as in .gitignore.
  const expanded = globs.flatMap((glob) => (glob.includes('/') ? [glob, `${glob}/**`] : [glob, `**/${glob}`, `**/${glob}/**`]));
  return picomatch(expanded, { dot: true });
}

interface WalkState {
  options: DiscoverOptions;
  isIncluded: (relative: string) => boolean;
  isExcluded: (relative: string) => boolean;
  ignoreNames: readonly string[];
  /** Real paths of the directories on the current descent, to spot symlink loops. */
  ancestors: Set<string>;
  /** Real paths of every file already yielded: a file reached twice through links is scanned once. */
  seenFiles: Set<string>;
}

function fileEvent(state: WalkState, absolutePath: string): DiscoveryEvent | undefined {
  const displayPath = toDisplayPath(state.options.cwd, absolutePath);
  if (state.isExcluded(displayPath)) return undefined;
  if (state.options.include.length > 0 && !state.isIncluded(displayPath)) return undefined;
  return { kind: 'file', file: { absolutePath, displayPath } };
}

async function* walkDirectory(state: WalkState, dir: string, ignores: IgnoreStack): AsyncGenerator<DiscoveryEvent> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (error) {
    yield { kind: 'skipped', skipped: { path: toDisplayPath(state.options.cwd, dir), reason: 'unreadable', detail: (error as Error).message } };
    return;
  }
  if (state.ancestors.has(real)) {
    yield { kind: 'skipped', skipped: { path: toDisplayPath(state.options.cwd, dir), reason: 'symlink-loop', detail: `links back to ${real}` } };
    return;
  }
  state.ancestors.add(real);
  try {
    const layer = await ignores.enter(dir, state.ignoreNames);
    let entries: Dirent[];
    try {
      entries = [];
      for await (const entry of await opendir(dir)) entries.push(entry);
    } catch (error) {
      yield { kind: 'skipped', skipped: { path: toDisplayPath(state.options.cwd, dir), reason: 'unreadable', detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message } };
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolutePath = path.join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(absolutePath);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ELOOP') {
            yield { kind: 'skipped', skipped: { path: toDisplayPath(state.options.cwd, absolutePath), reason: 'symlink-loop' } };
          }
          // A dangling link points at nothing to scan.
          continue;
        }
      }
      if (isDirectory) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name)) continue;
        if (layer.ignores(absolutePath, true)) continue;
        if (state.isExcluded(toDisplayPath(state.options.cwd, absolutePath))) continue;
        yield* walkDirectory(state, absolutePath, layer);
      } else if (isFile) {
        if (layer.ignores(absolutePath, false)) continue;
        const event = fileEvent(state, absolutePath);
        if (!event || event.kind !== 'file') continue;
        const realFile = entry.isSymbolicLink() ? await realpath(absolutePath).catch(() => absolutePath) : absolutePath;
        if (state.seenFiles.has(realFile)) continue;
        state.seenFiles.add(realFile);
        yield event;
      }
    }
  } finally {
    state.ancestors.delete(real);
  }
}

/** Ignore files between cwd and a directory argument apply to it, as git applies a parent's .gitignore. */
async function ancestorIgnores(cwd: string, dir: string, names: readonly string[]): Promise<IgnoreStack> {
  let stack = IgnoreStack.empty();
  const relative = path.relative(cwd, dir);
  if (names.length === 0 || relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return stack;
  let current = cwd;
  for (const part of relative.split(path.sep).slice(0, -1)) {
    stack = await stack.enter(current, names);
    current = path.join(current, part);
  }
  return stack.enter(current, names);
}

/**
 * Lists the files to scan under `paths` (files, directories or globs), sorted and deduplicated,
 * with what was passed over and why. Paths named explicitly are scanned even if ignored, as in git.
 */
export async function* discover(paths: readonly string[], options: DiscoverOptions): AsyncGenerator<DiscoveryEvent> {
  const state: WalkState = {
    options,
    isIncluded: compileGlobs(options.include, '--include'),
    isExcluded: compileGlobs(options.exclude, '--exclude'),
    ignoreNames: options.useIgnoreFiles ? IGNORE_FILE_NAMES : [],
    ancestors: new Set(),
    seenFiles: new Set(),
  };
  for (const given of paths) {
    const absolute = path.resolve(options.cwd, given);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && fg.isDynamicPattern(given)) {
        const matches = await fg(given, { cwd: options.cwd, dot: true, absolute: true, onlyFiles: true, ignore: ['**/.git/**'] });
        if (matches.length === 0) throw new UsageError(`no files match "${given}"`);
        for (const match of matches.sort()) {
          const event = fileEvent(state, path.normalize(match));
          if (event && !state.seenFiles.has(match)) {
            state.seenFiles.add(match);
            yield event;
          }
        }
        continue;
      }
      if (code === 'ENOENT') throw new UsageError(`path not found: ${given}`);
      if (code === 'ELOOP') {
        yield { kind: 'skipped', skipped: { path: toDisplayPath(options.cwd, absolute), reason: 'symlink-loop' } };
        continue;
      }
      throw new UsageError(`cannot read ${given}: ${code ?? (error as Error).message}`);
    }
    if (info.isDirectory()) {
      yield* walkDirectory(state, absolute, await ancestorIgnores(options.cwd, absolute, state.ignoreNames));
    } else if (!state.seenFiles.has(absolute)) {
      state.seenFiles.add(absolute);
      yield { kind: 'file', file: { absolutePath: absolute, displayPath: toDisplayPath(options.cwd, absolute) } };
    }
  }
}
