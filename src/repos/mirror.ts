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

/**
 * A GitHub token and the one host it may go to: the listing's own GitHub (github.com for
 * api.github.com, the server itself for GitHub Enterprise), so a clone URL on any other host,
 * whatever a listing says, never receives it.
 */
export interface GitHubCredential {
  value: string;
  /** Lower-case host name, without the port. */
  host: string;
}

const hostOf = (origin: string) => new URL(origin).hostname.toLowerCase();

/** x-access-token works for classic, fine-grained and GitHub App installation tokens alike. */
const basicAuth = (token: string) => Buffer.from(`x-access-token:${token}`).toString('base64');

/**
 * The environment for a clone or fetch that sends a GitHub token: an `http.<origin>/.extraHeader`
 * scoped to the repository's own https origin, given through GIT_CONFIG_COUNT/KEY/VALUE (git 2.31+).
 * Like `git -c`, that config lives only in this process (never in the mirror's config file), and
 * unlike `-c` it is not in the command line other users can list. http:// never gets the token.
 */
export function tokenEnv(env: Env, repo: string, token: GitHubCredential | undefined): Env {
  const origin = /^https:\/\/[^/?#]+/i.exec(repo)?.[0];
  if (!token || !origin || hostOf(origin) !== token.host) return env;
  const count = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  return {
    ...env,
    GIT_CONFIG_COUNT: String(count + 1),
    [`GIT_CONFIG_KEY_${count}`]: `http.${origin.toLowerCase()}/.extraHeader`,
    [`GIT_CONFIG_VALUE_${count}`]: `Authorization: Basic ${basicAuth(token.value)}`,
  };
}

/** A git error with the token (and its Basic form) cut out, should git ever echo it. */
function withoutToken(error: unknown, credential: GitHubCredential | undefined): unknown {
  const token = credential?.value;
  if (!token || !(error instanceof Error)) return error;
  error.message = error.message.replaceAll(token, '***').replaceAll(basicAuth(token), '***');
  return error;
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
 * follows runs with every transport off, as always). A `token` (from a GitHub listing) is sent
 * to an https repository's host only (see tokenEnv).
 */
export async function mirrorRepository(
  repo: string,
  cacheDir: string,
  context: { cwd: string; env: Env; token?: GitHubCredential | undefined },
): Promise<Mirror> {
  try {
    return await mirror(repo, cacheDir, { cwd: context.cwd, env: tokenEnv(context.env, repo, context.token) });
  } catch (error) {
    throw withoutToken(error, context.token);
  }
}

async function mirror(repo: string, cacheDir: string, context: { cwd: string; env: Env }): Promise<Mirror> {
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
