import type { RawMatch } from './types.js';

/**
 * Pairing window: a secret written with its key id sits on the same line (a constructor call, a CSV
 * row of an IAM console export) or within a few lines (INI profiles, env files, YAML maps).
 */
const LINES_BEFORE = 3;
const LINES_AFTER = 5;
const MAX_WINDOW_CHARS = 4096;

const NEWLINE = 10;

/**
 * Start of the line `lines` lines above the one holding `offset`, but never before `limit`. The
 * search stops at `limit` rather than running back to the previous newline: on a 50 MB single-line
 * file, a lastIndexOf per key id would make pairing quadratic.
 */
function lineStartBefore(text: string, offset: number, lines: number, limit: number): number {
  let seen = 0;
  for (let i = offset - 1; i >= limit; i--) {
    if (text.charCodeAt(i) === NEWLINE && seen++ === lines) return i + 1;
  }
  return limit;
}

/** End (the newline) of the line `lines` lines below the one holding `offset`, but never after `limit`. */
function lineEndAfter(text: string, offset: number, lines: number, limit: number): number {
  let seen = 0;
  for (let i = offset; i < limit; i++) {
    if (text.charCodeAt(i) === NEWLINE && seen++ === lines) return i;
  }
  return limit;
}

export interface Window {
  start: number;
  end: number;
}

/** The text region around a key id in which its secret or session token may be written. */
function pairingWindow(text: string, keyId: Pick<RawMatch, 'start' | 'end'>): Window {
  const start = lineStartBefore(text, keyId.start, LINES_BEFORE, Math.max(0, keyId.start - MAX_WINDOW_CHARS));
  const end = lineEndAfter(text, keyId.end, LINES_AFTER, Math.min(text.length, keyId.end + MAX_WINDOW_CHARS));
  return { start, end };
}

interface Entry {
  keyId: RawMatch;
  /** Position in the caller's list: ties in distance go to the earlier one. */
  order: number;
  /** Computed on first use: most key ids never need one. */
  window?: Window;
}

/** Index of the first entry whose `key` is at least `value` (entries sorted by key). */
export function lowerBound<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (key(items[mid]!) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * A text's key ids with their pairing windows, computed once. Lookups only visit key ids close
 * enough for their window to matter (windows are at most MAX_WINDOW_CHARS wide on each side), so
 * a file holding thousands of key ids (a CloudTrail log) pairs in near-linear time.
 */
export class KeyIdLocator {
  private readonly entries: Entry[];
  private readonly byKeyId = new Map<RawMatch, Entry>();
  private readonly maxLength: number;

  constructor(
    private readonly text: string,
    keyIds: readonly RawMatch[],
  ) {
    this.entries = keyIds.map((keyId, order) => ({ keyId, order }));
    this.entries.sort((a, b) => a.keyId.start - b.keyId.start || a.order - b.order);
    for (const entry of this.entries) this.byKeyId.set(entry.keyId, entry);
    this.maxLength = keyIds.reduce((max, keyId) => Math.max(max, keyId.end - keyId.start), 0);
  }

  private windowOf(entry: Entry): Window {
    return (entry.window ??= pairingWindow(this.text, entry.keyId));
  }

  window(keyId: RawMatch): Window {
    const entry = this.byKeyId.get(keyId);
    return entry ? this.windowOf(entry) : pairingWindow(this.text, keyId);
  }

  /**
   * The key id whose pairing window holds `offset`: a real one before a documentation example (a
   * secret beside both belongs with the real id, not with the example copied next to it), then the
   * nearest; undefined when none is near.
   */
  nearest(offset: number): RawMatch | undefined {
    let best: Entry | undefined;
    let bestDistance = Infinity;
    const first = lowerBound(this.entries, offset - MAX_WINDOW_CHARS - this.maxLength, (entry) => entry.keyId.start);
    for (let i = first; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.keyId.start > offset + MAX_WINDOW_CHARS) break;
      const window = this.windowOf(entry);
      if (offset < window.start || offset > window.end) continue;
      const distance = Math.abs(entry.keyId.start - offset);
      if (!best || isBetter(entry, distance, best, bestDistance)) {
        best = entry;
        bestDistance = distance;
      }
    }
    return best?.keyId;
  }
}

/** Real ids before examples, then nearer, then earlier in the caller's list. */
function isBetter(entry: Entry, distance: number, best: Entry, bestDistance: number): boolean {
  if (entry.keyId.example !== best.keyId.example) return !entry.keyId.example;
  if (distance !== bestDistance) return distance < bestDistance;
  return entry.order < best.order;
}
