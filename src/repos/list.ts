import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

/** One repository a line; blank lines and `#` comments are skipped; each kept as given (trimmed). */
export function parseRepoList(text: string): string[] {
  const repos: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    repos.push(line);
  }
  return repos;
}

/** True for something git reaches over a transport (scheme://, scp-like user@host:path); else a local path. */
export function isRemoteUrl(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/\\:@]+@[^/\\:]+:/.test(repo);
}

/**
 * The same repository spelled two ways hashes the same: no trailing slashes or ".git", a
 * lower-case scheme and host. Paths and URLs keep their case otherwise (GitHub paths are
 * case-insensitive, but other hosts' are not).
 */
export function normaliseRepo(repo: string): string {
  let value = repo
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  const scheme = /^([a-z][a-z0-9+.-]*:\/\/)([^/]*)(.*)$/i.exec(value);
  if (scheme) value = `${scheme[1]!.toLowerCase()}${scheme[2]!.toLowerCase()}${scheme[3]}`;
  return value;
}

export interface Shard {
  index: number;
  count: number;
}

const MAX_SHARDS = 100_000;

/** "K/N" with 1 <= K <= N; anything else is one usage line. */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || count > MAX_SHARDS || index < 1 || index > count)
    throw new UsageError(`--shard: "${value}" must be K/N with 1 <= K <= N <= ${MAX_SHARDS}, e.g. --shard 2/4`);
  return { index, count };
}

/** Which shard (1..N) a repository belongs to: SHA-256 of its normalised form, so every process agrees without talking. */
export function shardOf(repo: string, count: number): number {
  const digest = createHash('sha256').update(normaliseRepo(repo)).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** This shard's repositories, in list order; the N shards together hold each listed repository exactly once. */
export function selectShard(repos: readonly string[], shard: Shard | undefined): string[] {
  if (!shard) return [...repos];
  return repos.filter((repo) => shardOf(repo, shard.count) === shard.index);
}
