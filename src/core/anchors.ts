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
 * A small set of fragments such that every anchor contains one: searching bytes for these few
 * (instead of every anchor) rejects most files in a handful of native passes. Greedy set cover
 * over the anchors' substrings of 4 to 6 characters, longer fragments first on ties.
 */
export function coveringFragments(anchors: readonly string[]): string[] {
  // Fragments of 4 to 6 chars (or a shorter anchor whole): long enough to be rare, short enough to be shared.
  const candidatesOf = new Map<string, Set<string>>();
  for (const anchor of anchors) {
    const candidates = new Set<string>();
    const minLength = Math.min(4, anchor.length);
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
    let bestCount = 0;
    for (const [candidate, count] of counts) {
      if (count > bestCount || (count === bestCount && (candidate.length > best.length || (candidate.length === best.length && candidate < best)))) {
        best = candidate;
        bestCount = count;
      }
    }
    fragments.push(best);
    for (const anchor of [...uncovered]) if (candidatesOf.get(anchor)!.has(best)) uncovered.delete(anchor);
  }
  return fragments;
}
