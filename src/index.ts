/**
 * keywarden as a library (`import { detect } from 'keywarden'`): the detectors the CLI, the Action
 * and the ESLint plugin run, on text already in memory. Findings hold the full credential in
 * `match`: show them through `displayMatch`, which redacts unless asked not to.
 */
export { detect, scanText, type DetectOptions, type TextScanResult } from './core/detect.js';
export { accountIdFromKeyId, CANARY_ACCOUNTS } from './core/account.js';
export { displayMatch, redactValue } from './core/redact.js';
export type { Finding, Level, RuleId, Source } from './core/types.js';
export { getRule, ruleIds, rules, type RuleDefinition } from '../rules/index.js';
