import type { Finding } from '../core/types.js';

/**
 * History sees a credential again in every commit that touches its lines' neighbours or copies it;
 * keep the first sighting per path, which (commits oldest first) is the commit that introduced it.
 */
export function firstSightings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.fingerprint}\0${finding.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
