import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { SkippedFile } from '../core/types.js';
import { UsageError } from '../errors.js';
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
  /**
   * Set for a file the walk reached without passing through a symlink: the directory argument it
   * was found under and its posix path from there (what a `git grep` run in that directory names it).
   */
  underRoot?: { root: string; relative: string };
}

export type DiscoveryEvent = { kind: 'file'; file: DiscoveredFile } | { kind: 'skipped'; skipped: SkippedFile };

/** Never worth reading: git's object store is compressed, and its working copies are scanned anyway. */
const ALWAYS_SKIPPED_DIRS = new Set(['.git', '.hg', '.svn']);

function toDisplayPath(cwd: string, absolutePath: string): string {
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
  /**
   * Real paths of the files named as arguments or matched by a glob, and of the files yielded through
   * a link: a file reached twice is scanned once. Files the walk reaches directly are not kept (a
   * tree of a million files would hold a million paths): whether one was yielded is worked out again
   * from its directory's entry in walkedDirs.
   */
  seenFiles: Set<string>;
  /** The directories already walked, by real path: one entry per directory, never per file. */
  walkedDirs: Map<string, WalkedDirectory>;
}

interface WalkedDirectory {
  dir: string;
  display: string;
  /** Undefined until the directory's entries were read (a directory that cannot be read yielded nothing). */
  layer?: IgnoreStack;
}

/** Whether the walk yielded the regular file at real path `real` from its own directory. */
function yieldedByWalk(state: WalkState, real: string): boolean {
  const walked = state.walkedDirs.get(path.dirname(real));
  if (!walked?.layer) return false;
  const name = path.basename(real);
  const absolutePath = path.join(walked.dir, name);
  if (walked.layer.ignores(absolutePath, false)) return false;
  return fileEvent(state, absolutePath, childDisplay(walked.display, name)) !== undefined;
}

function fileEvent(
  state: WalkState,
  absolutePath: string,
  displayPath = toDisplayPath(state.options.cwd, absolutePath),
): DiscoveryEvent | undefined {
  if (state.options.exclude.length > 0 && state.isExcluded(displayPath)) return undefined;
  if (state.options.include.length > 0 && !state.isIncluded(displayPath)) return undefined;
  return { kind: 'file', file: { absolutePath, displayPath } };
}

/** A directory waiting to be read, with what is known about the path that led to it. */
interface PendingDirectory {
  dir: string;
  /** Its real path: the parent's real path plus its name, unless it was reached through a link. */
  real: string;
  /** Real paths of the directories above it: a link back into one of them is a loop. */
  ancestors: readonly string[];
  /** Its display path (relative to cwd, posix), '' for cwd itself: children's paths are built from it. */
  display: string;
  ignores: IgnoreStack;
  /** Its posix path from the walk's root when no link led to it ('' for the root), undefined otherwise. */
  underRoot: string | undefined;
}

function isWithin(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** What a special file is, for the skip's detail; without following it further than stat does. */
function specialKind(absolutePath: string): string {
  try {
    const info = statSync(absolutePath);
    if (info.isFIFO()) return 'a FIFO';
    if (info.isSocket()) return 'a socket';
    if (info.isCharacterDevice()) return 'a character device';
    if (info.isBlockDevice()) return 'a block device';
  } catch {
    // gone, or a link to nothing: still not a regular file
  }
  return 'not a regular file';
}

const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * path.join for a directory's entry, whose parent path is already normal and whose name holds no
 * separator: join's normalizing was a third of a walk's time.
 */
function childPath(parent: string, name: string): string {
  return parent.endsWith(path.sep) ? parent + name : parent + path.sep + name;
}

function childDisplay(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

/**
 * Depth-first walk with an explicit stack (no nested async generators: each file would otherwise
 * pass through one generator per directory level). Only symlinked directories cost a realpath().
 * Directory reads are synchronous: a walk is thousands of small calls, and a round trip through
 * libuv's thread pool for each left the main thread idle for a third of a large scan, while the
 * scan workers it feeds run on their own threads anyway.
 */
async function* walkTree(state: WalkState, root: string, rootIgnores: IgnoreStack): AsyncGenerator<DiscoveryEvent> {
  const skip = (dir: string, reason: SkippedFile['reason'], detail?: string): DiscoveryEvent => ({
    kind: 'skipped',
    skipped: { path: toDisplayPath(state.options.cwd, dir), reason, ...(detail ? { detail } : {}) },
  });
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch (error) {
    yield skip(root, 'unreadable', (error as Error).message);
    return;
  }
  const rootDisplay = path.relative(state.options.cwd, root).split(path.sep).join('/');
  const stack: PendingDirectory[] = [
    { dir: root, real: rootReal, ancestors: [], ignores: rootIgnores, display: rootDisplay, underRoot: '' },
  ];
  // What links inside the tree lead to is walked last, so a file is reported under its own path
  // when the tree holds both, and only once.
  const linkedDirectories: PendingDirectory[] = [];
  const linkedFiles: Array<{ real: string; event: DiscoveryEvent }> = [];
  while (stack.length > 0 || linkedDirectories.length > 0) {
    if (stack.length === 0) stack.push(linkedDirectories.shift()!);
    const current = stack.pop()!;
    // A directory reached again through a link inside the tree is walked once.
    if (state.walkedDirs.has(current.real)) continue;
    const walked: WalkedDirectory = { dir: current.dir, display: current.display };
    state.walkedDirs.set(current.real, walked);
    let entries: Dirent[];
    try {
      entries = readdirSync(current.dir, { withFileTypes: true });
    } catch (error) {
      yield skip(current.dir, 'unreadable', (error as NodeJS.ErrnoException).code ?? (error as Error).message);
      continue;
    }
    entries.sort(byName);
    const names = state.ignoreNames.filter((name) => entries.some((entry) => entry.name === name));
    const layer = names.length > 0 ? await current.ignores.enter(current.dir, names) : current.ignores;
    walked.layer = layer;
    const ancestors = [...current.ancestors, current.real];
    const subdirectories: PendingDirectory[] = [];
    for (const entry of entries) {
      const absolutePath = childPath(current.dir, entry.name);
      const display = childDisplay(current.display, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let real = childPath(current.real, entry.name);
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(absolutePath);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
          real = realpathSync(absolutePath);
        } catch (error) {
          // A dangling link points at nothing to scan; a link that resolves to itself is a loop.
          if ((error as NodeJS.ErrnoException).code === 'ELOOP') yield skip(absolutePath, 'symlink-loop');
          continue;
        }
      }
      // A link out of the directory being scanned is not followed: a committed `creds -> ~/.aws/credentials`
      // or `all -> /` would make a CI scan of an untrusted pull request read and report the runner's
      // own files. The target path is not shown, so the report cannot be used to probe the host.
      const leavesRoot = entry.isSymbolicLink() && !isWithin(rootReal, real);
      const outsideRoot = () => skip(absolutePath, 'outside-root', 'links outside the scanned directory');
      if (isDirectory) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || layer.ignores(absolutePath, true)) continue;
        if (state.options.exclude.length > 0 && state.isExcluded(display)) continue;
        if (leavesRoot) {
          yield outsideRoot();
          continue;
        }
        if (ancestors.includes(real)) {
          yield skip(absolutePath, 'symlink-loop', `links back to ${real}`);
          continue;
        }
        const underRoot =
          entry.isSymbolicLink() || current.underRoot === undefined ? undefined : childDisplay(current.underRoot, entry.name);
        const pending = { dir: absolutePath, real, ancestors, ignores: layer, display, underRoot };
        if (entry.isSymbolicLink()) linkedDirectories.push(pending);
        else subdirectories.push(pending);
      } else if (isFile) {
        if (layer.ignores(absolutePath, false)) continue;
        const event = fileEvent(state, absolutePath, display);
        if (!event) continue;
        if (leavesRoot) {
          yield outsideRoot();
          continue;
        }
        if (entry.isSymbolicLink()) {
          linkedFiles.push({ real, event });
          continue;
        }
        if (state.seenFiles.has(real)) continue;
        // Under a linked directory: remembered, as a link to this file may come later.
        if (current.underRoot === undefined) state.seenFiles.add(real);
        else if (event.kind === 'file') event.file.underRoot = { root, relative: childDisplay(current.underRoot, entry.name) };
        yield event;
      } else {
        // A FIFO, socket or device: never opened (a FIFO blocks a reader), but listed, as every skipped file is.
        if (layer.ignores(absolutePath, false) || !fileEvent(state, absolutePath, display)) continue;
        yield leavesRoot ? outsideRoot() : skip(absolutePath, 'not-regular', specialKind(absolutePath));
      }
    }
    // Reversed onto the stack so directories are visited in name order.
    for (let i = subdirectories.length - 1; i >= 0; i--) stack.push(subdirectories[i]!);
  }
  for (const { real, event } of linkedFiles) {
    if (state.seenFiles.has(real) || yieldedByWalk(state, real)) continue;
    state.seenFiles.add(real);
    yield event;
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
 * with what was passed over and why. Paths named explicitly (files and directories) are scanned
 * even if ignored, as in ripgrep: ignore rules apply to what the walk finds inside directories.
 */
export async function* discover(paths: readonly string[], options: DiscoverOptions): AsyncGenerator<DiscoveryEvent> {
  const state: WalkState = {
    options,
    isIncluded: compileGlobs(options.include, '--include'),
    isExcluded: compileGlobs(options.exclude, '--exclude'),
    ignoreNames: options.useIgnoreFiles ? IGNORE_FILE_NAMES : [],
    seenFiles: new Set(),
    walkedDirs: new Map(),
  };
  for (const given of paths) {
    const absolute = path.resolve(options.cwd, given);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && picomatch.scan(given).isGlob) {
        // Loaded only for glob arguments: it is the largest module of a plain scan's start-up.
        const { default: fg } = await import('fast-glob');
        // followSymbolicLinks: false, as in the walk: a committed link to `/` or to a home directory must
        // not pull the host's files into the scan (the cost: links to files are not glob matches).
        const matches = await fg(given, {
          cwd: options.cwd,
          dot: true,
          absolute: true,
          onlyFiles: true,
          followSymbolicLinks: false,
          ignore: ['**/.git/**'],
        });
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
      if (code === 'ENAMETOOLONG') throw new UsageError(`path longer than the operating system allows (ENAMETOOLONG): ${given}`);
      if (code === 'ELOOP') {
        yield { kind: 'skipped', skipped: { path: toDisplayPath(options.cwd, absolute), reason: 'symlink-loop' } };
        continue;
      }
      throw new UsageError(`cannot read ${given}: ${code ?? (error as Error).message}`);
    }
    if (info.isDirectory()) {
      const above = await ancestorIgnores(options.cwd, absolute, state.ignoreNames);
      // A directory the user names is scanned even if an ignore file above it ignores it, as ripgrep
      // does; the rules above it would then ignore everything inside, so only its own ignore files apply.
      yield* walkTree(state, absolute, above.ignores(absolute, true) ? IgnoreStack.empty() : above);
    } else if (!state.seenFiles.has(absolute)) {
      state.seenFiles.add(absolute);
      yield { kind: 'file', file: { absolutePath: absolute, displayPath: toDisplayPath(options.cwd, absolute) } };
    }
  }
}
