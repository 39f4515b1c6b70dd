import type { RawMatch } from './types.js';

/**
 * Pairing window: a secret written with its key id sits on the same line (a constructor call, a CSV
 * row of an IAM console export) or within a few lines (INI profiles, env files, YAML maps).
 */
export const LINES_BEFORE = 3;
export const LINES_AFTER = 5;
const MAX_WINDOW_CHARS = 4096;

function lineStartBefore(text: string, offset: number, lines: number): number {
  let at = offset;
  for (let i = 0; i <= lines; i++) {
    const previous = text.lastIndexOf('\n', at - 1);
    if (previous === -1) return 0;
    at = previous;
    if (i === lines) return previous + 1;
  }
  return at + 1;
}

function lineEndAfter(text: string, offset: number, lines: number): number {
  let at = offset;
  for (let i = 0; i <= lines; i++) {
    const next = text.indexOf('\n', at);
    if (next === -1) return text.length;
    at = next + 1;
  }
  return at - 1;
}

/** The text region around a key id in which its secret or session token may be written. */
export function pairingWindow(text: string, keyId: Pick<RawMatch, 'start' | 'end'>): { start: number; end: number } {
  const start = Math.max(lineStartBefore(text, keyId.start, LINES_BEFORE), keyId.start - MAX_WINDOW_CHARS);
  const end = Math.min(lineEndAfter(text, keyId.end, LINES_AFTER), keyId.end + MAX_WINDOW_CHARS);
  return { start, end };
}

/** The key id whose pairing window holds `offset`, nearest first; undefined when none is near. */
export function nearestKeyId(text: string, offset: number, keyIds: readonly RawMatch[]): RawMatch | undefined {
  let best: RawMatch | undefined;
  let bestDistance = Infinity;
  for (const keyId of keyIds) {
    const window = pairingWindow(text, keyId);
    if (offset < window.start || offset > window.end) continue;
    const distance = Math.abs(keyId.start - offset);
    if (distance < bestDistance) {
      best = keyId;
      bestDistance = distance;
    }
  }
  return best;
}
