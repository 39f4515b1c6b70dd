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
  private readonly placements: ReadonlyArray<readonly Placement[]>;

  /** `shortest`: the shortest fragment to search; longer ones suit anchors made of common letters (base64). */
  constructor(anchors: readonly string[], shortest = 2) {
    this.fragments = coveringFragments(anchors, shortest);
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
  /** Where the pivot pair starts inside the anchor. */
  offset: number;
}

/**
 * Finds which of many anchors occur in a byte string in one pass, where AnchorSet makes one native
 * search per covering fragment (a dozen passes for the rules' anchors, a dozen more for the encoded
 * ones). Each anchor is filed under its rarest pair of adjacent bytes (by the share model above);
 * the pass keeps the last two bytes as a 16-bit number and looks it up in a 64K table, checking the
 * anchors filed there only on a hit. On the benchmark corpora this is ~2x faster than the native
 * searches it replaces, and it answers for both anchor lists at once. Anchors must be ASCII and at
 * least two characters long.
 */
export class ByteAnchorScanner {
  readonly anchors: readonly string[];
  private readonly table = new Uint16Array(65536);
  private readonly buckets: BytePlacement[][] = [];

  constructor(anchors: readonly string[]) {
    this.anchors = [...new Set(anchors)];
    this.anchors.forEach((anchor, index) => {
      if (anchor.length < 2 || !/^[\x20-\x7e]+$/.test(anchor))
        throw new Error(`ByteAnchorScanner: anchor ${JSON.stringify(anchor)} must be printable ASCII, 2+ characters`);
      let offset = 0;
      let best = Infinity;
      for (let at = 0; at + 1 < anchor.length; at++) {
        const share = byteShare(anchor[at]!) * byteShare(anchor[at + 1]!);
        if (share < best) {
          best = share;
          offset = at;
        }
      }
      const pair = (anchor.charCodeAt(offset) << 8) | anchor.charCodeAt(offset + 1);
      if (this.table[pair] === 0) {
        this.buckets.push([]);
        this.table[pair] = this.buckets.length;
      }
      this.buckets[this.table[pair]! - 1]!.push({ anchor: index, bytes: Uint8Array.from(anchor, (char) => char.charCodeAt(0)), offset });
    });
  }

  /**
   * Reports each anchor (by index) that occurs, once, among those `wanted` still asks for; `done` is
   * asked after each report and ends the pass early when it says so.
   */
  scan(bytes: Uint8Array, wanted: (anchor: number) => boolean, found: (anchor: number) => void, done: () => boolean): void {
    const length = bytes.length;
    if (length < 2) return;
    const table = this.table;
    let pair = bytes[0]!;
    for (let at = 1; at < length; at++) {
      pair = ((pair << 8) | bytes[at]!) & 0xffff;
      const bucket = table[pair]!;
      if (bucket === 0) continue;
      for (const placement of this.buckets[bucket - 1]!) {
        const start = at - 1 - placement.offset;
        if (start < 0 || start + placement.bytes.length > length || !bytesAt(bytes, placement.bytes, start) || !wanted(placement.anchor))
          continue;
        found(placement.anchor);
        if (done()) return;
      }
    }
  }
}

function bytesAt(bytes: Uint8Array, anchor: Uint8Array, start: number): boolean {
  for (let i = 0; i < anchor.length; i++) if (bytes[start + i] !== anchor[i]) return false;
  return true;
}
