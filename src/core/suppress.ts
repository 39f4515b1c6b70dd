/**
 * Inline suppressions, in any comment syntax since we only look for the marker text:
 *   `keywarden:allow` on the finding's line, `keywarden:allow-next-line` on the line above.
 */
const SAME_LINE = /keywarden:allow(?!-next-line)/;
const NEXT_LINE = 'keywarden:allow-next-line';

export function isSuppressed(lineText: string, previousLineText: string | undefined): boolean {
  return SAME_LINE.test(lineText) || (previousLineText?.includes(NEXT_LINE) ?? false);
}

/** Cheap check so texts without any marker skip per-finding line lookups. */
export function hasSuppressionMarker(text: string): boolean {
  return text.includes('keywarden:allow');
}
