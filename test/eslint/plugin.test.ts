import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import type { Rule, SourceCode } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin, { configs, meta, rules } from '../../src/eslint/index.js';
import { scanSourceCode } from '../../src/eslint/scan-cache.js';
import { ruleIds } from '../../rules/index.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { typescriptParser } from './setup.js';

const keyId = makeKeyId('AKIA', { account: '123456789012', seed: 41 });
const temporaryKeyId = makeKeyId('ASIA', { seed: 42 });
const secret = makeSecret(43);
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

function lint(code: string, filename = 'file.js', extra: Linter.Config[] = []): Linter.LintMessage[] {
  return new Linter().verify(code, [configs.recommended, ...extra], { filename });
}

describe('keywarden ESLint plugin object', () => {
  it('names itself after the package and carries its version', () => {
    expect(meta).toEqual({ name: manifest.name, version: manifest.version });
    expect(plugin.meta).toBe(meta);
  });

  it('has one rule per catalog rule, with the same ids', () => {
    expect(Object.keys(rules).sort()).toEqual([...ruleIds].sort());
    expect(plugin.rules).toBe(rules);
  });

  it('recommended registers the plugin as keywarden and enables every rule at the catalog level', () => {
    expect(configs.recommended.plugins).toEqual({ keywarden: plugin });
    expect(configs.recommended.rules).toEqual({
      'keywarden/aws-access-key-id': 'error',
      'keywarden/aws-temporary-access-key-id': 'warn',
      'keywarden/aws-secret-access-key': 'error',
      'keywarden/aws-session-token': 'error',
      'keywarden/aws-bedrock-api-key': 'error',
    });
  });
});

describe('keywarden rules inside ESLint', () => {
  it('reports each credential once, under its rule, at the configured severity', () => {
    const code = `const a = { accessKeyId: '${keyId}', secretAccessKey: '${secret}' };\nconst b = '${temporaryKeyId}';\n`;
    const messages = lint(code).map(({ ruleId, severity, line, column, endColumn }) => ({ ruleId, severity, line, column, endColumn }));
    expect(messages).toEqual([
      { ruleId: 'keywarden/aws-access-key-id', severity: 2, line: 1, column: 27, endColumn: 47 },
      { ruleId: 'keywarden/aws-secret-access-key', severity: 2, line: 1, column: 68, endColumn: 108 },
      { ruleId: 'keywarden/aws-temporary-access-key-id', severity: 1, line: 2, column: 12, endColumn: 32 },
    ]);
  });

  it('honours eslint-disable comments for keywarden rules', () => {
    const code = [
      `// eslint-disable-next-line keywarden/aws-access-key-id`,
      `const a = '${keyId}';`,
      `const b = '${keyId}'; // eslint-disable-line keywarden/aws-access-key-id`,
      `/* eslint-disable keywarden/aws-access-key-id */`,
      `const c = '${keyId}';`,
      `/* eslint-enable keywarden/aws-access-key-id */`,
      `const d = '${keyId}';`,
    ].join('\n');
    expect(lint(code).map((message) => [message.ruleId, message.line])).toEqual([['keywarden/aws-access-key-id', 7]]);
  });

  it('honours keywarden:allow and keywarden:allow-next-line in any comment style', () => {
    const code = [
      `const a = '${keyId}'; /* keywarden:allow */`,
      `// keywarden:allow-next-line`,
      `const b = '${keyId}';`,
      `const c = '${keyId}';`,
    ].join('\n');
    expect(
      lint(code, 'file.ts', [{ files: ['**/*.ts'], languageOptions: { parser: typescriptParser } }]).map((message) => message.line),
    ).toEqual([4]);
  });

  it('rejects options outside the schema', () => {
    expect(() =>
      lint(`const a = 1;`, 'file.js', [{ rules: { 'keywarden/aws-access-key-id': ['error', { includeExamples: 'yes' }] } }]),
    ).toThrow(/"yes" should be boolean/);
    expect(() => lint(`const a = 1;`, 'file.js', [{ rules: { 'keywarden/aws-access-key-id': ['error', { allowList: [] }] } }])).toThrow(
      /additional properties/i,
    );
  });

  it('says which allow pattern is not a regular expression', () => {
    const config: Linter.Config = { rules: { 'keywarden/aws-access-key-id': ['error', { allow: ['(unclosed'] }] } };
    expect(() => lint(`const a = '${keyId}';`, 'file.js', [config])).toThrow(
      /keywarden\/aws-access-key-id: allow\[0\]: not a valid regular expression/,
    );
  });

  it('refuses a super-linear allow pattern without quoting it', () => {
    const config: Linter.Config = { rules: { 'keywarden/aws-access-key-id': ['error', { allow: ['^EXAMPLE', '^(a+)+$'] }] } };
    expect(() => lint(`const a = '${keyId}';`, 'file.js', [config])).toThrow(
      /keywarden\/aws-access-key-id: allow\[1\]: regular expression is not safe \(nested quantifier\)(\n|$)/,
    );
  });

  it('scans a file once for all rules', () => {
    const seen: Array<{ sourceCode: SourceCode; scan: unknown }> = [];
    const probe: Rule.RuleModule = {
      create(context) {
        return {
          Program: () => void seen.push({ sourceCode: context.sourceCode, scan: scanSourceCode(context.sourceCode, context.filename) }),
        };
      },
    };
    const code = `const a = '${keyId}';`;
    new Linter().verify(
      code,
      [
        configs.recommended,
        { plugins: { probe: { rules: { first: probe, second: probe } } }, rules: { 'probe/first': 'error', 'probe/second': 'error' } },
      ],
      { filename: 'a.js' },
    );
    expect(seen).toHaveLength(2);
    expect(seen[0]!.sourceCode).toBe(seen[1]!.sourceCode);
    // Every rule on the same file gets the one cached scan.
    expect(seen[0]!.scan).toBe(seen[1]!.scan);
    expect(scanSourceCode(seen[0]!.sourceCode, 'a.js')).toBe(seen[0]!.scan);
  });
});
