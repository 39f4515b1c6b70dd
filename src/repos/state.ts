import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { normaliseRepo } from './list.js';

/** The state file's marker and format version: anything else is refused, never reset. */
const FORMAT = 'keywarden-repos-state';
const VERSION = 1;
const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** What one repository's last successful audit saw. */
export interface RepoStateEntry {
  /** The commits its refs pointed at when that scan started (sorted): everything reachable from them was scanned. */
  tips: string[];
  /** When (ISO 8601), for people reading the file. */
  scannedAt: string;
  /**
   * What the scan was run with, as a hash (see auditSettings): rules, allow list, baseline, scope,
   * keywarden's version. Another value next time means the old commits were not scanned the way
   * this run would scan them.
   */
  settings?: string;
}

/** What the state says of a repository for this run's settings. */
export type RecordedTips =
  /** Scanned before with the same settings: walk around these tips. */
  | { kind: 'tips'; tips: readonly string[] }
  /** Scanned before with other settings (or before settings were recorded): scan everything again. */
  | { kind: 'other-settings' }
  /** Never scanned successfully. */
  | { kind: 'none' };

/**
 * `scan --repos --state FILE`: per repository (its normalised URL, see normaliseRepo), the ref tips
 * of its last successful scan, so the next run walks only commits not reachable from them.
 * Repositories not in this run (another shard's, or dropped from the list) keep their entries.
 */
export class RepoState {
  private readonly entries: Map<string, RepoStateEntry>;

  constructor(entries: Iterable<[string, RepoStateEntry]> = []) {
    this.entries = new Map(entries);
  }

  /** The tips recorded for a repository, if its last successful audit ran with these `settings`. */
  tips(repo: string, settings: string): RecordedTips {
    const entry = this.entries.get(normaliseRepo(repo));
    if (!entry) return { kind: 'none' };
    return entry.settings === settings ? { kind: 'tips', tips: entry.tips } : { kind: 'other-settings' };
  }

  /** After a repository's scan succeeded: what it scanned, and with what settings, is the new starting point. */
  record(repo: string, tips: readonly string[], settings: string, when = new Date()): void {
    this.entries.set(normaliseRepo(repo), { tips: [...tips].sort(), scannedAt: when.toISOString(), settings });
  }

  serialise(): string {
    const repositories = Object.fromEntries([...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return `${JSON.stringify({ format: FORMAT, version: VERSION, repositories }, null, 2)}\n`;
  }
}

/** Parses a state file's text; `display` names it in the one-line error a corrupt or foreign file gets. */
export function parseRepoState(text: string, display: string): RepoState {
  const bad = (why: string) =>
    new UsageError(`--state: ${display} is not a keywarden state file (${why}); fix or remove it, or choose another file`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('not a JSON object');
  const file = json as { format?: unknown; version?: unknown; repositories?: unknown };
  if (file.format !== FORMAT) throw bad(`"format" is not "${FORMAT}"`);
  if (file.version !== VERSION) throw bad(`unsupported "version" ${JSON.stringify(file.version)}`);
  const repositories = file.repositories;
  if (typeof repositories !== 'object' || repositories === null || Array.isArray(repositories))
    throw bad('"repositories" is not an object');
  const entries: Array<[string, RepoStateEntry]> = [];
  for (const [repo, value] of Object.entries(repositories as Record<string, unknown>)) {
    const entry = value as { tips?: unknown; scannedAt?: unknown } | null;
    if (typeof entry !== 'object' || entry === null || !Array.isArray(entry.tips)) throw bad(`repository "${repo}" has no "tips" list`);
    const tips = entry.tips as unknown[];
    if (!tips.every((tip): tip is string => typeof tip === 'string' && COMMIT_ID.test(tip)))
      throw bad(`repository "${repo}" has a tip that is not a full commit id`);
    if (typeof entry.scannedAt !== 'string') throw bad(`repository "${repo}" has no "scannedAt"`);
    const settings = (entry as { settings?: unknown }).settings;
    if (settings !== undefined && typeof settings !== 'string') throw bad(`repository "${repo}" has a "settings" that is not a string`);
    entries.push([repo, { tips: [...new Set(tips)].sort(), scannedAt: entry.scannedAt, ...(settings !== undefined ? { settings } : {}) }]);
  }
  return new RepoState(entries);
}

/**
 * Reads the state file: a missing file is a first audit (empty state); anything unreadable or
 * not a state file is a usage error, so an audit never silently starts over. The directory must
 * exist now, so a mistyped path fails before the audit rather than after it.
 */
export async function loadRepoState(file: string, display: string): Promise<RepoState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new UsageError(`--state: cannot read ${display}: ${code ?? (error as Error).message}`);
    const dir = await stat(path.dirname(file)).catch(() => undefined);
    if (!dir?.isDirectory()) throw new UsageError(`--state: cannot write ${display}: its directory does not exist`);
    return new RepoState();
  }
  return parseRepoState(text, display);
}

/** Replaces the state file atomically: a run killed while writing leaves the previous state whole. */
export async function saveRepoState(file: string, display: string, state: RepoState): Promise<void> {
  try {
    await writeFileAtomic(file, state.serialise(), { makeDirectory: false });
  } catch (error) {
    throw new UsageError(`--state: cannot write ${display}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
