import { decodeBase32 } from './base32.js';

/**
 * Offline account decoding (docs/aws-credentials.md, "Account ID from a key ID, offline"):
 * modern key ids have the generation bit set, which shows as a fifth character in [Q-Z2-7].
 * The 16 characters after the prefix are base32; bits 7..46 of the first 6 bytes are the account.
 * Older ids (fifth char A-P, e.g. AKIAI..., AKIAJ...) carry no account, so we return null, never a guess.
 */
export function isModernKeyId(keyId: string): boolean {
  return keyId.length >= 20 && /^[Q-Z2-7]$/.test(keyId[4] ?? '');
}

const MAX_ACCOUNT_ID = 999_999_999_999;

export function accountIdFromKeyId(keyId: string): string | null {
  if (!isModernKeyId(keyId)) return null;
  const bytes = decodeBase32(keyId.slice(4, 20));
  if (!bytes || bytes.length < 6) return null;
  let z = 0;
  for (let i = 0; i < 6; i++) z = z * 256 + bytes[i]!;
  // (z & 0x7fffffffff80) >> 7, in float-safe arithmetic: z < 2^48 fits a double exactly.
  const account = Math.floor(z / 128) % 2 ** 40;
  // 40 bits reach 1,099,511,627,775, but an account ID is exactly 12 decimal digits
  // (docs/aws-credentials.md, "Account ID from a key ID, offline"): a 13-digit decode cannot come
  // from a key AWS issued.
  if (account > MAX_ACCOUNT_ID) return null;
  return String(account).padStart(12, '0');
}

/** Thinkst Canarytokens' AWS accounts (docs/aws-credentials.md, "Canary-token accounts"); a key from one of these is a tripwire, not a leak. */
export const CANARY_ACCOUNTS: ReadonlySet<string> = new Set([
  '052310077262',
  '171436882533',
  '266735846894',
  '534261010715',
  '595918472158',
  '717712589309',
  '730335385048',
  '819147034852',
  '893192397702',
  '992382622183',
]);

export function isAccountId(text: string): boolean {
  return /^\d{12}$/.test(text);
}
