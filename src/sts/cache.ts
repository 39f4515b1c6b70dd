import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';

/**
 * Opt-in on-disk cache of key id -> account answers from STS GetAccessKeyInfo (--sts-cache).
 * A key id's account never changes, so answers keep; the TTL only bounds how stale a file can get.
 * Entries are keyed by a hash of the key id: ids are not secret, but the cache need not list them.
 * The file is the user's alone (0600, in a 0700 directory) and replaced atomically.
 */

const CACHE_VERSION = 1;
const DEFAULT_CACHE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

interface CacheEntry {
  account: string;
  /** Epoch milliseconds of the STS answer. */
  resolvedAt: number;
}

interface CacheFile {
  version: typeof CACHE_VERSION;
  entries: Record<string, CacheEntry>;
}

/** $XDG_CACHE_HOME/keywarden/accounts.json, else ~/.cache/keywarden/accounts.json. */
export function defaultCachePath(env: Readonly<Record<string, string | undefined>>): string {
  const base =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'keywarden', 'accounts.json');
}

function entryKey(keyId: string): string {
  return createHash('sha256').update(`keywarden-sts-account:${keyId}`).digest('hex');
}

function isEntry(value: unknown): value is CacheEntry {
  const entry = value as CacheEntry;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.account === 'string' &&
    /^\d{12}$/.test(entry.account) &&
    Number.isFinite(entry.resolvedAt)
  );
}

export class AccountCache {
  private dirty = false;

  private constructor(
    readonly file: string,
    private readonly entries: Map<string, CacheEntry>,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** A missing, unreadable or foreign file is an empty cache: the next save replaces it. */
  static async load(file: string, options: { ttlMs?: number; now?: () => number } = {}): Promise<AccountCache> {
    const entries = new Map<string, CacheEntry>();
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<CacheFile>;
      if (parsed.version === CACHE_VERSION && typeof parsed.entries === 'object' && parsed.entries !== null) {
        for (const [key, entry] of Object.entries(parsed.entries)) if (isEntry(entry)) entries.set(key, entry);
      }
    } catch {
      // Nothing cached yet (or garbage): start empty.
    }
    return new AccountCache(file, entries, options.ttlMs ?? DEFAULT_CACHE_TTL_MS, options.now ?? Date.now);
  }

  get(keyId: string): string | undefined {
    const entry = this.entries.get(entryKey(keyId));
    if (!entry || this.now() - entry.resolvedAt > this.ttlMs) return undefined;
    return entry.account;
  }

  set(keyId: string, account: string): void {
    this.entries.set(entryKey(keyId), { account, resolvedAt: this.now() });
    this.dirty = true;
  }

  /** Writes the file when something was added; expired entries are dropped on the way. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    const now = this.now();
    const entries: Record<string, CacheEntry> = {};
    for (const [key, entry] of [...this.entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (now - entry.resolvedAt <= this.ttlMs) entries[key] = entry;
    }
    const dir = path.dirname(this.file);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const body: CacheFile = { version: CACHE_VERSION, entries };
    await writeFileAtomic(this.file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    // open()'s mode is masked by the umask, which can only remove bits; chmod pins it exactly.
    await chmod(this.file, 0o600);
    this.dirty = false;
  }
}
