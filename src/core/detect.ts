import { accountIdFromKeyId } from './account.js';
import type { RuleCatalog } from './catalog.js';
import { base64Windows, decodeLayer, MAX_DEPTH, type DecodedView } from './decoding.js';
import { contentFingerprint, DEFAULT_FINGERPRINT_SALT } from './fingerprint.js';
import { foldText } from './fold.js';
import { keywordHits, type KeywordHits } from './keyword-hits.js';
import type { RawMatch, RuleDefinition } from './rule.js';
import { hasSuppressionMarker, isSuppressed } from './suppress.js';
import { LineIndex } from './text.js';
import type { CredentialDetails, Finding, Level, LineRange, RuleId, Source } from './types.js';

/**
 * Detection over one text. Every function takes the rule catalog it runs (rules/index.ts builds
 * the default one); nothing here knows a rule by name.
 */

export interface DetectOptions {
  /** Rule ids to run; all rules when undefined. */
  rules?: readonly RuleId[];
  /** Honour keywarden:allow comments (default true). */
  suppressions?: boolean;
  /** Salt for content fingerprints; a fixed default keeps them stable across runs. */
  fingerprintSalt?: string;
  /** Per-rule level overrides from the config. */
  levels?: Partial<Record<RuleId, Level>>;
  /**
   * Findings kept per rule in one source; the rest are only counted (`omitted`). A generated file
   * of 400k key ids otherwise holds every finding (fingerprint included) at once. Unlimited by default.
   */
  maxFindingsPerRule?: number;
  /** Also search the decoded view (HTML entities, `\u`/`\x` escapes, base64); default true. */
  decode?: boolean;
}

export interface TextScanResult {
  /** Findings to report: not examples, not suppressed, on added lines when the source has them. */
  findings: Finding[];
  /** AWS documentation example keys: counted, listed only on request. */
  examples: Finding[];
  suppressed: number;
  /** Findings past `maxFindingsPerRule`, by rule id: counted, never built (see DetectOptions). */
  omitted?: Record<string, number>;
}

/**
 * Runs the detectors on one text. Key ids are always searched, even when their rules are off,
 * because the secret and token rules pair with them.
 */
export function findRawMatches(
  catalog: RuleCatalog,
  text: string,
  options: Pick<DetectOptions, 'rules'> = {},
  anchored = catalog.anchoredRulesInText(text),
): RawMatch[] {
  const enabled = catalog.select(options.rules);
  const keyIds: RawMatch[] = [];
  const matches: RawMatch[] = [];
  let hits: KeywordHits | undefined;
  const context = { keyIds, keywordHits: () => (hits ??= keywordHits(text)) };
  for (const rule of catalog.rules) {
    const wanted = enabled.includes(rule);
    const keyIdRule = rule.kind === 'key-id';
    if (!wanted && !keyIdRule) continue;
    if (!anchored.has(rule) && !(rule.pairsWithKeyIds && keyIds.length > 0)) continue;
    const found = rule.detect(text, context);
    // Loops, not push(...found): spreading 200k+ matches as arguments overflows the stack.
    if (keyIdRule) for (const match of found) keyIds.push(match);
    if (wanted) for (const match of found) matches.push(match);
  }
  return matches.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
}

function spanKey(ruleId: RuleId, start: number, end: number): string {
  return `${ruleId}:${start}:${end}`;
}

/** Lines (and at most this many characters) around a decoded segment searched for it and its context. */
const DECODED_CONTEXT_LINES = 6;
const DECODED_CONTEXT_CHARS = 4096;

/**
 * Matches found only once the text is decoded, located at the encoded characters they came from
 * and labelled with the encodings crossed, outermost first (`base64>base64`). Only a credential
 * that was itself (at least partly) encoded counts: anything else in the view was in the text as
 * written, and was found there or not at all; so no span is reported both raw and decoded. The
 * detectors run on a few lines around each decoded segment (the keyword or key id beside an
 * encoded value), not on the whole view again. Texts without an anchor are decoded only when they
 * hold an encoded one (the catalog's encodedAnchors).
 */
function findDecodedMatches(
  catalog: RuleCatalog,
  text: string,
  options: Pick<DetectOptions, 'rules'>,
  found: readonly RawMatch[],
  textHasAnchors: boolean,
  contextWordsAt: readonly number[] | undefined,
): RawMatch[] {
  if (!textHasAnchors && !catalog.encodedAnchors.foundInText(text)) return [];
  const seen = new Set(found.map((match) => spanKey(match.ruleId, match.start, match.end)));
  const decoded: RawMatch[] = [];
  const layers: DecodedView[] = [];
  let current = text;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    // A deeper layer can only find something new inside what base64 decoding revealed.
    if (depth > 0 && !layers[depth - 1]!.decodedBase64) break;
    // Base64 is looked for beside context words at first, then inside what base64 revealed.
    const view = decodeLayer(
      current,
      depth === 0 ? base64Windows(current, catalog.base64ContextWords, contextWordsAt) : layers[depth - 1]!.base64Ranges(),
    );
    if (!view.decodedAnything) break;
    layers.push(view);
    for (const region of view.regions(DECODED_CONTEXT_LINES, DECODED_CONTEXT_CHARS)) {
      for (const match of findRawMatches(catalog, view.text.slice(region.start, region.end), options)) {
        let span = { start: region.start + match.start, end: region.start + match.end };
        const labels: string[] = [];
        for (let layer = layers.length - 1; layer >= 0; layer--) {
          const input = layers[layer]!.inputSpan(span.start, span.end);
          // The innermost layer's own decoding must be part of the match.
          if (layer === layers.length - 1 && input.encodings.length === 0) break;
          span = input;
          if (input.encodings.length > 0) labels.unshift(input.encodings.join('+'));
        }
        if (labels.length === 0) continue;
        const key = spanKey(match.ruleId, span.start, span.end);
        if (seen.has(key)) continue;
        seen.add(key);
        decoded.push({ ...match, start: span.start, end: span.end, encoding: labels.join('>') });
      }
    }
    current = view.text;
  }
  return decoded;
}

/**
 * A copy of a matched string that does not keep the scanned text alive: V8 represents a slice or a
 * regex match as a view into its parent string, so a finding holding one would pin the whole file
 * in memory for as long as the report lives.
 */
function detached(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string;
}

function onAddedLine(line: number, ranges: readonly LineRange[] | undefined): boolean {
  return !ranges || ranges.some((range) => line >= range.start && line <= range.end);
}

function lineText(text: string, index: LineIndex, line: number): string | undefined {
  if (line < 1 || line > index.lineCount) return undefined;
  const start = index.lineStart(line);
  const end = line < index.lineCount ? index.lineStart(line + 1) : text.length;
  return text.slice(start, end);
}

function toFinding(
  catalog: RuleCatalog,
  match: RawMatch,
  source: Pick<Source, 'path' | 'commit'>,
  index: LineIndex,
  salt: string,
  levels?: DetectOptions['levels'],
): Finding {
  const start = index.position(match.start);
  const end = index.position(Math.max(match.start, match.end - 1));
  const rule = catalog.get(match.ruleId)!;
  const keyIdForAccount = rule.kind === 'key-id' ? match.value : undefined;
  const accountId =
    match.accountId ?? (keyIdForAccount ? accountIdFromKeyId(keyIdForAccount) : match.keyId ? accountIdFromKeyId(match.keyId) : null);
  return {
    ruleId: match.ruleId,
    // An expired credential no longer signs anything: still worth a note, never an error.
    level: match.details?.expired ? 'note' : (levels?.[match.ruleId] ?? rule.level),
    path: source.path,
    span: { start: match.start, end: match.end },
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column + 1,
    match: detached(match.value),
    ...(match.keyId ? { keyId: detached(match.keyId) } : {}),
    ...(match.encoding ? { encoding: match.encoding } : {}),
    accountId,
    accountIdSource: accountId ? 'offline' : null,
    ...(match.details ? { details: JSON.parse(JSON.stringify(match.details)) as CredentialDetails } : {}),
    example: match.example,
    confidence: match.confidence,
    fingerprint: contentFingerprint(match.ruleId, match.value, salt),
    ...(source.commit ? { commit: source.commit } : {}),
  };
}

/**
 * Adds the credentials found only once zero-width characters, fullwidth ASCII and backslash line
 * continuations are undone (see fold.ts), at their spans in the original text. Texts without such
 * characters (nearly all) cost one regex test.
 */
function withFoldedMatches(catalog: RuleCatalog, text: string, matches: RawMatch[], options: Pick<DetectOptions, 'rules'>): RawMatch[] {
  const folded = foldText(text);
  if (!folded) return matches;
  const seen = new Set(matches.map((match) => `${match.ruleId}:${match.start}`));
  let added = false;
  for (const match of findRawMatches(catalog, folded.text, options)) {
    const start = folded.originalStart(match.start);
    if (seen.has(`${match.ruleId}:${start}`)) continue;
    matches.push({ ...match, start, end: folded.originalEnd(match.end) });
    added = true;
  }
  return added ? matches.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId)) : matches;
}

/**
 * Whether any detector, enabled or not, matches a text, through folding and decoding as scanText
 * does: git modes ask it before any diff work, so a clean blob costs no more than this.
 */
export function mayHoldFindings(
  catalog: RuleCatalog,
  text: string,
  anchored?: ReadonlySet<RuleDefinition>,
  contextWordsAt?: readonly number[],
): boolean {
  const rulesAnchored = anchored ?? catalog.anchoredRulesInText(text);
  const matches = withFoldedMatches(catalog, text, findRawMatches(catalog, text, {}, rulesAnchored), {});
  return matches.length > 0 || findDecodedMatches(catalog, text, {}, matches, rulesAnchored.size > 0, contextWordsAt).length > 0;
}

/**
 * Detect, locate, and sort one source's credentials into reportable, example and suppressed.
 * `anchored`: the rules anchoredRules found, when the caller already searched (the scanner, on bytes);
 * `contextWordsAt`: where it found the base64 context words in the text (see base64Windows).
 */
export function scanText(
  catalog: RuleCatalog,
  source: Source,
  options: DetectOptions = {},
  anchored?: ReadonlySet<RuleDefinition>,
  contextWordsAt?: readonly number[],
): TextScanResult {
  const result: TextScanResult = { findings: [], examples: [], suppressed: 0 };
  const rulesAnchored = anchored ?? catalog.anchoredRulesInText(source.text);
  const matches = withFoldedMatches(catalog, source.text, findRawMatches(catalog, source.text, options, rulesAnchored), options);
  if (options.decode ?? true) {
    const decoded = findDecodedMatches(catalog, source.text, options, matches, rulesAnchored.size > 0, contextWordsAt);
    if (decoded.length > 0) {
      for (const match of decoded) matches.push(match);
      matches.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
    }
  }
  if (matches.length === 0) return result;
  const index = new LineIndex(source.text);
  const checkSuppressions = (options.suppressions ?? true) && hasSuppressionMarker(source.text);
  const salt = options.fingerprintSalt ?? DEFAULT_FINGERPRINT_SALT;
  // git numbers lines by LF alone: a lone CR starts a line in the report, not in the diff.
  const gitIndex = source.addedLines && source.text.includes('\r') ? new LineIndex(source.text, { lfOnly: true }) : index;
  const cap = options.maxFindingsPerRule ?? Infinity;
  const kept = new Map<RuleId, number>();
  for (const match of matches) {
    // The cheap checks first: most matches outside a change's added lines never need a finding.
    if (!onAddedLine(gitIndex.lineOf(match.start), source.addedLines)) continue;
    const line = index.position(match.start).line;
    if (checkSuppressions && isSuppressed(lineText(source.text, index, line)!, lineText(source.text, index, line - 1))) {
      result.suppressed++;
      continue;
    }
    if (!match.example && (kept.get(match.ruleId) ?? 0) >= cap) {
      // Past the cap: counted, without building the finding (its fingerprint is the costly part).
      result.omitted ??= {};
      result.omitted[match.ruleId] = (result.omitted[match.ruleId] ?? 0) + 1;
      continue;
    }
    const finding = toFinding(catalog, match, source, index, salt, options.levels);
    (finding.example ? result.examples : result.findings).push(finding);
    if (!finding.example) kept.set(match.ruleId, (kept.get(match.ruleId) ?? 0) + 1);
  }
  return result;
}

/** Convenience for callers that want reportable findings only. */
export function detect(catalog: RuleCatalog, text: string, options: DetectOptions & { path?: string } = {}): Finding[] {
  return scanText(catalog, { path: options.path ?? '', text }, options).findings;
}
