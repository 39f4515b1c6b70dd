import { sha256Hex } from './sha256.js';

/** Fixed salt for fingerprints that must match across runs and machines (SARIF, default baselines). */
export const DEFAULT_FINGERPRINT_SALT = 'keywarden/v1';

/**
 * Content-based fingerprint: salted SHA-256 of rule id and credential, truncated to 128 bits.
 * It moves with the credential (renames, line shifts) and never reveals it.
 */
export function contentFingerprint(ruleId: string, value: string, salt = DEFAULT_FINGERPRINT_SALT): string {
  return sha256Hex(`${salt}\u0000${ruleId}\u0000${value}`).slice(0, 32);
}

/** Per-location fingerprint for SARIF partialFingerprints: the same key in two files is two results. */
export function locationFingerprint(contentPrint: string, path: string): string {
  return sha256Hex(`${contentPrint}\u0000${path}`).slice(0, 32);
}
