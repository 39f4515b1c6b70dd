/**
 * Credential-shaped values for the corpus, built in code so no key literal lives in the repository.
 * Shapes follow docs/aws-credentials.md, "Key ID format": key ids are a 4-char prefix + 16 base32 chars; secrets are 40 chars of
 * [A-Za-z0-9+/]; session tokens are long base64 starting with one of a few known prefixes.
 */
import { BASE32, BASE64 } from './random.js';

/** Assembled from halves so this file holds no anchor a scanner keys on. */
export const PREFIX = {
  AKIA: ['AK', 'IA'].join(''),
  ASIA: ['AS', 'IA'].join(''),
  AIDA: ['AI', 'DA'].join(''),
  AROA: ['AR', 'OA'].join(''),
  AGPA: ['AG', 'PA'].join(''),
  ANPA: ['AN', 'PA'].join(''),
  AIPA: ['AI', 'PA'].join(''),
};

export const TOKEN_PREFIXES = [
  ['IQoJb3Jp', 'Z2luX2Vj'].join(''),
  ['FwoGZXIv', 'YXdzE'].join(''),
  ['FQoGZXIv', 'YXdzE'].join(''),
  ['AQoDYXdz', 'E'].join(''),
];

/** AWS documentation examples (allowed as literals): scanners count them as examples, not leaks. */
export const DOC_EXAMPLE_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const DOC_EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/**
 * A random credential hits one of these with odds around 1e-5; a human reading it would take it
 * for a placeholder, so the corpus never plants one (it would measure luck, not recall).
 */
const LOOKS_FAKE =
  /(.)\1{4,}|EXAMPLE|XXXX|YOUR|FAKE|TODO|FIXME|SAMPLE|DUMMY|INSERT|REPLACE|CHANGE_?ME|PLACEHOLDER|REDACTED|SECRET_?KEY|ACCESS_?KEY/i;
const SEQUENCES = ['ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz', '0123456789'];

function looksFake(value) {
  if (LOOKS_FAKE.test(value)) return true;
  for (const seq of SEQUENCES) {
    for (let i = 0; i + 6 <= seq.length; i++) if (value.includes(seq.slice(i, i + 6))) return true;
  }
  return false;
}

export function createKeys(random) {
  const keyId = (prefix = 'AKIA') => {
    for (;;) {
      const tail = random.chars(BASE32, 16);
      if (!looksFake(tail)) return PREFIX[prefix] + tail;
    }
  };
  const secret = ({ slash = false } = {}) => {
    for (;;) {
      let value = random.chars(BASE64, 40);
      if (slash && !value.includes('/')) value = `${value.slice(0, 17)}/${value.slice(18)}`;
      if (/[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value) && !looksFake(value)) return value;
    }
  };
  const token = ({ prefix = random.pick(TOKEN_PREFIXES), length = random.int(300, 900) } = {}) => {
    for (;;) {
      const value = (prefix ?? '') + random.chars(BASE64, length - (prefix ?? '').length);
      if (!looksFake(value)) return value;
    }
  };
  const uniqueId = (prefix) => PREFIX[prefix] + random.chars(BASE32, 16);
  return { keyId, secret, token, uniqueId };
}
