/**
 * The decoding layer: a "decoded view" of a text in which HTML character references, `\u`/`\x`
 * escapes and printable base64 runs are replaced by what they encode, with a map from the view's
 * offsets back to the text's. The detectors run on the view as on any text, and each match is
 * located at the encoded characters it came from.
 *
 * Bounds (every file is hostile): a few linear native searches per layer, decoding only where they
 * hit; a layer's output is never longer than its input (an entity or escape decodes to at most two
 * UTF-16 units, base64 to 3/4 of its length); at most MAX_BASE64_CANDIDATES base64 runs are decoded
 * per layer, each rejected after a short prefix when that is not printable; at most MAX_DEPTH layers.
 * docs/decoding.md says what is decoded where, for users.
 */

import { matchAllLocated } from './patterns.js';

export type EncodingName = 'base64' | 'html-entity' | 'unicode-escape';

/** Layers of decoding: base64 inside base64 is found, a third level is not. */
export const MAX_DEPTH = 2;
/** Shortest base64 run tried: 18 decoded bytes, shorter than any credential with its keyword. */
export const MIN_BASE64_LENGTH = 24;
/** Base64 runs tried per text and layer; past this the rest of the text's runs are left encoded. */
export const MAX_BASE64_CANDIDATES = 4096;
/** Share of a decoded run's characters that may be control characters (other than tab, CR, LF). */
const MAX_CONTROL_SHARE = 0.05;
/** Base64 characters decoded first to reject binary data without decoding a whole blob. */
const PROBE_LENGTH = 64;

interface Segment {
  /** Where the decoded characters sit in the view. */
  viewStart: number;
  viewEnd: number;
  /** Where the encoded characters sit in the input. */
  start: number;
  end: number;
  encoding: EncodingName;
  /** Base64 decoded to ASCII: byte n of the output came from characters 4*floor(n/3)... of the input. */
  byteAligned: boolean;
}

/** Shortest credential any rule reports (a key id is 20 characters; 16 leaves room for partial escapes). */
const MIN_CREDENTIAL_LENGTH = 16;
/** Live segments at most this far apart form one group (see DecodedView.regions). */
const GROUP_GAP = 256;

function isCredentialChar(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47 || code === 61
  );
}

/** Start of the line `lines` lines above `offset`'s, never before `limit` (no scan past it). */
function linesBefore(text: string, offset: number, lines: number, limit: number): number {
  let seen = 0;
  for (let i = offset - 1; i >= limit; i--) if (text.charCodeAt(i) === 10 && seen++ === lines) return i + 1;
  return limit;
}

/** End of the line `lines` lines below `offset`'s, never after `limit`. */
function linesAfter(text: string, offset: number, lines: number, limit: number): number {
  let seen = 0;
  for (let i = offset; i < limit; i++) if (text.charCodeAt(i) === 10 && seen++ === lines) return i;
  return limit;
}

export interface Window {
  start: number;
  end: number;
}

export interface DecodedSpan {
  start: number;
  end: number;
  /** The encodings the span's characters were decoded from, in order, joined by `+`; empty when none. */
  encodings: EncodingName[];
}

/**
 * One decoding layer over a text. `text` is the view; `segments` are sorted and never overlap.
 */
export class DecodedView {
  constructor(
    readonly text: string,
    private readonly segments: readonly Segment[],
  ) {}

  get decodedAnything(): boolean {
    return this.segments.length > 0;
  }

  get decodedBase64(): boolean {
    return this.segments.some((segment) => segment.encoding === 'base64');
  }

  /** Where base64 decoding put text in the view: what a deeper layer searches for nested base64. */
  base64Ranges(): Window[] {
    return this.segments
      .filter((segment) => segment.encoding === 'base64')
      .map((segment) => ({ start: segment.viewStart, end: segment.viewEnd }));
  }

  /**
   * The stretches of the view worth running the detectors on: a few lines around each segment that
   * may be part of a credential (merged where they meet). A credential is at least 16 characters
   * of [A-Za-z0-9+/=], so an escape or reference that decodes to something else (`&amp;`, `\n`-like
   * `\x0a`), or that sits in a shorter run of such characters, cannot be part of one.
   */
  regions(lines: number, maxChars: number): Window[] {
    const regions: Window[] = [];
    let runEnd = -1;
    let runLive = false;
    let groupEnd = -1;
    let pendingEnd = false;
    for (const segment of this.segments) {
      let live = segment.encoding === 'base64';
      if (!live) {
        if (segment.viewStart >= runEnd) {
          let start = segment.viewStart;
          while (start > 0 && isCredentialChar(this.text.charCodeAt(start - 1))) start--;
          let end = segment.viewStart;
          while (end < this.text.length && isCredentialChar(this.text.charCodeAt(end))) end++;
          runEnd = Math.max(end, segment.viewEnd);
          runLive = end - start >= MIN_CREDENTIAL_LENGTH;
        }
        live = runLive && isCredentialChar(this.text.charCodeAt(segment.viewStart));
      }
      if (!live) continue;
      const last = regions[regions.length - 1];
      // Segments close together share one region: each line search below runs once per group, and
      // never back past the previous region, so the work stays linear in the view.
      if (last && segment.viewStart <= groupEnd + GROUP_GAP) {
        groupEnd = Math.max(groupEnd, segment.viewEnd);
        last.end = Math.max(last.end, Math.min(this.text.length, groupEnd));
        pendingEnd = true;
        continue;
      }
      if (last && pendingEnd)
        last.end = Math.max(last.end, linesAfter(this.text, groupEnd, lines, Math.min(this.text.length, groupEnd + maxChars)));
      const floor = Math.max(last?.end ?? 0, segment.viewStart - maxChars);
      const start = linesBefore(this.text, segment.viewStart, lines, floor);
      groupEnd = segment.viewEnd;
      const end = linesAfter(this.text, groupEnd, lines, Math.min(this.text.length, groupEnd + maxChars));
      pendingEnd = false;
      if (last && start <= last.end) last.end = Math.max(last.end, end);
      else regions.push({ start, end });
    }
    const last = regions[regions.length - 1];
    if (last && pendingEnd)
      last.end = Math.max(last.end, linesAfter(this.text, groupEnd, lines, Math.min(this.text.length, groupEnd + maxChars)));
    return regions;
  }

  /** The input span that a view span [start, end) was decoded from, and the encodings it crossed. */
  inputSpan(start: number, end: number): DecodedSpan {
    const last = Math.max(start, end - 1);
    const first = this.segmentAtOrBefore(start);
    const encodings: EncodingName[] = [];
    let index = first < 0 ? 0 : first;
    for (; index < this.segments.length && this.segments[index]!.viewStart <= last; index++) {
      const segment = this.segments[index]!;
      if (segment.viewEnd > start && !encodings.includes(segment.encoding)) encodings.push(segment.encoding);
    }
    return { start: this.inputOffset(start, 'start'), end: this.inputOffset(last, 'end'), encodings };
  }

  /** Index of the last segment starting at or before a view offset, -1 when none. */
  private segmentAtOrBefore(offset: number): number {
    let low = 0;
    let high = this.segments.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.segments[mid]!.viewStart <= offset) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /** Input offset of a view character: its first encoded character (`start`) or one past its last (`end`). */
  private inputOffset(offset: number, side: 'start' | 'end'): number {
    const index = this.segmentAtOrBefore(offset);
    if (index < 0) return side === 'start' ? offset : offset + 1;
    const segment = this.segments[index]!;
    if (offset >= segment.viewEnd) {
      const plain = segment.end + (offset - segment.viewEnd);
      return side === 'start' ? plain : plain + 1;
    }
    if (!segment.byteAligned) return side === 'start' ? segment.start : segment.end;
    const byte = offset - segment.viewStart;
    if (side === 'start') return segment.start + Math.floor(byte / 3) * 4;
    return Math.min(segment.end, segment.start + Math.ceil((byte + 1) / 3) * 4);
  }
}

// Character references and escapes, each bounded: numeric and named references, `\u{...}`,
// `\uXXXX`, `\xXX`. Every alternative starts with `&` or a backslash, which native search finds.
export const ESCAPE =
  /&#[xX]([0-9a-fA-F]{1,6});|&#([0-9]{1,7});|&(amp|lt|gt|quot|apos);|\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})/;

/** Characters of a base64 run in either alphabet: [A-Za-z0-9+/] and [A-Za-z0-9-_]. */
const RUN_CHAR = (() => {
  const table = new Uint8Array(128);
  for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_') table[char.charCodeAt(0)] = 1;
  return table;
})();

/**
 * Base64 of text, seen without decoding: every fourth character holds the top six bits of a byte,
 * which for printable ASCII, tab and line ends is one of [C-Za-f]. Identifiers, paths, hashes and
 * binary data fail this on their first few groups; text in other scripts (UTF-8 lead bytes) does too,
 * which costs nothing here since credentials and their keywords are ASCII.
 */
function looksLikeText(text: string, start: number, end: number): boolean {
  let misses = 0;
  for (let at = start, groups = 0; at < end && groups < 16; at += 4, groups++) {
    const code = text.charCodeAt(at);
    if (!((code >= 67 && code <= 90) || (code >= 97 && code <= 102)) && ++misses > 1) return false;
  }
  return true;
}

function isRunChar(code: number): boolean {
  return code < 128 && RUN_CHAR[code] === 1;
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function codePoint(value: number): string | undefined {
  // Surrogates written one at a time (`\uD83D\uDE00`) are kept: the pair forms in the view.
  return value <= 0x10ffff ? String.fromCodePoint(value) : undefined;
}

const BASE64_VALUES = (() => {
  const values = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
  values[43] = values[45] = 62; // + and -
  values[47] = values[95] = 63; // / and _
  return values;
})();

/** Bytes of `run[from, to)`, a base64 run in either alphabet whose length is not 1 mod 4. */
function base64Bytes(run: string, from: number, to: number): Uint8Array {
  const length = to - from;
  const bytes = new Uint8Array(Math.floor((length * 3) / 4));
  let out = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = from; i < to; i++) {
    buffer = ((buffer << 6) | BASE64_VALUES[run.charCodeAt(i)]!) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes.subarray(0, out);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** For prefixes, which may end inside a character: streamed, then flushed so no state is left for the next. */
const PREFIX_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The text a byte string (`partial`: a prefix) spells when it is UTF-8 and mostly printable; undefined for binary data. */
function printableText(bytes: Uint8Array, partial: boolean): string | undefined {
  let control = 0;
  for (const byte of bytes) if ((byte < 32 && byte !== 9 && byte !== 10 && byte !== 13) || byte === 127) control++;
  if (control > bytes.length * MAX_CONTROL_SHARE) return undefined;
  try {
    if (!partial) return UTF8.decode(bytes);
    return PREFIX_UTF8.decode(bytes, { stream: true });
  } catch {
    return undefined;
  } finally {
    if (partial) resetPrefixDecoder();
  }
}

function resetPrefixDecoder(): void {
  try {
    PREFIX_UTF8.decode();
  } catch {
    // A prefix cut inside a character leaves bytes that do not end it; dropping them is the point.
  }
}

/** What a base64 run decodes to, when it is text; undefined otherwise (most runs: identifiers, hashes, keys). */
function decodeBase64Run(run: string): { text: string; length: number } | undefined {
  const hasStandard = /[+/]/.test(run);
  const hasUrlSafe = /[-_]/.test(run);
  if (hasStandard && hasUrlSafe) return undefined;
  // A length of 1 mod 4 cannot end a base64 value: the last character is not part of it.
  const length = run.length % 4 === 1 ? run.length - 1 : run.length;
  if (length > PROBE_LENGTH && printableText(base64Bytes(run, 0, PROBE_LENGTH), true) === undefined) return undefined;
  const text = printableText(base64Bytes(run, 0, length), false);
  return text === undefined ? undefined : { text, length };
}

/** What one ESCAPE match decodes to; undefined when it is no character. */
function decodeEscape(match: RegExpExecArray): Omit<Decoded, 'start'> | undefined {
  const [whole, hexEntity, decimalEntity, named, braced, unicode, hex] = match;
  if (hexEntity !== undefined) return wrap(codePoint(parseInt(hexEntity, 16)), 'html-entity', whole.length);
  if (decimalEntity !== undefined) return wrap(codePoint(parseInt(decimalEntity, 10)), 'html-entity', whole.length);
  if (named !== undefined) return wrap(NAMED[named], 'html-entity', whole.length);
  if (braced !== undefined) return wrap(codePoint(parseInt(braced, 16)), 'unicode-escape', whole.length);
  if (unicode !== undefined) return wrap(String.fromCharCode(parseInt(unicode, 16)), 'unicode-escape', whole.length);
  return wrap(String.fromCharCode(parseInt(hex!, 16)), 'unicode-escape', whole.length);
}

/** What the base64 run text[start, end) (and up to two `=` after it) decodes to, when it is text. */
function decodeRun(text: string, start: number, end: number): Omit<Decoded, 'start'> | undefined {
  const run = text.slice(start, end);
  const decoded = decodeBase64Run(run);
  if (!decoded) return undefined;
  let padded = end;
  while (padded < end + 2 && text.charCodeAt(padded) === 61) padded++;
  // Padding belongs to the run only when the whole run was decoded.
  const length = decoded.length === run.length ? padded - start : decoded.length;
  return { text: decoded.text, encoding: 'base64', length };
}

function wrap(text: string | undefined, encoding: EncodingName, length: number) {
  return text === undefined ? undefined : { text, encoding, length };
}

/**
 * Where base64 of text may be: six groups of four base64 characters, each group's first character
 * in [C-Za-f] (see looksLikeText). Fixed length, so each position costs at most 24 steps; English
 * words and most identifiers fail on their first or fifth character, so native search skips them.
 * A hit may sit mid-run; the run around it is found and checked from its own start.
 */
const TEXT_BASE64_HINT = /(?:[C-Za-f][A-Za-z0-9+/_-]{3}){6}/g;

export interface Decoded {
  start: number;
  text: string;
  encoding: EncodingName;
  length: number;
}

/** ESCAPE tried at one position (see escapesIn). */
const ESCAPE_AT = new RegExp(ESCAPE.source, 'y');
/** What every ESCAPE match starts with. */
const ESCAPE_INTRODUCERS = ['&', '\\u', '\\x'];

/**
 * Escapes and character references, found by native search for their introducers: ESCAPE is tried
 * only where one stands, which finds what a global search with it finds (see matchAllLocated). The
 * regex alone tried every position of the text, as slowly as a search for six patterns.
 */
export function escapesIn(text: string): Decoded[] {
  const found: Decoded[] = [];
  // Named references alone (`&amp;`) spell no credential character: only decode beside numeric ones and escapes.
  if (!text.includes('&#') && !text.includes('\\u') && !text.includes('\\x')) return found;
  const hits: number[] = [];
  for (const introducer of ESCAPE_INTRODUCERS)
    for (let at = text.indexOf(introducer); at !== -1; at = text.indexOf(introducer, at + 1)) hits.push(at);
  for (const match of matchAllLocated(text, hits, ESCAPE_AT, [0])) {
    const decoded = decodeEscape(match);
    if (decoded) found.push({ start: match.index, ...decoded });
  }
  return found;
}

/**
 * Base64 runs of text met in `windows` (sorted, disjoint), each decoded once; at most
 * MAX_BASE64_CANDIDATES runs are decoded. Each window is searched on its own (a slice), so the
 * search never runs past it; a run found there is followed to its end in the whole text.
 */
function base64RunsIn(text: string, windows: readonly Window[]): Decoded[] {
  const found: Decoded[] = [];
  const hint = new RegExp(TEXT_BASE64_HINT.source, 'g');
  let resume = 0;
  let tried = 0;
  for (const window of windows) {
    if (window.end <= resume) continue;
    const from = Math.max(window.start, resume);
    const slice = text.slice(from, window.end);
    hint.lastIndex = 0;
    for (let match = hint.exec(slice); match; match = hint.exec(slice)) {
      let start = from + match.index;
      while (start > 0 && isRunChar(text.charCodeAt(start - 1))) start--;
      let end = from + hint.lastIndex;
      while (end < text.length && isRunChar(text.charCodeAt(end))) end++;
      resume = end;
      hint.lastIndex = Math.min(slice.length, end - from);
      // After a backslash the first letter is an escape's (`\nQUtJ...`), not the run's.
      if (start > 0 && text.charCodeAt(start - 1) === 92) start++;
      if (end - start < MIN_BASE64_LENGTH || !looksLikeText(text, start, end)) continue;
      if (++tried > MAX_BASE64_CANDIDATES) return found;
      const decoded = decodeRun(text, start, end);
      if (decoded) found.push({ start, ...decoded });
    }
  }
  return found;
}

/**
 * Words beside which a credential is written encoded: the rules' keywords, and the base64 of an
 * access key id prefix (inside the run). The catalog builds the list once from its key-id prefixes,
 * searches for it in a file's bytes, and keeps it as a regex (contextWordsPattern) for texts.
 */
export function base64ContextWords(keyIdPrefixes: readonly string[]): string[] {
  return [
    'secret',
    'Secret',
    'SECRET',
    'token',
    'Token',
    'TOKEN',
    'dockerconfigjson',
    'dockercfg',
    ...keyIdPrefixes.flatMap((prefix) => base64Forms(prefix, 4)),
  ];
}

/** Finds any of `words` (literals of letters, digits, `+`, `/`, `-` and `_`). */
export function contextWordsPattern(words: readonly string[]): RegExp {
  return new RegExp(words.join('|'), 'g');
}

/**
 * Where base64 runs are looked for in a whole text: the line of each context word and the line
 * after it (`aws_secret_access_key: <base64>` in a Kubernetes Secret, `token = "eyJ..."`,
 * `.dockerconfigjson: <base64>`, a blob holding `AKIA` encoded). Searching only there keeps the cost of a large text that merely
 * mentions "secret" to a few native literal searches. `wordsAt`: where the words start in `text`,
 * ascending, when the caller found them already (the byte prefilter does); else `contextWords` is
 * searched for. Both give the same windows.
 */
export function base64Windows(text: string, contextWords: RegExp, wordsAt?: readonly number[]): Window[] {
  const pattern = wordsAt ? undefined : new RegExp(contextWords.source, 'g');
  const windows: Window[] = [];
  let next = 0;
  // Where the next word may start: past the window just made (a word holds no line break, so it
  // never reaches past that window's end).
  let from = 0;
  for (;;) {
    let at: number;
    if (pattern) {
      pattern.lastIndex = from;
      const match = pattern.exec(text);
      if (!match) break;
      at = match.index;
    } else {
      while (next < wordsAt!.length && wordsAt![next]! < from) next++;
      if (next === wordsAt!.length) break;
      at = wordsAt![next]!;
    }
    const lineStart = text.lastIndexOf('\n', at) + 1;
    let end = text.indexOf('\n', at);
    if (end !== -1) end = text.indexOf('\n', end + 1);
    if (end === -1) end = text.length;
    const last = windows[windows.length - 1];
    if (last && lineStart <= last.end) last.end = Math.max(last.end, end);
    else windows.push({ start: lineStart, end });
    from = end;
  }
  return windows;
}

/**
 * One decoding layer over `text`: native searches for escape introducers and for base64 that may
 * be text (in `windows` only, when given), then decoding only there.
 */
export function decodeLayer(text: string, windows: readonly Window[] = [{ start: 0, end: text.length }]): DecodedView {
  const escapes = escapesIn(text);
  const runs = base64RunsIn(text, windows);
  const segments: Segment[] = [];
  // An escape that spells no credential character (`\u2019`, `&#10;`) can never start a region
  // (see regions): when only such escapes were found, the view would hold nothing to search, and
  // building it would copy the whole text. JSON with typographic quotes escaped is common.
  if (runs.length === 0 && !escapes.some((escape) => escape.text.length === 1 && isCredentialChar(escape.text.charCodeAt(0))))
    return new DecodedView(text, segments);
  const parts: string[] = [];
  let copied = 0;
  let viewLength = 0;
  for (let e = 0, r = 0; e < escapes.length || r < runs.length;) {
    const next = r >= runs.length || (e < escapes.length && escapes[e]!.start < runs[r]!.start) ? escapes[e++]! : runs[r++]!;
    // A base64 run can begin inside an escape's letters (`\u0041QUtJ...`): the earlier one wins.
    if (next.start < copied) continue;
    parts.push(text.slice(copied, next.start), next.text);
    viewLength += next.start - copied;
    segments.push({
      viewStart: viewLength,
      viewEnd: viewLength + next.text.length,
      start: next.start,
      end: next.start + next.length,
      encoding: next.encoding,
      byteAligned: next.encoding === 'base64' && isAscii(next.text),
    });
    viewLength += next.text.length;
    copied = next.start + next.length;
  }
  parts.push(text.slice(copied));
  return new DecodedView(parts.join(''), segments);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/** Base64 of `bytes` (ASCII), standard alphabet. */
function toBase64(value: string): string {
  return btoa(value);
}

/**
 * The characters of `word`'s base64 that do not depend on its neighbours, at each of the three
 * alignments it can have inside a longer base64 value; with the URL-safe spellings.
 */
export function base64Forms(word: string, minLength: number): string[] {
  const forms = new Set<string>();
  for (let align = 0; align < 3; align++) {
    const encoded = toBase64('\0'.repeat(align) + word + '\0\0');
    const first = Math.ceil((align * 8) / 6);
    const last = Math.floor(((align + word.length) * 8) / 6) - 1;
    const form = encoded.slice(first, last + 1);
    if (form.length < minLength) continue;
    forms.add(form);
    forms.add(form.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}

/**
 * Literals whose presence says a text may hold an encoded credential although it holds no anchor:
 * the introducers of escapes and character references that can spell a letter or digit, and the
 * base64 of the access key id prefixes (AKIA and ASIA, from the catalog) at each alignment. Each literal costs a search of
 * every file of a tree, so the list is short: an encoded credential in a file without any anchor is
 * found when the encoding also holds its key id (a .env blob, a JWT with a profile, a Docker
 * `auth`); a base64 value under a plain keyword (a Kubernetes Secret's `data:`) is anchored by the
 * keyword. Base64 nested twice in a file without any anchor is not looked for.
 */
export function encodedAnchors(keyIdPrefixes: readonly string[]): string[] {
  const anchors = new Set<string>(['&#', '\\u{', '\\u003', '\\u004', '\\u005', '\\u006', '\\u007', '\\x3', '\\x4', '\\x5', '\\x6', '\\x7']);
  for (const prefix of keyIdPrefixes) for (const form of base64Forms(prefix, 4)) anchors.add(form);
  return [...anchors];
}

/** Shortest fragment searched for the encoded anchors: base64 is common letters, two would hit everywhere. */
export const ENCODED_ANCHOR_SHORTEST_FRAGMENT = 4;
