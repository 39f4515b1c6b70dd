/** Marks no random base64 value holds: masks and ellipses. */
const MASKS = /\*{3,}|\.\.\./;

/**
 * Words people write where a credential would go. A value is a placeholder when such words, written
 * as words, make up a third of it: `YourSecretAccessKeyHere`, `FAKESECRETKEY`, `changeme`. A
 * case-insensitive substring test would drop about 1 random secret in 7,000 (`...yOuR...`,
 * `...faKE...`); a third of a 40-char value spelled in dictionary words is beyond chance.
 */
const PLACEHOLDER_WORDS = new Set([
  'your',
  'my',
  'the',
  'this',
  'is',
  'a',
  'for',
  'not',
  'real',
  'here',
  'goes',
  'put',
  'enter',
  'paste',
  'insert',
  'replace',
  'change',
  'me',
  'placeholder',
  'redacted',
  'dummy',
  'sample',
  'fake',
  'mock',
  'demo',
  'test',
  'testing',
  'unit',
  'only',
  'do',
  'use',
  'todo',
  'fixme',
  'aws',
  'secret',
  'access',
  'key',
  'id',
  'value',
  'token',
]);
const LONGEST_WORD = Math.max(...[...PLACEHOLDER_WORDS].map((word) => word.length)) + 1;

/**
 * Words as code spells them: an all-caps run (`SECRET`, the `AWS` of `AWSKey`), or a lowercase run
 * with an optional capital (`secret`, `Secret`); a case change or a non-letter ends a word.
 */
const WORD = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g;

/**
 * Whether a word is placeholder words run together (`yoursecretkey`, `CHANGEME`, `FAKEKEYSFORTESTS`),
 * each maybe plural: dynamic programming, linear in the word's length.
 */
function isPlaceholderWord(word: string): boolean {
  const lower = word.toLowerCase();
  const reachable = [true];
  for (let end = 1; end <= lower.length; end++) {
    reachable[end] = false;
    for (let start = Math.max(0, end - LONGEST_WORD); start < end && !reachable[end]; start++) {
      const piece = lower.slice(start, end);
      reachable[end] =
        reachable[start]! && (PLACEHOLDER_WORDS.has(piece) || (piece.endsWith('s') && PLACEHOLDER_WORDS.has(piece.slice(0, -1))));
    }
  }
  return reachable[lower.length]!;
}

/** Any placeholder word of three letters or more, in any case: most random values hold none, and skip the word split. */
const ANY_LONGER_WORD = new RegExp([...PLACEHOLDER_WORDS].filter((word) => word.length >= 3).join('|'), 'i');

function placeholderWordShare(value: string): number {
  if (!ANY_LONGER_WORD.test(value)) return 0;
  let covered = 0;
  // Words under four letters count only run together with others: `me`, `id` and `is` turn up in random text.
  for (const [word] of value.matchAll(WORD)) if (word.length >= 4 && isPlaceholderWord(word)) covered += word.length;
  return covered / value.length;
}

/** The same character five times in a row: about 2e-6 odds in a random 40-char secret. */
const LONG_RUN = /(.)\1{4,}/;

const SEQUENCES = ['ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz', '0123456789'];

function hasSequence(text: string, length: number): boolean {
  for (const seq of SEQUENCES) {
    for (let i = 0; i + length <= seq.length; i++) {
      if (text.includes(seq.slice(i, i + length))) return true;
    }
  }
  return false;
}

export function isPlaceholder(value: string): boolean {
  return MASKS.test(value) || LONG_RUN.test(value) || hasSequence(value, 6) || placeholderWordShare(value) >= 1 / 3;
}

/** `${AWS_SECRET}`, `{{ secret }}`, `<your-secret>`, `$(cmd)`, `%VAR%`: references, not values. */
export function isWrappedReference(before: string): boolean {
  return /(?:\$\{|\{\{|<|\$\(|%)\s*$/.test(before);
}

/** Documentation examples: key ids ending in EXAMPLE, secrets ending in EXAMPLEKEY (docs/aws-credentials.md, "Key ID format"). */
export function isExampleValue(value: string): boolean {
  return value.includes('EXAMPLE');
}
