import type { Rule } from 'eslint';
import { userRegexProblem } from '../core/regex-safety.js';

/** What a user may pass to each keywarden rule: `['error', { includeExamples, allow }]`. */
export interface RuleOptions {
  /** Also report AWS documentation example keys (AKIAIOSFODNN7EXAMPLE...), which are skipped by default. */
  includeExamples?: boolean;
  /** Regular expression sources; a credential matching any of them is not reported. */
  allow?: string[];
}

export interface ResolvedOptions {
  includeExamples: boolean;
  allow: readonly RegExp[];
}

export const optionsSchema: NonNullable<Rule.RuleMetaData['schema']> = [
  {
    type: 'object',
    properties: {
      includeExamples: { type: 'boolean' },
      allow: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    },
    additionalProperties: false,
  },
];

/** Compiled patterns, shared by every rule and file: configs repeat the same few sources. */
const compiled = new Map<string, RegExp>();

/** Refuses a regex outside the safe subset (see regex-safety.ts); the message names its index, not its text. */
function compile(ruleId: string, source: string, index: number): RegExp {
  let pattern = compiled.get(source);
  if (!pattern) {
    const problem = userRegexProblem(source);
    if (problem) throw new Error(`keywarden/${ruleId}: allow[${index}]: ${problem}`);
    pattern = new RegExp(source);
    compiled.set(source, pattern);
  }
  return pattern;
}

export function resolveOptions(ruleId: string, raw: readonly unknown[]): ResolvedOptions {
  const options = (raw[0] ?? {}) as RuleOptions;
  return {
    includeExamples: options.includeExamples ?? false,
    allow: (options.allow ?? []).map((source, index) => compile(ruleId, source, index)),
  };
}
