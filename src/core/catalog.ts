import { AnchorSet, ByteAnchorScanner, textHaystack, type IndexOfBytes, type Haystack } from './anchors.js';
import { base64ContextWords, contextWordsPattern, ENCODED_ANCHOR_SHORTEST_FRAGMENT, encodedAnchors } from './decoding.js';
import { redactCredential } from './redact.js';
import type { KeyIdPrefix, Remediation, RuleDefinition } from './rule.js';
import type { Finding, RuleId } from './types.js';

/**
 * The rules the engine runs, handed to it by its callers (the default one is built in
 * rules/index.ts), with everything derived from them once: the prefilter's anchor sets, the rules
 * behind each anchor, the key-id prefixes. Adapters ask it for a rule's facts instead of spelling them.
 */
export class RuleCatalog {
  readonly rules: readonly RuleDefinition[];
  readonly ids: readonly RuleId[];
  /** Every rule's anchors: a text containing none of them cannot hold a finding. */
  readonly allAnchors: readonly string[];
  private prefilterAnchorSet: AnchorSet | undefined;
  private encodedAnchorSet: AnchorSet | undefined;
  private readonly encodedAnchorList: readonly string[];
  /** The rules' anchors and the encoded anchors, searched for together in a file's bytes (prefilterBytes). */
  private readonly byteScanner: ByteAnchorScanner;
  /** For each of the byte scanner's anchors: the rules it stands for, and whether it is an encoded anchor. */
  private readonly byteAnchorRules: ReadonlyArray<readonly RuleDefinition[]>;
  private readonly byteAnchorEncoded: readonly boolean[];
  /** Where decoding looks for base64 in a whole text (see base64Windows). */
  readonly base64ContextWords: RegExp;
  /** Every key-id rule's prefixes. */
  readonly keyIdPrefixes: readonly KeyIdPrefix[];
  private readonly byId: ReadonlyMap<RuleId, RuleDefinition>;
  private readonly rulesByAnchor: ReadonlyMap<string, readonly RuleDefinition[]>;

  /** `rules` in run order: key-id rules first, since the secret and token rules pair with what they found. */
  constructor(rules: readonly RuleDefinition[]) {
    this.rules = rules;
    this.ids = rules.map((rule) => rule.id);
    this.byId = new Map(rules.map((rule) => [rule.id, rule]));
    this.allAnchors = [...new Set(rules.flatMap((rule) => rule.anchors))];
    this.rulesByAnchor = new Map(this.allAnchors.map((anchor) => [anchor, rules.filter((rule) => rule.anchors.includes(anchor))]));
    this.keyIdPrefixes = rules.flatMap((rule) => rule.keyIdPrefixes ?? []);
    const accessKeyPrefixes = this.keyIdPrefixes.filter((prefix) => prefix.lifetime !== undefined).map((prefix) => prefix.prefix);
    const encoded = encodedAnchors(accessKeyPrefixes);
    this.encodedAnchorList = encoded;
    const contextWords = base64ContextWords(accessKeyPrefixes);
    // The context words are found in the same pass as the anchors (most are anchors already), so a
    // text that needs decoding is not searched for them again.
    this.byteScanner = new ByteAnchorScanner([...this.allAnchors, ...encoded], contextWords);
    this.byteAnchorRules = this.byteScanner.anchors.map((anchor) => this.rulesByAnchor.get(anchor) ?? []);
    this.byteAnchorEncoded = this.byteScanner.anchors.map((anchor) => encoded.includes(anchor));
    this.base64ContextWords = contextWordsPattern(contextWords);
  }

  /**
   * All anchors at once, for texts (a file's bytes go through prefilterBytes): one pass tells which
   * rules can match. Built on first use, like encodedAnchors: choosing the covering fragments takes
   * a few milliseconds that a scan of bytes alone never needs.
   */
  get prefilterAnchors(): AnchorSet {
    return (this.prefilterAnchorSet ??= new AnchorSet(this.allAnchors));
  }

  /**
   * What a text without any anchor must hold to be decoded: an escape or character-reference
   * introducer, or the base64 of an access key id prefix (see encodedAnchors).
   */
  get encodedAnchors(): AnchorSet {
    return (this.encodedAnchorSet ??= new AnchorSet(this.encodedAnchorList, ENCODED_ANCHOR_SHORTEST_FRAGMENT));
  }

  get(id: string): RuleDefinition | undefined {
    return this.byId.get(id as RuleId);
  }

  /** The rules with these ids, in catalog order; all rules when undefined. */
  select(ids: readonly RuleId[] | undefined): readonly RuleDefinition[] {
    return ids ? this.rules.filter((rule) => ids.includes(rule.id)) : this.rules;
  }

  isKeyIdRule(id: string): boolean {
    return this.get(id)?.kind === 'key-id';
  }

  /** The access key id a finding is about: its match for a key-id rule, else the id it was paired with. */
  keyIdOf(finding: Pick<Finding, 'ruleId' | 'match' | 'keyId'>): string | undefined {
    return this.isKeyIdRule(finding.ruleId) ? finding.match : finding.keyId;
  }

  /** The prefix entry a key id starts with (`A3T?` matches `A3TX...`). */
  keyIdPrefixOf(keyId: string): KeyIdPrefix | undefined {
    return this.keyIdPrefixes.find(({ prefix }) =>
      [...prefix].every((char, at) => (char === '?' ? /^[A-Z0-9]$/.test(keyId[at] ?? '') : keyId[at] === char)),
    );
  }

  /** `long-term` (an IAM user's key), `temporary` (from STS), or undefined for an id that is not an access key AWS issues today. */
  keyIdLifetime(keyId: string): KeyIdPrefix['lifetime'] {
    return this.keyIdPrefixOf(keyId)?.lifetime;
  }

  /** keyIdLifetime of a whole access key id: 20 characters of A-Z and 0-9, nothing around them (what STS and IAM calls take). */
  accessKeyLifetime(keyId: string): KeyIdPrefix['lifetime'] {
    return /^[A-Z0-9]{20}$/.test(keyId) ? this.keyIdLifetime(keyId) : undefined;
  }

  /**
   * The rules whose anchors occur in a text or a file's bytes: the prefilter before any regex runs.
   * Most texts hold no anchor at all; for the rest, each rule's regexes run only if it is here.
   */
  anchoredRules(haystack: Haystack): ReadonlySet<RuleDefinition> {
    const present = new Set<RuleDefinition>();
    this.prefilterAnchors.findAll(
      haystack,
      (anchor) => this.rulesByAnchor.get(anchor)!.some((rule) => !present.has(rule)),
      (anchor) => this.rulesByAnchor.get(anchor)!.forEach((rule) => present.add(rule)),
    );
    return present;
  }

  /**
   * anchoredRules for a file's bytes (ASCII-compatible: not UTF-16), and whether an encoded anchor
   * occurs, which matters only when no rule's does: one pass over the bytes (ByteAnchorScanner).
   * `indexOf`: a native search (Buffer.indexOf) for the few short anchors; the plain one is far slower.
   * `contextWordsAt`: where the base64 context words start in the bytes, in no particular order (the
   * scanner's four lanes report as they go; most files never need them sorted), for base64Windows
   * (byte offsets: the same as character offsets in a one-byte reading of the bytes).
   */
  prefilterBytes(
    bytes: Uint8Array,
    indexOf: IndexOfBytes,
  ): { rules: ReadonlySet<RuleDefinition>; encoded: boolean; contextWordsAt: readonly number[] } {
    const present = new Set<RuleDefinition>();
    let encoded = false;
    const contextWordsAt: number[] = [];
    this.byteScanner.scan(
      bytes,
      (anchor) =>
        this.byteAnchorRules[anchor]!.some((rule) => !present.has(rule)) ||
        (this.byteAnchorEncoded[anchor]! && !encoded && present.size === 0),
      (anchor) => {
        for (const rule of this.byteAnchorRules[anchor]!) present.add(rule);
        if (this.byteAnchorEncoded[anchor]) encoded = true;
      },
      // Never done early: the context words' positions are wanted to the end.
      () => false,
      indexOf,
      (_, start) => contextWordsAt.push(start),
    );
    return { rules: present, encoded, contextWordsAt };
  }

  anchoredRulesInText(text: string): ReadonlySet<RuleDefinition> {
    return this.anchoredRules(textHaystack(text, this.prefilterAnchors));
  }

  /** The short advice for a finding: its rule's, or the one its decoded details call for. */
  remediation(finding: Pick<Finding, 'ruleId' | 'details'>): Remediation {
    const rule = this.get(finding.ruleId)!;
    return (finding.details && rule.remediationFor?.(finding.details)) || rule.remediation;
  }

  /** Key ids are shown whole: users need them to find the key in IAM, and alone they grant nothing. */
  redactValue(ruleId: RuleId, value: string): string {
    return redactCredential(this.get(ruleId)?.kind ?? 'secret', value);
  }

  /** The text an output shows for a finding's credential. */
  displayMatch(finding: Pick<Finding, 'ruleId' | 'match'>, showSecrets: boolean): string {
    return showSecrets ? finding.match : this.redactValue(finding.ruleId, finding.match);
  }
}
