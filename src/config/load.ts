import path from 'node:path';
import { readRegularFile } from '../fs/read-regular-file.js';
import { ConfigError, validateConfig, type KeywardenConfig } from './schema.js';

/** Looked for in each directory from cwd up to the filesystem root, first found wins (like ESLint/Prettier). */
export const CONFIG_FILE_NAMES = ['keywarden.config.json', '.keywardenrc.json', '.keywardenrc', 'package.json'] as const;

export interface LoadedConfig {
  config: KeywardenConfig;
  /** Absolute path of the file it came from; undefined when none was found. */
  path?: string;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`${where}: invalid JSON: ${(error as Error).message}`);
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    // A config found by searching upward may sit in an untrusted checkout: never a FIFO or device.
    return await readRegularFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigError(`${file}: cannot read: ${code ?? (error as Error).message}`);
  }
}

/** A config file's text, validated; undefined for a package.json without a "keywarden" key. `file` is where it counts as found. */
export function parseConfigText(text: string, file: string, display: string): LoadedConfig | undefined {
  const raw = parseJson(text, display);
  if (path.basename(file) === 'package.json') {
    const section = (raw as Record<string, unknown> | null)?.keywarden;
    if (section === undefined) return undefined;
    return { config: validateConfig(section, `${display} "keywarden"`), path: file };
  }
  return { config: validateConfig(raw, display), path: file };
}

async function loadFile(file: string, display: string): Promise<LoadedConfig | undefined> {
  const text = await readIfExists(file);
  return text === undefined ? undefined : parseConfigText(text, file, display);
}

/** Loads the config named by --config, or searches upward from `cwd`. */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    const loaded = await loadFile(file, explicit);
    if (!loaded) throw new ConfigError(`${explicit}: config file not found`);
    return loaded;
  }
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const loaded = await loadFile(path.join(dir, name), path.relative(cwd, path.join(dir, name)) || name);
      if (loaded) return loaded;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { config: {} };
    dir = parent;
  }
}
