import { contentFingerprint } from './fingerprint.js';
import type { Finding, StaleBaselineEntry } from './types.js';

/**
 * A baseline lists accepted findings by salted content hash, never by value, so the file can be
 * committed. Matching is by rule and credential, not line: edits around a key do not resurface it.
 */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  /** Where it was seen, for people reading the file; not used for matching. */
  path?: string;
  line?: number;
}

export interface Baseline {
  version: 1;
  /** Random per baseline, so its hashes cannot be compared with another file's. */
  salt: string;
  findings: BaselineEntry[];
}

export class BaselineError extends Error {
  override readonly name = 'BaselineError';
}

export function createBaseline(findings: readonly Finding[], salt: string): Baseline {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const finding of findings) {
    const fingerprint = contentFingerprint(finding.ruleId, finding.match, salt);
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    entries.push({ fingerprint, ruleId: finding.ruleId, path: finding.path, line: finding.line });
  }
  entries.sort(
    (a, b) => (a.path ?? '').localeCompare(b.path ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.fingerprint.localeCompare(b.fingerprint),
  );
  return { version: 1, salt, findings: entries };
}

export function parseBaseline(raw: unknown, where: string): Baseline {
  const fail = (what: string): never => {
    throw new BaselineError(`${where}: not a keywarden baseline: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('expected a JSON object');
  const input = raw as Record<string, unknown>;
  if (input.version !== 1) fail('unsupported "version" (expected 1)');
  if (typeof input.salt !== 'string' || input.salt.length < 8) fail('"salt" must be a string of at least 8 characters');
  if (!Array.isArray(input.findings)) fail('"findings" must be an array');
  const findings = (input.findings as unknown[]).map((entry, i) => {
    const item = entry as Record<string, unknown> | null;
    if (typeof item !== 'object' || item === null) fail(`findings[${i}] must be an object`);
    if (typeof item!.fingerprint !== 'string' || !/^[0-9a-f]{32}$/.test(item!.fingerprint))
      fail(`findings[${i}].fingerprint must be 32 hex characters`);
    if (typeof item!.ruleId !== 'string') fail(`findings[${i}].ruleId must be a string`);
    return item as unknown as BaselineEntry;
  });
  return { version: 1, salt: input.salt as string, findings };
}

export interface BaselineResult {
  fresh: Finding[];
  baselined: number;
  stale: StaleBaselineEntry[];
}

/** Splits findings into new ones and baselined ones; entries no finding matched are stale. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): BaselineResult {
  const known = new Map(baseline.findings.map((entry) => [entry.fingerprint, entry]));
  const used = new Set<string>();
  const fresh: Finding[] = [];
  let baselined = 0;
  for (const finding of findings) {
    const fingerprint = contentFingerprint(finding.ruleId, finding.match, baseline.salt);
    if (known.has(fingerprint)) {
      used.add(fingerprint);
      baselined++;
    } else {
      fresh.push(finding);
    }
  }
  const stale = baseline.findings
    .filter((entry) => !used.has(entry.fingerprint))
    .map((entry) => ({ fingerprint: entry.fingerprint, ruleId: entry.ruleId, ...(entry.path ? { path: entry.path } : {}) }));
  return { fresh, baselined, stale };
}
