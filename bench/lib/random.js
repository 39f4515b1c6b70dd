/**
 * Seeded randomness for the synthetic corpus: the same seed gives the same bytes on every machine,
 * so benchmark numbers from different runs describe the same input.
 */
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const HEX = '0123456789abcdef';
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** mulberry32: tiny, fast, and good enough for test data (not for cryptography). */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (items) => items[Math.floor(next() * items.length)];
  const chance = (p) => next() < p;
  const chars = (alphabet, n) => {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
    return out;
  };
  /** Picks a key of `weights` with probability proportional to its value. */
  const weighted = (weights) => {
    const entries = Object.entries(weights);
    let total = 0;
    for (const [, w] of entries) total += w;
    let roll = next() * total;
    for (const [key, w] of entries) {
      roll -= w;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  };
  return {
    next,
    int,
    pick,
    chance,
    chars,
    weighted,
    hex: (n) => chars(HEX, n),
    base64: (n) => chars(BASE64, n),
    base32: (n) => chars(BASE32, n),
    alnum: (n) => chars(ALNUM, n),
    uuid: () => `${chars(HEX, 8)}-${chars(HEX, 4)}-4${chars(HEX, 3)}-${pick(['8', '9', 'a', 'b'])}${chars(HEX, 3)}-${chars(HEX, 12)}`,
  };
}
