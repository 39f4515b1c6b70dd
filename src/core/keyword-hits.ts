/** Every "secret", "access" and "token" in any casing, overlapping ones included (`accessecret`, `secretoken`). */
const KEYWORD_WORDS = /secret|access|token/gi;

/** Where the keyword searches of the secret and session-token rules start (see keywordHits). */
export interface KeywordHits {
  /** Every "secret" in any casing: what a global /secret/gi finds (the word cannot overlap itself). */
  secret: number[];
  /** The leftmost non-overlapping "secret" or "access": what a global /secret|access/gi finds. */
  bare: number[];
  /** Every "token" in any casing: what a global /token/gi finds. */
  token: number[];
}

/**
 * The keyword hits of a text from one pass instead of one per search. Every keyword the rules
 * look for holds one of these words, so their regexes are tried only near a hit (matchAllLocated):
 * V8 would otherwise try a case-insensitive pattern that starts with common letters at every
 * position of the text, once per pattern.
 */
export function keywordHits(text: string): KeywordHits {
  const secret: number[] = [];
  const bare: number[] = [];
  const token: number[] = [];
  let bareFrom = 0;
  KEYWORD_WORDS.lastIndex = 0;
  for (let hit = KEYWORD_WORDS.exec(text); hit; hit = KEYWORD_WORDS.exec(text)) {
    const at = hit.index;
    const first = text.charCodeAt(at) | 0x20;
    if (first === 0x74) token.push(at);
    else {
      // "s": a "secret"; "secret" and "access" are both six characters long.
      if (first === 0x73) secret.push(at);
      if (at >= bareFrom) {
        bare.push(at);
        bareFrom = at + 6;
      }
    }
    KEYWORD_WORDS.lastIndex = at + 1;
  }
  return { secret, bare, token };
}
