import { MAX_ALLOW_INPUT } from './regex-safety.js';
import type { Finding } from './types.js';

export interface AllowList {
  /** Regexes tested against the decoded credential. */
  values?: readonly RegExp[];
  /** Regexes tested against the finding's path. */
  paths?: readonly RegExp[];
}

/**
 * Allow regexes come from the user and are checked by userRegexProblem; the input length is bounded
 * too, so a hostile path or value cannot make one run long. A longer input is not tested: the finding stays.
 */
function matchesAny(patterns: readonly RegExp[] | undefined, text: string): boolean {
  return text.length <= MAX_ALLOW_INPUT && (patterns ?? []).some((re) => re.test(text));
}

export function isAllowed(finding: Pick<Finding, 'match' | 'path'>, allow: AllowList): boolean {
  return matchesAny(allow.values, finding.match) || matchesAny(allow.paths, finding.path);
}
