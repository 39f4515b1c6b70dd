/**
 * The spellings a keyword takes in practice: `secret`, `Secret` (camelCase, PascalCase), `SECRET`
 * (env vars). A wilder casing (`sEcReT`) is not anchored: keyword matching skips such a file, though
 * pairing with a key id still finds the secret.
 */
export function caseVariants(word: string): string[] {
  const lower = word.toLowerCase();
  return [lower, lower[0]!.toUpperCase() + lower.slice(1), lower.toUpperCase()];
}

/** `session_token`, `sessionToken`, `SessionToken`, `SESSION-TOKEN`, ...: two words in the usual casings and separators. */
export function keywordVariants(firsts: readonly string[], second: string): string[] {
  const variants = new Set<string>();
  for (const first of firsts) {
    const [lower, pascal, upper] = caseVariants(first) as [string, string, string];
    const [secondLower, secondPascal, secondUpper] = caseVariants(second) as [string, string, string];
    for (const separator of ['', '_', '-', '.', ' ']) {
      variants.add(lower + separator + secondLower);
      variants.add(lower + separator + secondPascal);
      variants.add(pascal + separator + secondPascal);
      variants.add(upper + separator + secondUpper);
    }
  }
  return [...variants];
}

/**
 * Rough cost of searching for a fragment, by its first character: native literal search skips
 * ahead to each occurrence of the first character, so a fragment starting with a letter as common
 * as `e` runs at a third of the speed of one starting with `k` or an uppercase letter (measured on
 * the benchmark corpus: `ecret` 73 ms, `cret` 50 ms, `SECRET` 22 ms per 100 MB).
 */
const COMMON_FIRST_CHARS = new Map<string, number>([
  ...[...'etaoinsr _.-/'].map((char) => [char, 4] as const),
  ...[...'hldcumfp'].map((char) => [char, 3] as const),
  ...[...'gwybv0123456789'].map((char) => [char, 2] as const),
]);

function searchCost(fragment: string): number {
  return COMMON_FIRST_CHARS.get(fragment[0]!) ?? 1;
}

/**
 * A small set of fragments such that every anchor contains one: searching for these few (instead
 * of every anchor) rejects most texts in a handful of native passes. Greedy set cover over the
 * anchors' substrings of 3 to 6 characters: most anchors covered per unit of search cost first,
 * then longer fragments (fewer chance hits to check).
 */
export function coveringFragments(anchors: readonly string[]): string[] {
  const candidatesOf = new Map<string, Set<string>>();
  for (const anchor of anchors) {
    const candidates = new Set<string>();
    const minLength = Math.min(3, anchor.length);
    for (let length = Math.min(6, anchor.length); length >= minLength; length--) {
      for (let start = 0; start + length <= anchor.length; start++) candidates.add(anchor.slice(start, start + length));
    }
    candidatesOf.set(anchor, candidates);
  }
  const uncovered = new Set(anchors);
  const fragments: string[] = [];
  while (uncovered.size > 0) {
    const counts = new Map<string, number>();
    for (const anchor of uncovered) for (const candidate of candidatesOf.get(anchor)!) counts.set(candidate, (counts.get(candidate) ?? 0) + 1);
    let best = '';
    let bestScore = 0;
    for (const [candidate, count] of counts) {
      const score = count / searchCost(candidate);
      if (score > bestScore || (score === bestScore && (candidate.length > best.length || (candidate.length === best.length && candidate < best)))) {
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
    if (anchors.every((anchor) => !covers(fragment, anchor) || others.some((other) => covers(other, anchor)))) kept.splice(kept.indexOf(fragment), 1);
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

interface Placement {
  /** The anchor, lowercased. */
  lower: string;
  /** Where the fragment starts inside it. */
  offset: number;
}

function asciiLower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/**
 * Answers "does this text hold one of these anchors?" in a few native literal searches: the
 * covering fragments are searched exactly, and each hit is checked against the anchors that hold
 * the fragment, ignoring ASCII case around it (`Session_token` counts for `session_token`). A word
 * as common as "token" then costs one search, not one per anchor, yet does not make every file
 * that says "token" look like it may hold an AWS session token.
 */
export class AnchorSet {
  readonly fragments: readonly string[];
  private readonly placements: ReadonlyArray<readonly Placement[]>;

  constructor(anchors: readonly string[]) {
    this.fragments = coveringFragments(anchors);
    const lowered = [...new Set(anchors.map((anchor) => anchor.toLowerCase()))];
    this.placements = this.fragments.map((fragment) => {
      const placements: Placement[] = [];
      for (const lower of lowered) {
        // Every position of the fragment in the anchor, compared without case as the check will be.
        for (let offset = lower.indexOf(fragment.toLowerCase()); offset >= 0; offset = lower.indexOf(fragment.toLowerCase(), offset + 1)) {
          placements.push({ lower, offset });
        }
      }
      return placements;
    });
  }

  foundIn(haystack: Haystack): boolean {
    for (let index = 0; index < this.fragments.length; index++) {
      const placements = this.placements[index]!;
      for (let hit = haystack.indexOf(index, 0); hit >= 0; hit = haystack.indexOf(index, hit + 1)) {
        for (const placement of placements) if (holdsAt(haystack, placement.lower, hit - placement.offset)) return true;
      }
    }
    return false;
  }

  /** The common case: a string. */
  foundInText(text: string): boolean {
    return this.foundIn({ length: text.length, indexOf: (index, from) => text.indexOf(this.fragments[index]!, from), codeAt: (at) => text.charCodeAt(at) });
  }
}

function holdsAt(haystack: Haystack, lower: string, start: number): boolean {
  if (start < 0 || start + lower.length > haystack.length) return false;
  for (let i = 0; i < lower.length; i++) if (asciiLower(haystack.codeAt(start + i)) !== lower.charCodeAt(i)) return false;
  return true;
}
