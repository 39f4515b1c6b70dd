/**
 * Characters that hide a credential from a pattern without changing what a reader (or a shell, a
 * Dockerfile, Python) takes it to be: zero-width characters (U+200B ZERO WIDTH SPACE, U+200C/U+200D
 * zero-width (non-)joiners, U+2060 WORD JOINER, U+FEFF used as a zero-width no-break space) render
 * as nothing; fullwidth ASCII (U+FF01-U+FF5E) is ASCII in another width (Unicode NFKC maps it back,
 * 0xFEE0 lower); a backslash before a line end continues the line in shell, Dockerfile, Python,
 * JavaScript strings and C.
 */
const FOLDABLE_CHARS = /[\u200B-\u200D\u2060\uFEFF\uFF01-\uFF5E]/;
const FOLDABLE_ALL = /[\u200B-\u200D\u2060\uFEFF\uFF01-\uFF5E]|\\\r?\n/g;

/** Native searches: V8 answers the class test at once for a one-byte (Latin-1) string, which cannot hold those characters. */
function hasFoldable(text: string): boolean {
  return text.includes('\\\n') || text.includes('\\\r') || FOLDABLE_CHARS.test(text);
}

const FULLWIDTH_OFFSET = 0xfee0;
/**
 * Separate removals per text at most (each costs two numbers of memory, 32 MB for all): more than a
 * file of the default --max-file-size (5 MB) can hold, since each needs a kept character before it.
 */
const MAX_REMOVALS = 2_000_000;

/** A text with the foldable characters undone, and the way back to the original's offsets. */
export interface FoldedText {
  text: string;
  /** Original offset of the character at a folded offset. */
  originalStart(offset: number): number;
  /** Original (exclusive) end of a folded span ending at `end`. */
  originalEnd(end: number): number;
}

/**
 * The text with zero-width characters and backslash line continuations removed and fullwidth ASCII
 * made ASCII, or undefined when it holds none (the usual case: a few native searches). Linear: one
 * pass to build, a binary search per offset mapped back.
 */
export function foldText(text: string): FoldedText | undefined {
  if (!hasFoldable(text)) return undefined;
  // For each removal: the folded offset of the next kept character, and how many were removed up to then.
  const removedBefore: number[] = [];
  const removedCount: number[] = [];
  let removed = 0;
  let removedUpTo = -1;
  let changed = false;
  const folded = text.replace(FOLDABLE_ALL, (found: string, index: number) => {
    const code = found.charCodeAt(0);
    if (found.length === 1 && code >= 0xff01 && code <= 0xff5e) {
      changed = true;
      return String.fromCharCode(code - FULLWIDTH_OFFSET);
    }
    removed += found.length;
    if (index === removedUpTo) {
      // A run of removals is one entry: the next kept character is the same.
      removedCount[removedCount.length - 1] = removed;
    } else if (removedBefore.length < MAX_REMOVALS) {
      removedBefore.push(index + found.length - removed);
      removedCount.push(removed);
    } else {
      // Bounded memory: past the cap (never reached at the default --max-file-size) the rest stays as written.
      removed -= found.length;
      return found;
    }
    changed = true;
    removedUpTo = index + found.length;
    return '';
  });
  if (!changed) return undefined;
  const originalStart = (offset: number): number => {
    let low = 0;
    let high = removedBefore.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (removedBefore[mid]! <= offset) low = mid + 1;
      else high = mid;
    }
    return offset + (low > 0 ? removedCount[low - 1]! : 0);
  };
  return { text: folded, originalStart, originalEnd: (end) => (end > 0 ? originalStart(end - 1) + 1 : 0) };
}
