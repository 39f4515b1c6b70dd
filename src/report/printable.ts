/**
 * Characters a report must never pass through raw, because file names and contents are the
 * attacker's: C0/C1 controls and DEL (terminal escapes, carriage returns that overwrite a line),
 * the Unicode bidirectional controls of "Trojan Source" (CVE-2021-42574: U+061C, U+200E/U+200F,
 * U+202A–U+202E, U+2066–U+2069) which reorder what a reader sees, the zero-width characters
 * that hide a difference (U+200B–U+200D, U+2060, U+FEFF), and the Unicode line and paragraph
 * separators U+2028/U+2029.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const hex = (char: string, digits: number) => char.charCodeAt(0).toString(16).toUpperCase().padStart(digits, '0');

/** Text for a human: controls as `\x1B`, the Unicode ones as `\u202E`; everything else unchanged. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (char) => (char.charCodeAt(0) <= 0xff ? `\\x${hex(char, 2).toLowerCase()}` : `\\u${hex(char, 4)}`));
}

/** UNSAFE less U+0000–U+001F, which JSON.stringify escapes itself (and whose \n it uses between tokens). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * JSON text with the rest of those characters as `\uXXXX` escapes: parsed, every string is
 * unchanged, but the file itself is safe to cat or show in a CI log. They occur in
 * JSON.stringify's output only inside strings, so replacing them anywhere is exact.
 */
export function jsonSafe(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${hex(char, 4).toLowerCase()}`);
}
