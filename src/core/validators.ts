import { isBase32 } from './base32.js';
import { shannonEntropy } from './entropy.js';
import { isExampleValue, isPlaceholder } from './placeholders.js';

const HEX = /^[0-9a-fA-F]+$/;

export type Strictness = 'keyword' | 'paired';

/**
 * Is a decoded 40-char candidate plausibly a secret access key (docs/aws-credentials.md, "Secret access keys": 40 chars of
 * [A-Za-z0-9+/])? Rejects SHA-1 hex (git objects, GPG fingerprints), placeholders and
 * low-entropy strings. Without a keyword nearby (`paired`), also demands a digit or `+`/`/`,
 * which a random 40-char secret lacks with odds of about 1 in 4,000, but identifiers always lack.
 */
export function isPlausibleSecret(value: string, strictness: Strictness): boolean {
  if (value.length !== 40) return false;
  if (HEX.test(value)) return false;
  if (!/[A-Z]/.test(value) || !/[a-z]/.test(value)) return false;
  if (isExampleValue(value)) return true;
  if (isPlaceholder(value)) return false;
  if (strictness === 'paired' && !/[0-9+/]/.test(value)) return false;
  return shannonEntropy(value) >= (strictness === 'paired' ? 4.2 : 3.8);
}

/** Session tokens: long base64 of a binary blob, so high entropy and mixed case. */
export function isPlausibleSessionToken(value: string): boolean {
  const body = value.replace(/=+$/, '');
  if (body.length < 100) return false;
  if (HEX.test(body)) return false;
  if (!/[A-Z]/.test(body) || !/[a-z]/.test(body) || !/[0-9]/.test(body)) return false;
  return shannonEntropy(body) >= 4.5;
}

/**
 * Key id tail (the 16 chars after the prefix): base32 in practice (docs/aws-credentials.md, "Key ID format": 0, 1, 8, 9 never
 * appear). Documentation examples such as AKIAI44QH8DHBEXAMPLE break that rule and are accepted
 * only so they can be counted as examples.
 */
export function keyIdTailKind(tail: string): 'valid' | 'example' | 'invalid' {
  if (isExampleValue(tail)) return 'example';
  if (!isBase32(tail)) return 'invalid';
  if (isPlaceholder(tail)) return 'invalid';
  return 'valid';
}
