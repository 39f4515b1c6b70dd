import { catalog, ruleDocsUrl } from '../../rules/index.js';
import type { RuleDefinition } from '../../rules/index.js';
import { locationFingerprint } from '../core/fingerprint.js';
import type { Finding, Level, Report } from '../core/types.js';
import { buildMessage, findingLevel, sortFindings } from './message.js';
import { jsonSafe } from './printable.js';
import type { Reporter, ReportOptions } from './types.js';
import { artifactUri, rootUri, SRCROOT } from './uri.js';
import type { ArtifactUri } from './uri.js';

/** GitHub code scanning rejects runs with more results (docs/aws-credentials.md, "SARIF for GitHub code scanning"). */
export const SARIF_MAX_RESULTS = 25_000;

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** partialFingerprints key; bump the version if the fingerprint's inputs ever change. */
export const PARTIAL_FINGERPRINT_KEY = 'keywardenFingerprint/v1';

const DEFAULT_INFORMATION_URI = 'https://github.com/keywarden/keywarden';

interface SarifMessage {
  text: string;
}

interface SarifNotification {
  level: Level;
  message: SarifMessage;
  descriptor?: { id: string };
  locations?: { physicalLocation: { artifactLocation: ArtifactUri } }[];
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: Level };
  properties: { tags: string[]; precision: string; 'security-severity': string };
}

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: Level;
  message: SarifMessage;
  locations: {
    physicalLocation: {
      artifactLocation: ArtifactUri;
      /** Only startLine for a finding inside an archive (see archiveLocation). */
      region: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number };
    };
  }[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [
    {
      tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
      automationDetails?: { id: string };
      invocations: { executionSuccessful: boolean; toolExecutionNotifications: SarifNotification[] }[];
      originalUriBaseIds: Record<string, { uri: string }>;
      columnKind: 'utf16CodeUnits';
      results: SarifResult[];
    },
  ];
}

/** SARIF `help.text` is plain text; drop the markdown emphasis and heading marks. */
function plainText(markdown: string): string {
  return markdown
    .replace(/^#+\s*/gm, '')
    .replace(/\*\*|`/g, '')
    .replace(/(^|\s)\*([^*\n]+)\*/g, '$1$2');
}

function toSarifRule(rule: RuleDefinition): SarifRule {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: plainText(rule.help), markdown: rule.help },
    helpUri: ruleDocsUrl(rule.id),
    defaultConfiguration: { level: rule.level },
    properties: { tags: [...rule.tags], precision: rule.precision, 'security-severity': rule.securitySeverity },
  };
}

function findingRegion(finding: Finding) {
  return { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn };
}

/**
 * A finding inside an archive is placed on the archive file itself, which is what the repository
 * holds: its lines are not the member's, so the region is line 1 (GitHub code scanning needs a
 * startLine to show a result), and the member's path and region go in the result's properties.
 */
function archiveLocation(finding: Finding) {
  return finding.archive ? { artifactLocation: artifactUri(finding.archive.path), region: { startLine: 1 } } : undefined;
}

function archiveNote(finding: Finding): string {
  return finding.archive ? ` (in archive member ${finding.archive.member}, line ${finding.line})` : '';
}

function toSarifResult(finding: Finding, options: ReportOptions): SarifResult {
  const ruleIndex = catalog.rules.findIndex((rule) => rule.id === finding.ruleId);
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: findingLevel(finding),
    message: { text: buildMessage(finding, options.showSecrets) + archiveNote(finding) },
    // No region.snippet: it would carry the credential into code-scanning storage.
    locations: [
      { physicalLocation: archiveLocation(finding) ?? { artifactLocation: artifactUri(finding.path), region: findingRegion(finding) } },
    ],
    // Per location, so the same key committed in two files is two alerts, each stable across runs.
    partialFingerprints: { [PARTIAL_FINGERPRINT_KEY]: locationFingerprint(finding.fingerprint, finding.path) },
    properties: {
      accountId: finding.accountId,
      accountIdSource: finding.accountIdSource,
      owner: finding.owner?.label ?? null,
      ...(finding.owner?.name ? { ownerName: finding.owner.name } : {}),
      ...(finding.keyId ? { keyId: finding.keyId } : {}),
      ...(finding.encoding ? { encoding: finding.encoding } : {}),
      ...(finding.verification ? { verification: finding.verification.status } : {}),
      ...(finding.keyStatus ? { keyStatus: finding.keyStatus } : {}),
      ...(finding.details ? { details: finding.details } : {}),
      confidence: finding.confidence,
      commit: finding.commit ?? null,
      fingerprint: finding.fingerprint,
      ...(finding.example ? { example: true } : {}),
      ...(finding.repository !== undefined ? { repository: finding.repository } : {}),
      ...(finding.archive ? { archiveMember: finding.archive.member, memberRegion: findingRegion(finding) } : {}),
    },
  };
}

function notifications(report: Report, total: number, cap: number): SarifNotification[] {
  const list: SarifNotification[] = report.warnings.map((warning) => ({ level: 'warning', message: { text: warning } }));
  for (const file of report.skipped) {
    list.push({
      level: 'note',
      descriptor: { id: `skipped-${file.reason}` },
      message: { text: `Skipped ${file.path}: ${file.reason}${file.detail ? ` (${file.detail})` : ''}` },
      locations: [{ physicalLocation: { artifactLocation: artifactUri(file.archive?.path ?? file.path) } }],
    });
  }
  if (total > cap) {
    list.push({
      level: 'warning',
      descriptor: { id: 'results-truncated' },
      message: {
        text: `Only the first ${cap} of ${total} results are included: GitHub code scanning accepts at most ${SARIF_MAX_RESULTS} per run. Use the json format for the full list.`,
      },
    });
  }
  return list;
}

/** A SARIF category ends in `/` so code scanning reads the whole id as the category, not category + run id. */
function categoryId(category: string): string {
  return category.endsWith('/') ? category : `${category}/`;
}

/** Builds the SARIF object; `cap` is exposed for tests and callers with lower limits. */
export function buildSarif(report: Report, options: ReportOptions, cap = SARIF_MAX_RESULTS): SarifLog {
  const listed = [...sortFindings(report.findings), ...(options.includeExamples ? sortFindings(report.examples) : [])];
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keywarden',
            version: report.tool.version,
            informationUri: report.tool.informationUri ?? DEFAULT_INFORMATION_URI,
            rules: catalog.rules.map(toSarifRule),
          },
        },
        ...(options.sarifCategory ? { automationDetails: { id: categoryId(options.sarifCategory) } } : {}),
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications(report, listed.length, cap) }],
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(report.root) } },
        columnKind: 'utf16CodeUnits',
        results: listed.slice(0, cap).map((finding) => toSarifResult(finding, options)),
      },
    ],
  };
}

/** As the json format: control, bidi and zero-width characters as \u escapes (the same strings once parsed). */
export const sarifReporter: Reporter = (report, options) => `${jsonSafe(JSON.stringify(buildSarif(report, options), null, 2))}\n`;
