import { ruleIds } from '../../rules/index.js';
import { userRegexProblem } from '../core/regex-safety.js';
import type { Level, RuleId } from '../core/types.js';

/** The config file's shape. Every key is optional; CLI flags override it. */
export interface KeywardenConfig {
  /** Globs a file must match to be scanned. */
  include?: string[];
  /** Globs (and bare names) never scanned. */
  exclude?: string[];
  /** Bytes, or a size such as "5MB", "500KB". */
  maxFileSize?: number;
  /** Honour .gitignore / .keywardenignore (default true). */
  gitignore?: boolean;
  /** Scan inside zip, jar, tar, gzip... files (default true). */
  archives?: boolean;
  /** Per-rule level, or "off". */
  rules?: Partial<Record<RuleId, Level | 'off'>>;
  /** Regular expressions; a finding whose credential or path matches one is not reported. */
  allow?: { values?: string[]; paths?: string[] };
  includeExamples?: boolean;
  /** Baseline file, relative to the config file. */
  baseline?: string;
  /** Lowest level that makes the exit code 1: "error", "warning", "note" (default), or "none". */
  failOn?: FailOn;
  /** Owned AWS accounts: 12-digit id -> your name for it (labels findings "owned"). */
  accounts?: Record<string, string>;
  /** Ask IAM for the status of owned keys found (scan --key-status). */
  keyStatus?: boolean;
}

export type FailOn = Level | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'note', 'none'];
const LEVELS: readonly string[] = ['error', 'warning', 'note', 'off'];

/** A config that is not what we accept; the message names the file and the bad key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const KNOWN_KEYS = [
  'include',
  'exclude',
  'maxFileSize',
  'gitignore',
  'archives',
  'rules',
  'allow',
  'includeExamples',
  'baseline',
  'failOn',
  'accounts',
  'keyStatus',
  '$schema',
];

/** "5MB", "500 kb", "1048576" -> bytes; undefined when unreadable. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb?|mb?|gb?|kib|mib|gib)?\s*$/i.exec(value);
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase()[0]!;
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.round(Number(match[1]) * factor);
  return bytes > 0 ? bytes : undefined;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The message names the entry, never its text: a config may come from an untrusted checkout and the log may be public. */
function checkRegexes(where: string, key: string, values: string[]): void {
  values.forEach((source, i) => {
    const problem = userRegexProblem(source);
    if (problem) throw new ConfigError(`${where}: ${key}[${i}]: ${problem}`);
  });
}

/** Validates parsed JSON; `where` names the file in messages. Pure: no file access. */
export function validateConfig(raw: unknown, where: string): KeywardenConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${where}: the config must be a JSON object`);
  const input = raw as Record<string, unknown>;
  const config: KeywardenConfig = {};
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.includes(key))
      throw new ConfigError(`${where}: unknown key "${key}" (known keys: ${KNOWN_KEYS.filter((k) => k !== '$schema').join(', ')})`);
  }
  for (const key of ['include', 'exclude'] as const) {
    if (input[key] === undefined) continue;
    if (!isStringArray(input[key])) throw new ConfigError(`${where}: "${key}" must be an array of glob strings`);
    config[key] = input[key];
  }
  if (input.maxFileSize !== undefined) {
    const size = parseSize(input.maxFileSize);
    if (size === undefined) throw new ConfigError(`${where}: "maxFileSize" must be a positive number of bytes or a size like "5MB"`);
    config.maxFileSize = size;
  }
  for (const key of ['gitignore', 'archives', 'includeExamples', 'keyStatus'] as const) {
    if (input[key] === undefined) continue;
    if (typeof input[key] !== 'boolean') throw new ConfigError(`${where}: "${key}" must be true or false`);
    config[key] = input[key];
  }
  if (input.rules !== undefined) {
    if (typeof input.rules !== 'object' || input.rules === null || Array.isArray(input.rules)) {
      throw new ConfigError(`${where}: "rules" must be an object of rule id -> "error" | "warning" | "note" | "off"`);
    }
    const rules: KeywardenConfig['rules'] = {};
    for (const [id, level] of Object.entries(input.rules)) {
      if (!(ruleIds as readonly string[]).includes(id))
        throw new ConfigError(`${where}: "rules.${id}" is not a rule (rules: ${ruleIds.join(', ')})`);
      if (typeof level !== 'string' || !LEVELS.includes(level))
        throw new ConfigError(`${where}: "rules.${id}" must be "error", "warning", "note" or "off"`);
      rules[id as RuleId] = level as Level | 'off';
    }
    config.rules = rules;
  }
  if (input.allow !== undefined) {
    const allow = input.allow as Record<string, unknown>;
    if (typeof allow !== 'object' || allow === null || Array.isArray(allow))
      throw new ConfigError(`${where}: "allow" must be an object with "values" and/or "paths" arrays`);
    for (const key of Object.keys(allow)) {
      if (key !== 'values' && key !== 'paths') throw new ConfigError(`${where}: unknown key "allow.${key}" (known: values, paths)`);
      if (!isStringArray(allow[key])) throw new ConfigError(`${where}: "allow.${key}" must be an array of regular expressions`);
      checkRegexes(where, `allow.${key}`, allow[key]);
    }
    config.allow = allow as KeywardenConfig['allow'];
  }
  if (input.baseline !== undefined) {
    if (typeof input.baseline !== 'string' || input.baseline === '') throw new ConfigError(`${where}: "baseline" must be a file path`);
    config.baseline = input.baseline;
  }
  if (input.failOn !== undefined) {
    if (!FAIL_ON_VALUES.includes(input.failOn as FailOn))
      throw new ConfigError(`${where}: "failOn" must be one of ${FAIL_ON_VALUES.join(', ')}`);
    config.failOn = input.failOn as FailOn;
  }
  if (input.accounts !== undefined) {
    const accounts = input.accounts as Record<string, unknown>;
    if (typeof accounts !== 'object' || accounts === null || Array.isArray(accounts))
      throw new ConfigError(`${where}: "accounts" must be an object of 12-digit account id -> name`);
    for (const [id, name] of Object.entries(accounts)) {
      if (!/^\d{12}$/.test(id)) throw new ConfigError(`${where}: "accounts.${id}" is not a 12-digit AWS account id`);
      if (typeof name !== 'string') throw new ConfigError(`${where}: "accounts.${id}" must be a name (string)`);
    }
    config.accounts = accounts as Record<string, string>;
  }
  return config;
}
