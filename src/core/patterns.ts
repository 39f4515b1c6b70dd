/**
 * Shared regex fragments and boundary checks for the credential matchers in rules/.
 * Every pattern is a single character class under a bounded or greedy quantifier with no nested
 * quantifiers, so matching stays linear on hostile input (checked by test/hardening/regex-static.test.ts
 * and test/hardening/redos.test.ts).
 */

/** One character of a base64 value, allowing JSON's escaped slash and URL-encoded `/` and `+`. */
export const BASE64_UNIT = String.raw`(?:[A-Za-z0-9+/]|\\/|%2[BbFf])`;

function isBase64Char(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47;
}

/** Length of the BASE64_UNIT at `at` (a character, `\/`, or `%2B`/`%2F`), 0 when there is none. */
function base64UnitLength(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (isBase64Char(code)) return 1;
  if (code === 92 && text.charCodeAt(at + 1) === 47) return 2;
  if (code === 37 && text.charCodeAt(at + 1) === 50 && /[BbFf]/.test(text.charAt(at + 2))) return 3;
  return 0;
}

/**
 * End of the base64 value continuing at `from`: every further BASE64_UNIT, then up to two padding
 * characters (`=` or `%3D`). What a greedy `${BASE64_UNIT}{n,}(?:=|%3[Dd]){0,2}` would match, in a
 * plain loop: V8 keeps a backtrack entry per repetition of such a group and overflows its regex
 * stack ("Maximum call stack size exceeded") on runs of a few million characters, so rules match a
 * bounded prefix with the regex and extend it with this.
 */
export function base64ValueEnd(text: string, from: number): number {
  let at = from;
  for (let length = base64UnitLength(text, at); length > 0; length = base64UnitLength(text, at)) at += length;
  for (let padding = 0; padding < 2; padding++) {
    if (text.charCodeAt(at) === 61) at += 1;
    else if (text.charCodeAt(at) === 37 && text.charCodeAt(at + 1) === 51 && /[Dd]/.test(text.charAt(at + 2))) at += 3;
    else break;
  }
  return at;
}

/** Characters that may continue a base64 value; a match followed by one is part of something longer. */
const BASE64_CONTINUES = /^(?:[A-Za-z0-9+/=]|\\\/|%2[BbFfDd]|%3[Dd])/;

/** Separators between a keyword and its value in env, INI, JSON, YAML, HCL, XML, kwargs, PHP, shell. */
const ASSIGNMENT = String.raw`(?:[\s"'\x60:=>,\[\](){}\\;|@]|&quot;|&#39;|&gt;){1,16}`;

/**
 * What leads from a keyword to its value: separators, then up to three words that may stand
 * between a name and its value: a `value` attribute (.NET app.config `<add key="AWSSecretKey"
 * value="..."/>`), a type annotation (`secretKey: string = "..."`, `aws_secret: str = "..."`, Go's
 * `var secretKey string = "..."`), a Terraform variable's `type = string default = "..."`.
 * The words are letters and the separators are not, so the repetition cannot backtrack.
 */
export const VALUE_INTRO = `${ASSIGNMENT}(?:(?:value|type|string|str|default|readonly|final|const)${ASSIGNMENT}){0,3}`;

/** The rest of an identifier after a keyword: `AWS_SECRET_ACCESS_KEY_PROD`, `secretAccessKeyValue`. */
export const IDENTIFIER_TAIL = String.raw`[A-Za-z0-9_.\-]{0,24}`;

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * True when the token starting at `start` is not the tail of a longer word. A preceding
 * URL escape (`%3D`) or string escape (`\n`) counts as a boundary: `AWSAccessKeyId%3DAKIA...`.
 */
export function startsAtBoundary(text: string, start: number): boolean {
  if (start === 0 || !isAlnum(text.charCodeAt(start - 1))) return true;
  if (start >= 3 && /^%[0-9A-Fa-f]{2}$/.test(text.slice(start - 3, start))) return true;
  return start >= 2 && /^\\[nrt]$/.test(text.slice(start - 2, start));
}

/** True when nothing alphanumeric follows `end`. */
export function endsAtWordBoundary(text: string, end: number): boolean {
  return end >= text.length || !isAlnum(text.charCodeAt(end));
}

/** True when the base64 value ending at `end` is not cut out of a longer base64 run. */
export function endsAtBase64Boundary(text: string, end: number): boolean {
  return end >= text.length || !BASE64_CONTINUES.test(text.slice(end, end + 3));
}

/** True when `text[at - 2, at)` is a JSON or string-literal line break or tab escape (`\n`, `\r`, `\t`). */
export function followsEscapedWhitespace(text: string, at: number): boolean {
  return at >= 2 && text.charCodeAt(at - 2) === 92 && /[nrt]/.test(text.charAt(at - 1));
}

/**
 * Base64 boundary before a value: not preceded by a base64 character or an escaped one. A `\n`,
 * `\r` or `\t` escape before it is a boundary (a line of a Jupyter output or a JSON string), though
 * its letter is a base64 character.
 */
export function startsAtBase64Boundary(text: string, start: number): boolean {
  if (start === 0) return true;
  if (followsEscapedWhitespace(text, start)) return true;
  if (isBase64Char(text.charCodeAt(start - 1))) {
    // `%2F` / `\/` end in an alnum or slash: they continue the value. Other `%XX` escapes separate.
    return (
      start >= 3 &&
      text[start - 3] === '%' &&
      !/^%2[BbFf]$/.test(text.slice(start - 3, start)) &&
      /^[0-9A-Fa-f]{2}$/.test(text.slice(start - 2, start))
    );
  }
  return true;
}

/**
 * What `text.matchAll(pattern)` yields, found faster from `hits`: every place (in order) where a
 * cheap locator matches, when the locator always matches inside `pattern`'s matches, `leads`
 * characters after their start. `pattern` (sticky) is tried only at those few positions, in order,
 * instead of at every position of the text. Leftmost, non-overlapping matches, exactly as
 * matchAll: every match starts at some hit minus a lead. Worth it for a case-insensitive pattern
 * whose first characters are common letters, which V8 can only try position by position; one
 * search for the hits can serve several patterns.
 */
export function* matchAllLocated(
  text: string,
  hits: readonly number[],
  pattern: RegExp,
  leads: readonly number[],
): Generator<RegExpExecArray> {
  const starts: number[] = [];
  for (const hit of hits) for (const lead of leads) if (hit >= lead) starts.push(hit - lead);
  starts.sort((a, b) => a - b);
  let searchFrom = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    if (start < searchFrom || start === starts[i - 1]) continue;
    pattern.lastIndex = start;
    const match = pattern.exec(text);
    if (!match) continue;
    searchFrom = pattern.lastIndex;
    yield match;
  }
}
