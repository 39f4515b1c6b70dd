/**
 * The spellings a keyword takes in practice: `secret`, `Secret` (camelCase, PascalCase), `SECRET`
 * (env vars). A wilder casing (`sEcReT`) is not anchored: keyword matching skips such a file, though
 * pairing with a key id still finds the secret.
 */
export function caseVariants(word: string): string[] {
  const lower = word.toLowerCase();
  return [lower, lower[0]!.toUpperCase() + lower.slice(1), lower.toUpperCase()];
}

/** `session_token`, `sessionToken`, `Session_token`, `SESSION-TOKEN`, ...: two words, each in a usual casing, and a separator. */
export function keywordVariants(firsts: readonly string[], second: string): string[] {
  const variants = new Set<string>();
  for (const first of firsts) {
    for (const firstCased of caseVariants(first)) {
      for (const secondCased of caseVariants(second)) {
        for (const separator of ['', '_', '-', '.', ' ']) variants.add(firstCased + separator + secondCased);
      }
    }
  }
  return [...variants];
}

/**
 * Rough share of each byte in source code (English letter frequencies, scaled: lowercase letters are
 * most of a file, uppercase letters and digits a few percent); anything unlisted counts as rare.
 */
const BYTE_SHARE = new Map<string, number>([
  ['e', 0.09],
  ...[...'taoinsr'].map((char) => [char, 0.06] as const),
  ...[...'hldcumfp'].map((char) => [char, 0.03] as const),
  ...[...'gwybv_.'].map((char) => [char, 0.01] as const),
  ...[...'kx-/'].map((char) => [char, 0.006] as const),
  [' ', 0.15],
]);
const RARE_BYTE_SHARE = 0.003;

const byteShare = (char: string) => BYTE_SHARE.get(char) ?? RARE_BYTE_SHARE;

/**
 * Estimated cost (ms per 100 MB) of finding every occurrence of a fragment, fitted to measurements on
 * the benchmark corpus: a fixed pass (~20 ms), plus native search stopping at each occurrence of the
 * fragment's first byte (`ecret` 73 ms, `cret` 50 ms, `SECRET` 22 ms), plus ~0.3 us per hit that must
 * be checked against the anchors (expected hits: the product of the bytes' shares).
 */
function searchCost(fragment: string): number {
  let hitShare = 1;
  for (const char of fragment) hitShare *= byteShare(char);
  return 20 + 600 * byteShare(fragment[0]!) + 3e4 * hitShare;
}

/**
 * A small set of fragments such that every anchor contains one: searching for these few (instead
 * of every anchor) rejects most texts in a handful of native passes. Greedy weighted set cover over
 * the anchors' substrings of 2 to 6 characters: most anchors covered per unit of estimated search
 * cost first, then longer fragments; fragments a later pick made redundant are dropped.
 */
export function coveringFragments(anchors: readonly string[], shortest = 2): string[] {
  const candidatesOf = new Map<string, Set<string>>();
  for (const anchor of anchors) {
    const candidates = new Set<string>();
    const minLength = Math.min(shortest, anchor.length);
    for (let length = Math.min(6, anchor.length); length >= minLength; length--) {
      for (let start = 0; start + length <= anchor.length; start++) candidates.add(anchor.slice(start, start + length));
    }
    candidatesOf.set(anchor, candidates);
  }
  const uncovered = new Set(anchors);
  const fragments: string[] = [];
  while (uncovered.size > 0) {
    const counts = new Map<string, number>();
    for (const anchor of uncovered)
      for (const candidate of candidatesOf.get(anchor)!) counts.set(candidate, (counts.get(candidate) ?? 0) + 1);
    let best = '';
    let bestScore = 0;
    for (const [candidate, count] of counts) {
      const score = count / searchCost(candidate);
      if (
        score > bestScore ||
        (score === bestScore && (candidate.length > best.length || (candidate.length === best.length && candidate < best)))
      ) {
        best = candidate;
        bestScore = score;
      }
    }
    fragments.push(best);
    for (const anchor of [...uncovered]) if (candidatesOf.get(anchor)!.has(best)) uncovered.delete(anchor);
  }
  // Greedy choice can leave a cheap early pick made redundant by a later, wider one (`Secret`
  // once `cret` is chosen): each fragment removed is one pass less over every text.
  const covers = (fragment: string, anchor: string) => candidatesOf.get(anchor)!.has(fragment);
  const kept = [...fragments];
  for (const fragment of fragments) {
    const others = kept.filter((other) => other !== fragment);
    if (anchors.every((anchor) => !covers(fragment, anchor) || others.some((other) => covers(other, anchor))))
      kept.splice(kept.indexOf(fragment), 1);
  }
  return kept;
}

/** A string's characters as bytes, one each (anchors and fragments are ASCII). */
function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);
}

/** Where a text is searched: a string or, in the scanner, a file's bytes (anchors are ASCII, so both agree). */
export interface Haystack {
  readonly length: number;
  /** Offset of `fragment` (the AnchorSet's fragment number `index`) at or after `from`, or -1. */
  indexOf(index: number, from: number): number;
  /** The UTF-16 unit or byte at `at`; ASCII either way. */
  codeAt(at: number): number;
}

/** A string as a Haystack for the fragments of `set`. */
export function textHaystack(text: string, set: AnchorSet): Haystack {
  return { length: text.length, indexOf: (index, from) => text.indexOf(set.fragments[index]!, from), codeAt: (at) => text.charCodeAt(at) };
}

interface Placement {
  anchor: string;
  /** Where the fragment starts inside it. */
  offset: number;
}

/**
 * Answers "does this text hold one of these anchors?" in a few native literal searches: the
 * covering fragments are searched, and each hit is checked against the anchors that hold the
 * fragment. A word as common as "token" then costs one search, not one per anchor, yet does not
 * make every file that says "token" look like it may hold an AWS session token. The answer is
 * exactly "one of the anchors occurs", whichever fragments were chosen, so the byte prefilter and
 * each rule's own check always agree.
 */
export class AnchorSet {
  readonly fragments: readonly string[];
  /** The fragments as Latin-1 bytes, for byte haystacks. */
  readonly fragmentBytes: readonly Uint8Array[];
  private readonly placements: ReadonlyArray<readonly Placement[]>;

  /** `shortest`: the shortest fragment to search; longer ones suit anchors made of common letters (base64). */
  constructor(anchors: readonly string[], shortest = 2) {
    this.fragments = coveringFragments(anchors, shortest);
    this.fragmentBytes = this.fragments.map(latin1Bytes);
    this.placements = this.fragments.map((fragment) => {
      const placements: Placement[] = [];
      for (const anchor of new Set(anchors)) {
        for (let offset = anchor.indexOf(fragment); offset >= 0; offset = anchor.indexOf(fragment, offset + 1))
          placements.push({ anchor, offset });
      }
      return placements;
    });
  }

  foundIn(haystack: Haystack): boolean {
    let any = false;
    this.findAll(
      haystack,
      () => !any,
      () => (any = true),
    );
    return any;
  }

  /**
   * Reports each anchor that occurs (once) among those `wanted` still asks for; searching stops for
   * a fragment as soon as none of its anchors is wanted any more, and for the text once none is.
   */
  findAll(haystack: Haystack, wanted: (anchor: string) => boolean, found: (anchor: string) => void): void {
    // No arrays built per text: this runs on every file of a tree, most of which hold no anchor.
    for (let index = 0; index < this.fragments.length; index++) {
      const placements = this.placements[index]!;
      const anyWanted = () => placements.some((placement) => wanted(placement.anchor));
      if (!anyWanted()) continue;
      for (let hit = haystack.indexOf(index, 0); hit >= 0; hit = haystack.indexOf(index, hit + 1)) {
        const placement = placements.find(
          (candidate) => holdsAt(haystack, candidate.anchor, hit - candidate.offset) && wanted(candidate.anchor),
        );
        if (!placement) continue;
        found(placement.anchor);
        if (!anyWanted()) break;
      }
    }
  }

  /** The common case: a string. */
  foundInText(text: string): boolean {
    return this.foundIn(textHaystack(text, this));
  }
}

function holdsAt(haystack: Haystack, anchor: string, start: number): boolean {
  if (start < 0 || start + anchor.length > haystack.length) return false;
  for (let i = 0; i < anchor.length; i++) if (haystack.codeAt(start + i) !== anchor.charCodeAt(i)) return false;
  return true;
}

interface BytePlacement {
  /** Index of the anchor in the scanner's list. */
  anchor: number;
  bytes: Uint8Array;
  /** How far the anchor starts before the last byte of the window that stopped on it. */
  back: number;
}

/** Offset of `needle` in `bytes` at or after `from`, or -1: callers with a native search pass theirs (Node's Buffer.indexOf). */
export type IndexOfBytes = (bytes: Uint8Array, needle: Uint8Array, from: number) => number;

/** The plain search, for callers without a native one. */
export function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  for (let start = Math.max(0, from); start + needle.length <= bytes.length; start++) if (bytesAt(bytes, needle, start)) return start;
  return -1;
}

/** A file's bytes as a Haystack for the fragments of `set`. */
export function bytesHaystack(bytes: Uint8Array, set: AnchorSet, indexOf: IndexOfBytes = indexOfBytes): Haystack {
  const fragments = set.fragmentBytes;
  return { length: bytes.length, indexOf: (index, from) => indexOf(bytes, fragments[index]!, from), codeAt: (at) => bytes[at]! };
}

/** Window of the skip search: anchors at least this long are found by it, shorter ones by a search each. */
const WINDOW = 4;
/** Below this many bytes the four lanes are not worth setting up. */
const LANES_FROM = 256;

/**
 * Finds which of many anchors occur in a byte string, visiting about one byte in three: a Wu-Manber
 * search. Each anchor is represented by four of its bytes (the stretch whose pairs of adjacent
 * bytes are rarest by the share model above). A window of four bytes moves through the text, and
 * the pair of bytes it ends with says how far it may move without passing over such a stretch:
 * three bytes for a pair no stretch holds (nearly all pairs), less for a pair a stretch holds
 * before its end, none for a pair a stretch ends with, where the anchors filed under that pair are
 * compared in full. Anchors of two or three bytes (`&#`, `\x3`) go to an AnchorSet instead: a native
 * search for each of their few covering fragments (`\x` for five of them), where the caller has one
 * (they start with rare bytes, so memchr does the work).
 *
 * Each move waits on a table lookup that waits on the bytes read, so one window is held up by
 * memory latency rather than work; four windows, one in each quarter of the bytes, move in the same
 * loop and overlap their waits. Warm, on botocore's 137 MB, the whole pass (short anchors and
 * compares included) took 115 ms where one that looked up every byte's pair took 250-265 ms, with
 * the same answers on every file of the corpora (bench/RESULTS.md, session 6).
 * Anchors must be ASCII and at least two characters long.
 */
export class ByteAnchorScanner {
  readonly anchors: readonly string[];
  /** How far a window ending in each pair of bytes may move: 0 where an anchor's stretch ends. */
  private readonly shifts = new Uint8Array(65536).fill(WINDOW - 1);
  private readonly bucketOf = new Uint16Array(65536);
  private readonly buckets: BytePlacement[][] = [];
  /**
   * Set for the hash of each anchor's four-byte stretch: most stops are on a common pair (`ke` of
   * `token` also ends `make` and `like`), and one lookup here turns them away without comparing
   * the dozens of anchors filed under that pair.
   */
  private readonly stretches = new Uint8Array(65536);
  /** Anchors shorter than the window, and their indexes in `anchors`. */
  private readonly shortAnchors: AnchorSet;
  private readonly shortIndex = new Map<string, number>();
  /** 1 for each anchor whose every occurrence scan() reports to `at` (see `located`). */
  private readonly locates: Uint8Array;

  /**
   * `located`: anchors (among `anchors`, or added to them) whose every occurrence is reported with
   * its position, not only whether one occurs; at least four characters long.
   */
  constructor(anchors: readonly string[], located: readonly string[] = []) {
    this.anchors = [...new Set([...anchors, ...located])];
    this.locates = new Uint8Array(this.anchors.length);
    for (const word of located) {
      if (word.length < WINDOW) throw new Error(`ByteAnchorScanner: located anchor ${JSON.stringify(word)} is shorter than ${WINDOW}`);
      this.locates[this.anchors.indexOf(word)] = 1;
    }
    this.anchors.forEach((anchor, index) => {
      if (anchor.length < 2 || !/^[\x20-\x7e]+$/.test(anchor))
        throw new Error(`ByteAnchorScanner: anchor ${JSON.stringify(anchor)} must be printable ASCII, 2+ characters`);
      const bytes = latin1Bytes(anchor);
      if (anchor.length < WINDOW) {
        this.shortIndex.set(anchor, index);
        return;
      }
      const offset = rarestStretch(anchor);
      for (let end = 1; end < WINDOW; end++) {
        const pair = (anchor.charCodeAt(offset + end - 1) << 8) | anchor.charCodeAt(offset + end);
        this.shifts[pair] = Math.min(this.shifts[pair]!, WINDOW - 1 - end);
      }
      const last = (anchor.charCodeAt(offset + WINDOW - 2) << 8) | anchor.charCodeAt(offset + WINDOW - 1);
      if (this.bucketOf[last] === 0) {
        this.buckets.push([]);
        this.bucketOf[last] = this.buckets.length;
      }
      this.buckets[this.bucketOf[last]! - 1]!.push({ anchor: index, bytes, back: offset + WINDOW - 1 });
      this.stretches[stretchHash(bytes, offset + WINDOW - 1)] = 1;
    });
    this.shortAnchors = new AnchorSet([...this.shortIndex.keys()]);
  }

  /**
   * Reports each anchor (by index) that occurs, once, among those `wanted` still asks for; `done` is
   * asked after each report and ends the pass early when it says so. Anchors are not reported in
   * the order they occur. `at` is told every occurrence of a located anchor (its start), in no
   * particular order, as long as the pass goes on.
   */
  scan(
    bytes: Uint8Array,
    wanted: (anchor: number) => boolean,
    found: (anchor: number) => void,
    done: () => boolean,
    indexOf: IndexOfBytes = indexOfBytes,
    at?: (anchor: number, start: number) => void,
  ): void {
    if (this.shortIndex.size > 0 && this.scanShort(bytes, wanted, found, done, indexOf)) return;
    const length = bytes.length;
    const shifts = this.shifts;
    const first = WINDOW - 1;
    // Window ends in [first, length) split into four quarters, one lane each (one lane for a short text).
    const quarter = length < LANES_FROM ? 0 : (length - first) >> 2;
    const lanes = Int32Array.of(first, first + quarter, first + 2 * quarter, first + 3 * quarter);
    const ends = Int32Array.of(first + quarter, first + 2 * quarter, first + 3 * quarter, length);
    if (quarter > 0) {
      while (advanceLanes(bytes, shifts, lanes, ends)) {
        for (let lane = 0; lane < 4; lane++) {
          const end = lanes[lane]!;
          if (shifts[(bytes[end - 1]! << 8) | bytes[end]!] !== 0) continue;
          if (this.stoppedAt(bytes, end, wanted, found, done, at)) return;
          lanes[lane] = end + 1;
        }
      }
    }
    for (let lane = 0; lane < 4; lane++) {
      for (let end = nextStop(bytes, shifts, lanes[lane]!, ends[lane]!); end !== -1; end = nextStop(bytes, shifts, end + 1, ends[lane]!))
        if (this.stoppedAt(bytes, end, wanted, found, done, at)) return;
    }
  }

  /** The anchors shorter than the window; true when the pass is done. */
  private scanShort(
    bytes: Uint8Array,
    wanted: (anchor: number) => boolean,
    found: (anchor: number) => void,
    done: () => boolean,
    indexOf: IndexOfBytes,
  ): boolean {
    let finished = false;
    this.shortAnchors.findAll(
      bytesHaystack(bytes, this.shortAnchors, indexOf),
      (anchor) => !finished && wanted(this.shortIndex.get(anchor)!),
      (anchor) => {
        found(this.shortIndex.get(anchor)!);
        finished = done();
      },
    );
    return finished;
  }

  /** Compares the anchors filed under the pair a window stopped on (ending at `end`); true when the pass is done. */
  private stoppedAt(
    bytes: Uint8Array,
    end: number,
    wanted: (anchor: number) => boolean,
    found: (anchor: number) => void,
    done: () => boolean,
    at: ((anchor: number, start: number) => void) | undefined,
  ): boolean {
    if (this.stretches[stretchHash(bytes, end)] === 0) return false;
    const placements = this.buckets[this.bucketOf[(bytes[end - 1]! << 8) | bytes[end]!]! - 1]!;
    for (let i = 0; i < placements.length; i++) {
      const placement = placements[i]!;
      const start = end - placement.back;
      if (start < 0 || start + placement.bytes.length > bytes.length || !bytesAt(bytes, placement.bytes, start)) continue;
      if (at !== undefined && this.locates[placement.anchor] === 1) at(placement.anchor, start);
      if (!wanted(placement.anchor)) continue;
      found(placement.anchor);
      if (done()) return true;
    }
    return false;
  }
}

/*
 * The two loops below are small functions of their own, with no closure and no call inside: V8
 * optimizes such a loop after a few files. Written inline in scan(), it ran interpreted for the
 * first ~1,500 files of each thread (a 38 ms compile, then a deopt), which cost more on a small
 * tree or a history of small blobs than the faster loop saved.
 */

/**
 * Moves the four windows (ends at `lanes`, each lane stopping before its `ends`) until one of them
 * ends in a pair where an anchor's stretch ends. Returns true then, with every lane where it stands
 * (the caller compares anchors for those whose pair says so); false once a lane reaches its end.
 */
function advanceLanes(bytes: Uint8Array, shifts: Uint8Array, lanes: Int32Array, ends: Int32Array): boolean {
  let a = lanes[0]!;
  let b = lanes[1]!;
  let c = lanes[2]!;
  let d = lanes[3]!;
  const endA = ends[0]!;
  const endB = ends[1]!;
  const endC = ends[2]!;
  const endD = ends[3]!;
  let stopped = false;
  while (a < endA && b < endB && c < endC && d < endD) {
    const shiftA = shifts[(bytes[a - 1]! << 8) | bytes[a]!]!;
    const shiftB = shifts[(bytes[b - 1]! << 8) | bytes[b]!]!;
    const shiftC = shifts[(bytes[c - 1]! << 8) | bytes[c]!]!;
    const shiftD = shifts[(bytes[d - 1]! << 8) | bytes[d]!]!;
    if (shiftA === 0 || shiftB === 0 || shiftC === 0 || shiftD === 0) {
      stopped = true;
      break;
    }
    a += shiftA;
    b += shiftB;
    c += shiftC;
    d += shiftD;
  }
  lanes[0] = a;
  lanes[1] = b;
  lanes[2] = c;
  lanes[3] = d;
  return stopped;
}

/** The first window end in [from, to) where an anchor's stretch ends, or -1. */
function nextStop(bytes: Uint8Array, shifts: Uint8Array, from: number, to: number): number {
  for (let end = from; end < to;) {
    const shift = shifts[(bytes[end - 1]! << 8) | bytes[end]!]!;
    if (shift === 0) return end;
    end += shift;
  }
  return -1;
}

/** A 16-bit hash of the four bytes ending at `end`. */
function stretchHash(bytes: Uint8Array, end: number): number {
  const word = (bytes[end - 3]! << 24) | (bytes[end - 2]! << 16) | (bytes[end - 1]! << 8) | bytes[end]!;
  return Math.imul(word, 0x9e3779b1) >>> 16;
}

/** Where the four bytes standing for an anchor start: the stretch least often stopped at or slowed by. */
function rarestStretch(anchor: string): number {
  const pair = (at: number) => byteShare(anchor[at]!) * byteShare(anchor[at + 1]!);
  let best = 0;
  let bestCost = Infinity;
  for (let offset = 0; offset + WINDOW <= anchor.length; offset++) {
    // A pair the stretch ends with stops the window; one inside it only shortens the move.
    const cost = 10 * pair(offset + 2) + 2 * pair(offset + 1) + pair(offset);
    if (cost < bestCost) {
      bestCost = cost;
      best = offset;
    }
  }
  return best;
}

function bytesAt(bytes: Uint8Array, anchor: Uint8Array, start: number): boolean {
  for (let i = 0; i < anchor.length; i++) if (bytes[start + i] !== anchor[i]) return false;
  return true;
}
