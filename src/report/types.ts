import type { Report } from '../core/types.js';

export interface ReportOptions {
  /** Print credentials in full. Off by default: reports end up in CI logs and code-scanning UIs. */
  showSecrets: boolean;
  /** ANSI colors (text format only). */
  color: boolean;
  /** List AWS documentation example keys (as notes) instead of only counting them. */
  includeExamples: boolean;
  /** Text format: list skipped files, warnings and stale baseline entries, not just their counts. */
  verbose?: boolean;
  /** Text format: findings only, without the summary line and counts (-q). */
  quiet?: boolean;
  /**
   * SARIF `automationDetails.id` category, so several keywarden runs in one repository
   * (e.g. a full scan and a history scan) do not replace each other's alerts in code scanning.
   */
  sarifCategory?: string;
}

/** Every format is a pure function of the report: no I/O, so the CLI and the Action share them. */
export type Reporter = (report: Report, options: ReportOptions) => string;
