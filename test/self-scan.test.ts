import { expect, test } from 'vitest';
import { REPO_ROOT, runCli } from './helpers/cli.js';

// The repository holds no real-looking key: tests build theirs in code (test/helpers/keys.ts), and
// docs use AWS's documentation examples, which are counted but never fail a scan.
test('the repository scans itself clean', async () => {
  const result = await runCli(['scan', '.', '--format', 'json', '--no-config'], { cwd: REPO_ROOT });
  const report = JSON.parse(result.stdout);
  expect(report.findings.map((f: { path: string; line: number; ruleId: string }) => `${f.path}:${f.line} ${f.ruleId}`)).toEqual([]);
  expect(result.code).toBe(0);
  expect(report.stats.filesScanned).toBeGreaterThan(50);
});
