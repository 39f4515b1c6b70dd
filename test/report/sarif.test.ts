import { describe, expect, it } from 'vitest';
import { ruleDocsUrl, rules } from '../../rules/index.js';
import { locationFingerprint } from '../../src/core/fingerprint.js';
import type { Finding, Report } from '../../src/core/types.js';
import { buildSarif, PARTIAL_FINGERPRINT_KEY, SARIF_MAX_RESULTS, sarifReporter } from '../../src/report/sarif.js';
import type { SarifLog } from '../../src/report/sarif.js';
import type { ReportOptions } from '../../src/report/types.js';
import { artifactUri, rootUri } from '../../src/report/uri.js';
import { keys, reportFrom, sampleSources } from './report-fixture.js';
import { sarifSchemaErrors } from './sarif-schema.js';

const defaults: ReportOptions = { showSecrets: false, color: false, includeExamples: false };

/** Every SARIF log these tests make goes through here, so each one is checked against the schema. */
function sarifOf(report: Report, options: Partial<ReportOptions> = {}): SarifLog {
  const log = JSON.parse(sarifReporter(report, { ...defaults, ...options })) as SarifLog;
  expect(sarifSchemaErrors(log)).toEqual([]);
  return log;
}

function checked(log: SarifLog): SarifLog {
  expect(sarifSchemaErrors(JSON.parse(JSON.stringify(log)))).toEqual([]);
  return log;
}

describe('sarif reporter', () => {
  it('the schema check rejects logs that break it', () => {
    const log = JSON.parse(sarifReporter(reportFrom(sampleSources()), defaults)) as Record<string, unknown>;
    expect(sarifSchemaErrors({ ...log, version: '2.0.0' })).not.toEqual([]);
    const run = (log.runs as Record<string, unknown>[])[0]!;
    const results = run.results as Record<string, unknown>[];
    const { message: _message, ...noMessage } = results[0]!;
    expect(sarifSchemaErrors({ ...log, runs: [{ ...run, results: [noMessage] }] })).not.toEqual([]);
  });

  it('describes the tool and every catalog rule the way code scanning reads them', () => {
    const log = sarifOf(reportFrom(sampleSources()));
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0\.json$/);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('keywarden');
    expect(driver.version).toBe('0.1.0');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((rule) => rule.id)).toEqual(rules.map((rule) => rule.id));
    for (const [index, rule] of rules.entries()) {
      const sarifRule = driver.rules[index]!;
      expect(sarifRule.name).toBe(rule.name);
      expect(sarifRule.shortDescription.text).toBe(rule.title);
      expect(sarifRule.fullDescription.text).toBe(rule.description);
      expect(sarifRule.help.markdown).toBe(rule.help);
      expect(sarifRule.help.text).not.toContain('**');
      expect(sarifRule.helpUri).toBe(ruleDocsUrl(rule.id));
      expect(sarifRule.defaultConfiguration.level).toBe(rule.level);
      expect(sarifRule.properties.tags).toEqual([...rule.tags]);
      expect(sarifRule.properties.precision).toBe(rule.precision);
      // GitHub reads security-severity as a string holding a number.
      expect(typeof sarifRule.properties['security-severity']).toBe('string');
      expect(Number(sarifRule.properties['security-severity'])).toBeGreaterThan(0);
    }
  });

  it('writes one result per finding with location, level, message and properties', () => {
    const report = reportFrom(sampleSources());
    const log = sarifOf(report);
    const run = log.runs[0];
    expect(run.results).toHaveLength(report.findings.length);
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/' } });
    const secret = run.results.find((result) => result.ruleId === 'aws-secret-access-key')!;
    expect(run.tool.driver.rules[secret.ruleIndex!]!.id).toBe('aws-secret-access-key');
    expect(secret.level).toBe('error');
    expect(secret.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'src/config.ts', uriBaseId: '%SRCROOT%' },
      // `const secretKey = '` is 19 characters; the 40-char secret ends one column before 60.
      region: { startLine: 2, startColumn: 20, endLine: 2, endColumn: 60 },
    });
    expect(secret.message.text).toBe(
      `AWS secret access key in source: ${keys.secret.slice(0, 4)}****************; key id ${keys.keyId}; account 123456789012 (offline decode). Rotate: deploy a replacement key, then deactivate and delete this one.`,
    );
    expect(secret.properties).toMatchObject({
      accountId: '123456789012',
      accountIdSource: 'offline',
      owner: null,
      confidence: 'high',
      commit: null,
      keyId: keys.keyId,
    });
    const legacy = run.results.find((result) => result.message.text.includes(keys.legacyKeyId))!;
    expect(legacy.properties.accountId).toBeNull();
    expect(legacy.properties.accountIdSource).toBeNull();
    expect(JSON.stringify(log)).not.toContain('snippet');
  });

  it('carries owner, verification and commit into result properties', () => {
    const report = reportFrom(sampleSources());
    const commit = { sha: 'a'.repeat(40), authorDate: '2024-05-01T10:00:00Z', author: 'Dev' };
    report.findings = report.findings.map((finding): Finding => ({
      ...finding,
      owner: { label: 'owned', name: 'prod' },
      verification: { status: 'skipped' },
      commit,
    }));
    const result = sarifOf(report).runs[0].results[0]!;
    expect(result.properties).toMatchObject({ owner: 'owned', ownerName: 'prod', verification: 'skipped', commit });
    expect(result.message.text).toContain('owner: owned (prod); verification: skipped; commit aaaaaaaaaaaa (2024-05-01T10:00:00Z, Dev)');
  });

  it('leaves examples out unless asked, then lists them as notes marked as examples', () => {
    const report = reportFrom(sampleSources());
    expect(report.examples).toHaveLength(2);
    const hidden = sarifOf(report);
    expect(hidden.runs[0].results.some((result) => result.properties.example)).toBe(false);
    const shown = sarifOf(report, { includeExamples: true });
    const examples = shown.runs[0].results.filter((result) => result.properties.example === true);
    expect(examples).toHaveLength(2);
    expect(examples.every((result) => result.level === 'note')).toBe(true);
    expect(examples[0]!.message.text).toContain('AWS documentation example key, not a credential.');
  });

  it('uses the configured level of a finding', () => {
    const report = reportFrom(sampleSources());
    report.findings = report.findings.map((finding): Finding => ({ ...finding, level: 'note' }));
    expect(sarifOf(report).runs[0].results.every((result) => result.level === 'note')).toBe(true);
  });

  it('reports warnings and skipped files as tool execution notifications', () => {
    const report = reportFrom(sampleSources(), {
      skipped: [{ path: 'assets/big file.bin', reason: 'too-large', detail: '12 MB' }],
      warnings: ['config: unknown key "foo" ignored'],
    });
    const invocation = sarifOf(report).runs[0].invocations[0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: 'config: unknown key "foo" ignored' } },
      {
        level: 'note',
        descriptor: { id: 'skipped-too-large' },
        message: { text: 'Skipped assets/big file.bin: too-large (12 MB)' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'assets/big%20file.bin', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
  });

  it('sets automationDetails.id from the category, as a category', () => {
    const report = reportFrom(sampleSources());
    expect(sarifOf(report).runs[0].automationDetails).toBeUndefined();
    expect(sarifOf(report, { sarifCategory: 'keywarden/history' }).runs[0].automationDetails).toEqual({ id: 'keywarden/history/' });
    expect(sarifOf(report, { sarifCategory: 'secrets/' }).runs[0].automationDetails).toEqual({ id: 'secrets/' });
  });

  it('caps results at 25,000 and says so', () => {
    const base = reportFrom(sampleSources()).findings[0]!;
    const findings = Array.from({ length: SARIF_MAX_RESULTS + 1 }, (_, i): Finding => ({ ...base, line: i + 1, endLine: i + 1 }));
    const log = sarifOf(reportFrom([], { findings } as Partial<Report>));
    expect(log.runs[0].results).toHaveLength(SARIF_MAX_RESULTS);
    expect(log.runs[0].results.at(-1)!.locations[0]!.physicalLocation.region.startLine).toBe(SARIF_MAX_RESULTS);
    const notice = log.runs[0].invocations[0]!.toolExecutionNotifications.find(
      (notification) => notification.descriptor?.id === 'results-truncated',
    );
    expect(notice?.message.text).toContain(`Only the first 25000 of ${SARIF_MAX_RESULTS + 1} results`);
  });

  it('drops examples before findings when the cap bites', () => {
    const report = reportFrom(sampleSources());
    const log = checked(buildSarif(report, { ...defaults, includeExamples: true }, report.findings.length));
    expect(log.runs[0].results.some((result) => result.properties.example)).toBe(false);
    expect(log.runs[0].results).toHaveLength(report.findings.length);
  });

  describe('paths', () => {
    const cases: [string, string][] = [
      ['dir with space/a b.ts', 'dir%20with%20space/a%20b.ts'],
      ['notes/#1 issue.md', 'notes/%231%20issue.md'],
      ['ünï/文件.ts', '%C3%BCn%C3%AF/%E6%96%87%E4%BB%B6.ts'],
      ['100%/what?.env', '100%25/what%3F.env'],
      ['c:colon.txt', 'c%3Acolon.txt'],
      ['./lead/dot.ts', 'lead/dot.ts'],
    ];

    it.each(cases)('encodes %j as %j under %%SRCROOT%%', (path, uri) => {
      expect(artifactUri(path)).toEqual({ uri, uriBaseId: '%SRCROOT%' });
    });

    it('resolves every encoded path back to the file under the root', () => {
      const root = '/home/dev/my repo#2';
      const base = rootUri(root);
      expect(base).toBe('file:///home/dev/my%20repo%232/');
      for (const [path] of cases) {
        const resolved = new URL(artifactUri(path).uri, base);
        expect(decodeURIComponent(resolved.pathname)).toBe(`${root}/${path.replace(/^\.\//, '')}`);
      }
    });

    it('writes absolute paths as file URLs without a base', () => {
      expect(artifactUri('/tmp/x y/k.env')).toEqual({ uri: 'file:///tmp/x%20y/k.env' });
      expect(artifactUri('C:\\work\\a b.txt')).toEqual({ uri: 'file:///C:/work/a%20b.txt' });
    });

    it('produces valid SARIF for awkward paths and roots', () => {
      const text = `id = ${keys.keyId}\n`;
      const report = reportFrom(
        cases.map(([path]) => ({ path, text })),
        { root: '/home/dev/my repo#2' },
      );
      const log = sarifOf(report);
      expect(log.runs[0].results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri).sort()).toEqual(
        cases.map(([, uri]) => uri).sort(),
      );
    });
  });

  describe('partialFingerprints', () => {
    const fingerprintsOf = (log: SarifLog) => log.runs[0].results.map((result) => result.partialFingerprints[PARTIAL_FINGERPRINT_KEY]);

    it('are the same on every run over the same files', () => {
      const first = fingerprintsOf(sarifOf(reportFrom(sampleSources())));
      const second = fingerprintsOf(sarifOf(reportFrom(sampleSources(), { root: '/elsewhere' })));
      expect(first.every((print) => typeof print === 'string' && /^[0-9a-f]{32}$/.test(print))).toBe(true);
      expect(second).toEqual(first);
    });

    it('follow the key, not its line', () => {
      const before = sarifOf(reportFrom([{ path: 'a.env', text: `id = ${keys.keyId}\n` }]));
      const after = sarifOf(reportFrom([{ path: 'a.env', text: `# moved down\n\nid = ${keys.keyId}\n` }]));
      expect(fingerprintsOf(after)).toEqual(fingerprintsOf(before));
    });

    it('differ for the same key in different files, and match locationFingerprint', () => {
      const text = `id = ${keys.keyId}\n`;
      const report = reportFrom([
        { path: 'a.env', text },
        { path: 'b/a.env', text },
      ]);
      const [a, b] = fingerprintsOf(sarifOf(report));
      expect(a).not.toBe(b);
      expect(report.findings[0]!.fingerprint).toBe(report.findings[1]!.fingerprint);
      expect(a).toBe(locationFingerprint(report.findings[0]!.fingerprint, 'a.env'));
    });
  });
});
