import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '../git/run.js';
import { isRemoteUrl, normaliseRepo } from './list.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** $XDG_CACHE_HOME/keywarden/repos, else ~/.cache/keywarden/repos. */
export function defaultRepoCacheDir(env: Env): string {
  const base =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'keywarden', 'repos');
}

/** A directory name per repository: readable (its last path part) and unique (a hash of the normalised form). */
export function mirrorDirName(repo: string): string {
  const normalised = normaliseRepo(repo);
  const hash = createHash('sha256').update(normalised).digest('hex').slice(0, 16);
  const base = (normalised.split(/[/\\:]/).pop() ?? 'repo').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60) || 'repo';
  return `${base}-${hash}.git`;
}

export interface Mirror {
  dir: string;
  /** What was done to bring it up to date. */
  action: 'cloned' | 'fetched';
}

/**
 * Brings a bare mirror of `repo` up to date under `cacheDir`: `git clone --mirror` the first time
 * (into a temporary name, renamed when complete, so a failed clone leaves nothing half-made),
 * `git fetch --prune` afterwards. Transports are allowed only here, and only the ones the
 * repository's spelling needs: `file` for a local path, https/ssh/git for a URL (the scan that
 * follows runs with every transport off, as always).
 */
export async function mirrorRepository(repo: string, cacheDir: string, context: { cwd: string; env: Env }): Promise<Mirror> {
  const remote = isRemoteUrl(repo);
  const source = remote ? repo : path.resolve(context.cwd, repo);
  const allowProtocols = remote ? (/^file:/i.test(repo) ? 'file' : 'https:ssh:git') : 'file';
  const dir = path.join(cacheDir, mirrorDirName(repo));
  if (existsSync(path.join(dir, 'HEAD'))) {
    await runGit({ cwd: dir, env: context.env, allowProtocols }, ['fetch', '--prune', '--quiet', 'origin']);
    return { dir, action: 'fetched' };
  }
  await mkdir(cacheDir, { recursive: true });
  const partial = `${dir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  try {
    // "--" so a repository spelled like an option can never be read as one.
    await runGit({ cwd: cacheDir, env: context.env, allowProtocols }, ['clone', '--mirror', '--quiet', '--', source, partial]);
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return { dir, action: 'cloned' };
}
