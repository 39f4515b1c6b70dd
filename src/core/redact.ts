import type { CredentialKind } from './rule.js';

const MASK = '*'.repeat(16);

/**
 * Key ids are shown whole: users need them to find the key in IAM, and alone they grant nothing.
 * Everything else keeps its first four characters, enough to tell forms apart.
 */
export function redactCredential(kind: CredentialKind, value: string): string {
  if (kind === 'key-id') return value;
  return value.slice(0, 4) + MASK;
}
