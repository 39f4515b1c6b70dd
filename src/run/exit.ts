import type { FailOn } from '../config/schema.js';
import type { Level, Report } from '../core/types.js';

/** Exit codes, as ripgrep and gitleaks use them. */
export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

const LEVEL_RANK: Record<Level, number> = { note: 0, warning: 1, error: 2 };

/** 1 when a finding is at or above `failOn`, else 0. */
export function exitCodeFor(report: Report, options: { failOn: FailOn }): number {
  if (options.failOn === 'none') return EXIT.clean;
  const threshold = LEVEL_RANK[options.failOn];
  return report.findings.some((finding) => LEVEL_RANK[finding.level] >= threshold) ? EXIT.findings : EXIT.clean;
}
