/**
 * Values people write where a credential would go but that are not credentials.
 * Checked on the decoded candidate; wrapper syntaxes (<...>, ${...}, {{...}}) never reach here
 * because their brackets are outside the base64 alphabet, see `isWrappedReference`.
 */
const PLACEHOLDER_WORDS =
  /(?:x{4,}|X{4,}|\*{3,}|REPLACE|CHANGE_?ME|YOUR_?|INSERT|PLACEHOLDER|REDACTED|DUMMY|SAMPLE|FAKE|TODO|FIXME|SECRET_?KEY|ACCESS_?KEY|\.\.\.)/i;

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
  return PLACEHOLDER_WORDS.test(value) || LONG_RUN.test(value) || hasSequence(value, 6);
}

/** `${AWS_SECRET}`, `{{ secret }}`, `<your-secret>`, `$(cmd)`, `%VAR%`: references, not values. */
export function isWrappedReference(before: string): boolean {
  return /(?:\$\{|\{\{|<|\$\(|%)\s*$/.test(before);
}

/** Documentation examples: key ids ending in EXAMPLE, secrets ending in EXAMPLEKEY (AWS-FACTS.md). */
export function isExampleValue(value: string): boolean {
  return value.includes('EXAMPLE');
}
