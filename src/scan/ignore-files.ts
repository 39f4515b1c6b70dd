import { lstat } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { readRegularFile } from '../fs/read-regular-file.js';

/** Ignore files read in every directory, gitignore syntax. */
export const IGNORE_FILE_NAMES = ['.gitignore', '.keywardenignore'] as const;

/**
 * path.relative as a posix path, by slicing when `absolutePath` lies under `dir` as written (the
 * walk builds both from one normal root; anything else, such as another letter case on Windows,
 * goes through path.relative): asked for every entry of a walk, once per ignore-file layer.
 */
function relativePosix(dir: string, absolutePath: string): string {
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  const relative = absolutePath.startsWith(prefix) ? absolutePath.slice(prefix.length) : path.relative(dir, absolutePath);
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

interface Layer {
  /** Directory the rules are relative to, absolute. */
  dir: string;
  rules: Ignore;
}

/**
 * The stack of ignore rules in force while walking down a tree: each directory may add a layer,
 * and a path is ignored when the nearest layer that has an opinion says so (gitignore semantics,
 * negations included, via the `ignore` package).
 */
export class IgnoreStack {
  private constructor(private readonly layers: readonly Layer[]) {}

  static empty(): IgnoreStack {
    return new IgnoreStack([]);
  }

  /** Adds the layer for `dir` if it has ignore files; `names` empty means gitignore handling is off. */
  async enter(dir: string, names: readonly string[]): Promise<IgnoreStack> {
    const contents: string[] = [];
    for (const name of names) {
      try {
        // Not readFile: an ignore file in a scanned tree may be a FIFO, a link to a device or huge.
        // One that cannot be read is not applied: more is scanned, never less.
        contents.push(await readRegularFile(path.join(dir, name)));
      } catch {
        continue;
      }
    }
    return this.enterWith(dir, contents);
  }

  /** Adds the layer for `dir` from ignore-file contents already read (none: no layer). */
  enterWith(dir: string, contents: readonly string[]): IgnoreStack {
    if (contents.length === 0) return this;
    const rules = ignore();
    for (const content of contents) rules.add(content);
    return new IgnoreStack([...this.layers, { dir, rules }]);
  }

  /** No ignore file so far: nothing is ignored (a git history asks this for every changed path). */
  get isEmpty(): boolean {
    return this.layers.length === 0;
  }

  ignores(absolutePath: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const layer of this.layers) {
      const relative = relativePosix(layer.dir, absolutePath);
      // Outside this layer's directory (a file named `..env` is inside it).
      if (!relative || relative === '..' || relative.startsWith('../') || path.isAbsolute(relative)) continue;
      const verdict = layer.rules.test(isDirectory ? `${relative}/` : relative);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }
}

/**
 * Ignore files kept somewhere other than the work tree (e.g. a commit's tree): `dir` is posix and
 * relative to the root ('' for the root itself); undefined when that directory has no such file.
 */
export interface IgnoreFileReader {
  read(dir: string, name: string): Promise<string | undefined>;
}

/** The rules in force inside one directory, as a walk from the root would have them. */
interface DirectoryRules {
  stack: IgnoreStack;
  /** The directory itself is ignored: a walk never enters it, so nothing below it is scanned. */
  ignored: boolean;
  /** A real directory all the way down from the root; below a link or a missing one no ignore file is read. */
  real: boolean;
}

async function isRealDirectory(dir: string): Promise<boolean> {
  try {
    return (await lstat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Answers "would a walk from `root` pass over this path?" for paths known without walking (git's
 * changed files): builds the same IgnoreStack layers as discover's walk, lazily, once per directory.
 * A directory's ignore files are read only when something below it is asked about, and never in an
 * ignored directory, since a walk would not enter it either (so a deeper `!x` cannot revive it).
 */
export class IgnoreTree {
  private readonly directories = new Map<string, Promise<DirectoryRules>>();
  /** The same rules once built, for answers without a promise. */
  private readonly resolved = new Map<string, DirectoryRules>();

  /** `names` empty means ignore files are off: nothing is ignored and nothing is read. `reader`: read them from there, not the work tree. */
  constructor(
    private readonly root: string,
    private readonly names: readonly string[],
    private readonly reader?: IgnoreFileReader,
  ) {}

  /**
   * `relative`: a file's posix path relative to the root, as git prints it. Answered at once (no
   * promise) when its directory's rules are known already: a history asks this for every change.
   */
  ignores(relative: string): boolean | Promise<boolean> {
    if (this.names.length === 0) return false;
    const slash = relative.lastIndexOf('/');
    const dir = slash < 0 ? '' : relative.slice(0, slash);
    const known = this.resolved.get(dir);
    if (known) return this.verdict(known, relative);
    return this.rulesFor(dir).then((rules) => this.verdict(rules, relative));
  }

  private verdict(rules: DirectoryRules, relative: string): boolean {
    return rules.ignored || (!rules.stack.isEmpty && rules.stack.ignores(this.absolute(relative), false));
  }

  private absolute(relative: string): string {
    return relative === '' ? this.root : path.join(this.root, ...relative.split('/'));
  }

  /** Cached as promises so concurrent questions about one directory read its ignore files once. */
  private rulesFor(dir: string): Promise<DirectoryRules> {
    let rules = this.directories.get(dir);
    if (!rules) {
      rules = this.build(dir);
      this.directories.set(dir, rules);
      rules.then(
        (built) => this.resolved.set(dir, built),
        () => undefined,
      );
    }
    return rules;
  }

  /** The layer a directory adds: from the reader when there is one (its trees hold no links), else from disk. */
  private async enter(stack: IgnoreStack, dir: string): Promise<IgnoreStack> {
    const absolute = this.absolute(dir);
    if (!this.reader) return stack.enter(absolute, this.names);
    const contents: string[] = [];
    for (const name of this.names) {
      const content = await this.reader.read(dir, name);
      if (content !== undefined) contents.push(content);
    }
    return stack.enterWith(absolute, contents);
  }

  private async build(dir: string): Promise<DirectoryRules> {
    const absolute = this.absolute(dir);
    if (dir === '') return { stack: await this.enter(IgnoreStack.empty(), ''), ignored: false, real: true };
    const slash = dir.lastIndexOf('/');
    const parent = await this.rulesFor(slash < 0 ? '' : dir.slice(0, slash));
    if (parent.ignored) return parent;
    if (parent.stack.ignores(absolute, true)) return { ...parent, ignored: true };
    // git never tracks a path through a symlink: a link here (perhaps out of the work tree) holds no rules for it.
    const real = parent.real && (this.reader !== undefined || (await isRealDirectory(absolute)));
    return { stack: real ? await this.enter(parent.stack, dir) : parent.stack, ignored: false, real };
  }
}
