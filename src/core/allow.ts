import type { Finding } from './types.js';

export interface AllowList {
  /** Regexes tested against the decoded credential. */
  values?: readonly RegExp[];
  /** Regexes tested against the finding's path. */
  paths?: readonly RegExp[];
}

export function isAllowed(finding: Pick<Finding, 'match' | 'path'>, allow: AllowList): boolean {
  return (allow.values ?? []).some((re) => re.test(finding.match)) || (allow.paths ?? []).some((re) => re.test(finding.path));
}
