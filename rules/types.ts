/** The contract a rule module fulfils is the engine's (src/core/rule.ts); rules import it from here. */
export type { CredentialKind, DetectContext, KeyIdPrefix, RawMatch, Remediation, RuleDefinition } from '../src/core/rule.js';
