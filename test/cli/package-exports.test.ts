import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';

/** The package's entry points resolve through its exports map, as an installed copy's would. */
describe('package exports', () => {
  test("import 'keywarden' gives the detectors and the rule catalog (built dist/)", () => {
    const text = `aws_access_key_id = ${makeKeyId('AKIA', { seed: 5 })}\naws_secret_access_key = ${makeSecret(5)}\n`;
    const script = [
      "const { detect, displayMatch, ruleIds } = await import('keywarden');",
      'const findings = detect(process.env.KW_TEXT);',
      'console.log(JSON.stringify({ ruleIds, found: findings.map((f) => [f.ruleId, f.line, displayMatch(f, false)]) }));',
    ].join('\n');
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, KW_TEXT: text },
      encoding: 'utf8',
    });
    const { ruleIds, found } = JSON.parse(output) as { ruleIds: string[]; found: Array<[string, number, string]> };
    expect(ruleIds).toEqual([
      'aws-access-key-id',
      'aws-temporary-access-key-id',
      'aws-secret-access-key',
      'aws-session-token',
      'aws-bedrock-api-key',
    ]);
    expect(found.map(([ruleId, line]) => [ruleId, line])).toEqual([
      ['aws-access-key-id', 1],
      ['aws-secret-access-key', 2],
    ]);
    // Redacted for display: only the first four characters of the secret.
    expect(found[1]![2].startsWith(makeSecret(5).slice(0, 4))).toBe(true);
    expect(found[1]![2]).not.toContain(makeSecret(5).slice(4, 12));
  });
});
