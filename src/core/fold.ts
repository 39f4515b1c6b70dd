/**
 * Characters that hide a credential from a pattern without changing what a reader (or a shell, a
 * Dockerfile, Python) takes it to be: zero-width characters (U+200B ZERO WIDTH SPACE, U+200C/U+200D
 * zero-width (non-)joiners, U+2060 WORD JOINER, U+FEFF used as a zero-width no-break space) render
 * as nothing; fullwidth ASCII (U+FF01-U+FF5E) is ASCII in another width (Unicode NFKC maps it back,
 * 0xFEE0 lower); a backslash before a line end continues the line in shell, Dockerfile, Python,
 * JavaScript strings and C.
 */
const FOLDABLE = /[\u200B-\u200D\u2060\uFEFF\uFF01-\uFF5E]|\\\r?\n/;
const FOLDABLE_ALL = new RegExp(FOLDABLE.source, 'g');
const FULLWIDTH_OFFSET = 0xfee0;

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
 * made ASCII, or undefined when it holds none (the usual case: one regex test). Linear: one pass to
 * build, a binary search per offset mapped back.
 */
export function foldText(text: string): FoldedText | undefined {
  if (!FOLDABLE.test(text)) return undefined;
  const parts: string[] = [];
  // For each removal: the folded offset of the next kept character, and how many were removed up to then.
  const removedBefore: number[] = [];
  const removedCount: number[] = [];
  let last = 0;
  let removed = 0;
  for (const match of text.matchAll(FOLDABLE_ALL)) {
    parts.push(text.slice(last, match.index));
    const found = match[0];
    const code = found.charCodeAt(0);
    if (found.length === 1 && code >= 0xff01 && code <= 0xff5e) {
      parts.push(String.fromCharCode(code - FULLWIDTH_OFFSET));
    } else {
      removed += found.length;
      removedBefore.push(match.index + found.length - removed);
      removedCount.push(removed);
    }
    last = match.index + found.length;
  }
  parts.push(text.slice(last));
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
  return { text: parts.join(''), originalStart, originalEnd: (end) => (end > 0 ? originalStart(end - 1) + 1 : 0) };
}
