import type { Confidence, CredentialDetails, Level, RuleId } from '../src/core/types.js';

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
