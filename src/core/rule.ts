import type { KeywordHits } from './keyword-hits.js';
import type { Confidence, CredentialDetails, Level, RuleId } from './types.js';

/**
 * What a rule is, as the engine sees it: the contract every module in `rules/` fulfils. The engine
 * defines it and receives the rules (a RuleCatalog, src/core/catalog.ts); it imports none of them.
 */

/** A credential a rule's detector found, before position, account and fingerprint are attached. */
export interface RawMatch {
  ruleId: RuleId;
  /** Half-open UTF-16 offsets of the credential as written (escapes included). */
  start: number;
  end: number;
  /** The credential with `\/` and `%2F`-style escapes undone. */
  value: string;
  confidence: Confidence;
  example: boolean;
  keyId?: string;
  /** The account, when the credential names it itself rather than through a key id. */
  accountId?: string;
  /** Facts decoded from the credential; an expired one is reported at the lowest level. */
  details?: CredentialDetails;
  /** Set when the credential was found in decoded text: the encodings crossed, e.g. `base64>base64`. */
  encoding?: string;
}

/** What earlier rules found in the same text; secrets and tokens pair with key ids. */
export interface DetectContext {
  keyIds: readonly RawMatch[];
  /** The text's keyword hits, found on first use and shared by the rules that run on it. */
  keywordHits(): KeywordHits;
}

/**
 * What a rule finds. A key id names a key (and its account) and is shown whole; the others sign
 * requests or are bearer credentials, and are redacted.
 */
export type CredentialKind = 'key-id' | 'secret' | 'session-token' | 'bearer-key';

/** One identifier prefix a key-id rule matches, with what AWS does with ids that carry it. */
export interface KeyIdPrefix {
  /** Four characters; `?` stands for any of A-Z and 0-9 (`A3T?`). */
  prefix: string;
  /** How sure a match with this prefix is to be a credential AWS issued. */
  confidence: Confidence;
  /**
   * Set for the access key ids AWS issues today: `long-term` ones belong to an IAM user (or root),
   * are listed and deactivated through IAM; `temporary` ones come from STS and expire. STS
   * GetAccessKeyInfo resolves the account of both; other prefixes are left alone by STS and IAM calls.
   */
  lifetime?: 'long-term' | 'temporary';
  /** False when secrets near an id with this prefix must not be paired with it (too unsure a prefix). */
  pairs?: boolean;
}

/** What to do about a finding, in one sentence each. */
export interface Remediation {
  /** For reports: the terminal, JSON, SARIF and annotation messages, after the facts. */
  report: string;
  /** For the editor (the ESLint message), where the fix starts with moving the value out of the code. */
  editor: string;
}

export interface RuleDefinition {
  id: RuleId;
  /** PascalCase name for SARIF `rules[].name`. */
  name: string;
  /** One line, used as SARIF shortDescription and ESLint meta.docs.description. */
  title: string;
  /** A paragraph: what the rule finds and how. */
  description: string;
  /** Markdown shown as SARIF help and linked from ESLint: what to do about a finding. */
  help: string;
  level: Level;
  /** CVSS-like score as a string, as GitHub code scanning expects ("9.0"). */
  securitySeverity: string;
  precision: 'very-high' | 'high' | 'medium' | 'low';
  tags: readonly string[];
  kind: CredentialKind;
  /** What the credential is called in a sentence ("AWS access key ID"): the ESLint message's subject. */
  noun: string;
  /** The environment variable the AWS SDKs and CLI read this credential from (the ESLint suggestion). */
  environmentVariable: string;
  /** The short advice every finding of the rule ends with. */
  remediation: Remediation;
  /** Advice for a credential whose decoded details call for other steps (a short-term Bedrock key). */
  remediationFor?(details: CredentialDetails): Remediation | undefined;
  /** Key-id rules: the identifier prefixes the detector matches. */
  keyIdPrefixes?: readonly KeyIdPrefix[];
  /**
   * Prefilter: literals, in the casings code uses, of which at least one must occur before the
   * detector's regexes run on a text. They are found by native literal search (on strings and on
   * Buffers alike, so the scanner skips most files without decoding them) of a few covering
   * fragments, each hit then checked against the anchors that hold it.
   */
  anchors: readonly string[];
  /** Run even without an anchor when the text holds key ids, since the rule pairs with them. */
  pairsWithKeyIds?: boolean;
  detect(text: string, context: DetectContext): RawMatch[];
}
