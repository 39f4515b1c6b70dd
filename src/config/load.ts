import { realpathSync } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../fs/read-regular-file.js';
import { jsonErrorWhere } from './json-error.js';
import { isInsideRoot, repositoryRoot } from '../fs/inside-root.js';
import { ConfigError, validateConfig, type KeywardenConfig } from './schema.js';

/**
 * Looked for in each directory from cwd up to the workspace root (the git top level, or cwd outside
 * git), first found wins (like ESLint/Prettier). A checkout is untrusted: a config found by this
 * search must really be inside the workspace, not a link to a file elsewhere on the machine.
 */
export const CONFIG_FILE_NAMES = ['keywarden.config.json', '.keywardenrc.json', '.keywardenrc', 'package.json'] as const;

export interface LoadedConfig {
  config: KeywardenConfig;
  /** Absolute path of the file it came from; undefined when none was found. */
  path?: string;
  /**
   * Where files the config names (its "baseline") must stay: the workspace root, or for a config
   * given with --config outside the workspace, that file's own directory.
   */
  root: string;
}

/** The message gives the position only: the text around it may come from a file that is not the user's. */
function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`${where}: invalid JSON (${jsonErrorWhere(text.replace(/^\uFEFF/, ''), error)})`);
  }
}

/** The file's real path, or undefined when it does not exist. */
function resolveIfExists(file: string, display: string): string | undefined {
  try {
    return realpathSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigError(`${display}: cannot read: ${code ?? 'unknown error'}`);
  }
}

async function read(file: string, display: string): Promise<string> {
  try {
    // Never a FIFO or device: opening one could block or never end.
    return await readRegularFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${display}: cannot read: ${code ?? (error as Error).message}`);
  }
}

/** Reads `real`; `file` is the path as found (a config's relative "baseline" is resolved from its directory). */
async function loadFile(file: string, real: string, display: string, root: string): Promise<LoadedConfig | undefined> {
  return parseConfigText(await read(real, display), file, display, root);
}

/**
 * A config file's text, validated; undefined for a package.json without a "keywarden" key. `file`
 * is where it counts as found (the Action reads a base commit's config from git, not from disk).
 */
export function parseConfigText(text: string, file: string, display: string, root: string): LoadedConfig | undefined {
  const raw = parseJson(text, display);
  if (path.basename(file) === 'package.json') {
    const section = (raw as Record<string, unknown> | null)?.keywarden;
    if (section === undefined) return undefined;
    return { config: validateConfig(section, `${display} "keywarden"`), path: file, root };
  }
  return { config: validateConfig(raw, display), path: file, root };
}

/** Loads the config named by --config (which may be anywhere: the user typed it), or searches upward from `cwd`. */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  const root = repositoryRoot(cwd);
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    const real = resolveIfExists(file, explicit);
    const loaded = real && (await loadFile(file, real, explicit, isInsideRoot(real, root) ? root : path.dirname(real)));
    if (!loaded) throw new ConfigError(`${explicit}: config file not found`);
    return loaded;
  }
  const start = realpathSync(cwd);
  for (let dir = start; ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const display = path.relative(start, path.join(dir, name)) || name;
      const real = resolveIfExists(path.join(dir, name), display);
      if (!real) continue;
      if (!isInsideRoot(real, root)) {
        throw new ConfigError(
          `${display}: config file leads outside the repository (a link?); refusing to read it (name it with --config to use it)`,
        );
      }
      const loaded = await loadFile(path.join(dir, name), real, display, root);
      if (loaded) return loaded;
    }
    if (dir === root || path.dirname(dir) === dir) return { config: {}, root };
  }
}
