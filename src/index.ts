/**
 * keywarden as a library (`import { detect } from 'keywarden'`): the detectors the CLI, the Action
 * and the ESLint plugin run, on text already in memory. Findings hold the full credential in
 * `match`: show them through `displayMatch`, which redacts unless asked not to.
 */
import { catalog } from '../rules/index.js';
import { detect as detectWith, scanText as scanTextWith, type DetectOptions, type TextScanResult } from './core/detect.js';
import type { Finding, Source } from './core/types.js';

export type { DetectOptions, TextScanResult } from './core/detect.js';
export { accountIdFromKeyId, CANARY_ACCOUNTS } from './core/account.js';
export type { Finding, Level, RuleId, Source } from './core/types.js';
export { displayMatch, getRule, redactValue, ruleIds, rules, type RuleDefinition } from '../rules/index.js';

/** Reportable findings in a text, with every rule of the catalog (or `options.rules`). */
export function detect(text: string, options: DetectOptions & { path?: string } = {}): Finding[] {
  return detectWith(catalog, text, options);
}

/** Findings, documentation examples and the suppressed count for one source. */
export function scanText(source: Source, options: DetectOptions = {}): TextScanResult {
  return scanTextWith(catalog, source, options);
}
