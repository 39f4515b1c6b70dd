/**
 * Test credentials built in code, never pasted as literals, so the repository scans itself clean.
 * Deterministic: the same seed gives the same key on every run.
 */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** mulberry32: small, seedable, good enough to make test data. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

function hasLongRun(text: string): boolean {
  return /(.)\1{4,}/.test(text);
}

/** The literal prefix, assembled so this file itself holds no key-id-shaped token. */
export function prefix(
  kind: 'AKIA' | 'ASIA' | 'ABIA' | 'ACCA' | 'AIDA' | 'AROA' | 'AGPA' | 'ANPA' | 'AIPA' | 'ANVA' | 'APKA' | 'ASCA',
): string {
  return kind.slice(0, 2) + kind.slice(2);
}

export interface KeyIdOptions {
  seed?: number;
  /** Encode this 12-digit account (modern format). */
  account?: string;
  /** Old format: fifth char in A-P, no account inside. */
  legacy?: boolean;
}

/** The account bits of a modern key id's first 6 bytes: (z & 0x7fffffffff80) >> 7. */
function encodedAccount(bytes: Uint8Array): number {
  let z = 0;
  for (let i = 0; i < 6; i++) z = z * 256 + bytes[i]!;
  return Math.floor(z / 128) % 2 ** 40;
}

export function makeKeyId(kind: Parameters<typeof prefix>[0] = 'AKIA', options: KeyIdOptions = {}): string {
  const random = prng(options.seed ?? 1);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const bytes = new Uint8Array(10);
    for (let i = 0; i < 10; i++) bytes[i] = Math.floor(random() * 256);
    if (options.account !== undefined) {
      // z = 1 (generation bit 47) | account << 7 | 7 random low bits; bytes 0..5 big-endian.
      let z = 2 ** 47 + Number(options.account) * 128 + (bytes[5]! & 0x7f);
      for (let i = 5; i >= 0; i--) {
        bytes[i] = z % 256;
        z = Math.floor(z / 256);
      }
    } else if (options.legacy) {
      bytes[0] = bytes[0]! & 0x7f;
    } else {
      bytes[0] = bytes[0]! | 0x80;
      // AWS issues 12-digit accounts only; 40 random bits would overflow that about 9% of the time.
      if (encodedAccount(bytes) > 999_999_999_999) continue;
    }
    const tail = encodeBase32(bytes);
    if (!hasLongRun(tail) && !/EXAMPLE|XXXX|YOUR|FAKE|TODO|SAMPLE|DUMMY/.test(tail)) return prefix(kind) + tail;
  }
  // Tiny account numbers encode as runs of "A", which the detector treats as placeholders.
  throw new Error(`cannot build a plausible ${kind} key id for ${JSON.stringify(options)}`);
}

/** A 40-char secret access key that looks random: mixed case, a digit, no placeholder words. */
export function makeSecret(seed = 1): string {
  const random = prng(seed * 7919 + 13);
  for (;;) {
    let secret = '';
    for (let i = 0; i < 40; i++) secret += BASE64[Math.floor(random() * 64)];
    if (
      /[A-Z]/.test(secret) &&
      /[a-z]/.test(secret) &&
      /[0-9]/.test(secret) &&
      !hasLongRun(secret) &&
      !/x{4}|fake|todo|your|sample|dummy|example/i.test(secret)
    ) {
      return secret;
    }
  }
}

/** A secret that contains `/` and `+`, for the escaped-form tests. */
export function makeSecretWithSlash(seed = 1): string {
  const base = makeSecret(seed);
  return `${base.slice(0, 10)}/${base.slice(11, 20)}+${base.slice(21)}`;
}

export const SESSION_TOKEN_PREFIX = ['IQoJb3Jp', 'Z2luX2Vj'].join('');

/** A base64 session token of `length` chars starting with a known STS prefix. */
export function makeSessionToken(seed = 1, length = 400, tokenPrefix = SESSION_TOKEN_PREFIX): string {
  const random = prng(seed * 104729 + 7);
  let token = tokenPrefix;
  while (token.length < length) token += BASE64[Math.floor(random() * 64)];
  return token;
}

/** AWS's published documentation examples (docs/aws-credentials.md, "Key ID format"): not secrets, counted as examples. */
export const DOC_EXAMPLE_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const DOC_EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
