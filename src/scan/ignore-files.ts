import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { readRegularFile } from '../fs/read-regular-file.js';

/** Ignore files read in every directory, gitignore syntax. */
export const IGNORE_FILE_NAMES = ['.gitignore', '.keywardenignore'] as const;

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
    let rules: Ignore | undefined;
    for (const name of names) {
      let content: string;
      try {
        // Not readFile: an ignore file in a scanned tree may be a FIFO, a link to a device or huge.
        // One that cannot be read is not applied: more is scanned, never less.
        content = await readRegularFile(path.join(dir, name));
      } catch {
        continue;
      }
      rules ??= ignore();
      rules.add(content);
    }
    return rules ? new IgnoreStack([...this.layers, { dir, rules }]) : this;
  }

  ignores(absolutePath: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const layer of this.layers) {
      const relative = path.relative(layer.dir, absolutePath).split(path.sep).join('/');
      if (!relative || relative.startsWith('..')) continue;
      const verdict = layer.rules.test(isDirectory ? `${relative}/` : relative);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }
}
