import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_EXAMPLE_KEY_ID, makeKeyId, makeSecret, makeSessionToken } from '../helpers/keys.js';
import { ensureBuilt, PROJECT_ROOT as repoRoot } from '../helpers/build.js';

const require = createRequire(import.meta.url);

interface EslintJsonResult {
  filePath: string;
  messages: Array<{
    ruleId: string | null;
    severity: number;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    message: string;
    suggestions?: Array<{ desc: string }>;
  }>;
}

const keyId = makeKeyId('AKIA', { account: '123456789012', seed: 51 });
const temporaryKeyId = makeKeyId('ASIA', { account: '210987654321', seed: 52 });
const secret = makeSecret(53);
const token = makeSessionToken(54, 300);

/** Fixture files, keys built here so no key is ever committed. */
const FILES: Record<string, string> = {
  'eslint.config.js': [
    // Imported by the package's public subpath, as users do: exports["./eslint"] -> dist/src/eslint/index.js.
    `import keywarden from 'keywarden/eslint';`,
    `import tsParser from '@typescript-eslint/parser';`,
    `export default [`,
    `  keywarden.configs.recommended,`,
    `  { files: ['**/*.js'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },`,
    `  { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } } },`,
    `];`,
  ].join('\n'),
  'src/config.js': [`export const config = {`, `  accessKeyId: '${keyId}',`, `  secretAccessKey: '${secret}',`, `};`].join('\n'),
  'src/legacy.js': [
    `// eslint-disable-next-line keywarden/aws-access-key-id`,
    `const old = '${keyId}';`,
    `/* backup: ${keyId} */`,
    `export default old;`,
  ].join('\n'),
  'src/session.ts': [
    `export const session: Record<string, string> = {`,
    `  AWS_ACCESS_KEY_ID: '${temporaryKeyId}',`,
    `  AWS_SESSION_TOKEN: \`${token}\`,`,
    `};`,
  ].join('\n'),
  'src/View.tsx': [`export function View(): JSX.Element {`, `  return <Login keyId="${keyId}">{'ok'}</Login>;`, `}`].join('\n'),
  'src/clean.ts': [
    `// AWS's documentation example is not a finding: ${DOC_EXAMPLE_KEY_ID}`,
    `export const id: string = process.env.AWS_ACCESS_KEY_ID ?? '';`,
    `export const pinned = '${keyId}'; // keywarden:allow`,
  ].join('\n'),
};

let dir: string;
let linted: { code: number; results: EslintJsonResult[] };

function lintFixture(): Promise<{ code: number; results: EslintJsonResult[] }> {
  const eslint = join(repoRoot, 'node_modules/eslint/bin/eslint.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [eslint, '--format', 'json', '--config', 'eslint.config.js', '.'],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        try {
          resolve({ code, results: JSON.parse(stdout) as EslintJsonResult[] });
        } catch {
          reject(new Error(`eslint exited ${code} without JSON output:\n${stderr}\n${stdout}`));
        }
      },
    );
  });
}

describe('the real ESLint CLI with keywarden/eslint from dist', () => {
  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'keywarden-eslint-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), `${text}\n`);
    }
    // The fixture project "installs" keywarden and the parser by linking them into its node_modules.
    mkdirSync(join(dir, 'node_modules/@typescript-eslint'), { recursive: true });
    symlinkSync(repoRoot, join(dir, 'node_modules/keywarden'), 'dir');
    symlinkSync(
      dirname(require.resolve('@typescript-eslint/parser/package.json')),
      join(dir, 'node_modules/@typescript-eslint/parser'),
      'dir',
    );
    linted = await lintFixture();
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports every hard-coded credential in .js, .ts and .tsx files with its rule and exact location', () => {
    const { code, results } = linted;
    expect(code).toBe(1);
    const found = results
      .flatMap((result) =>
        result.messages.map((message) => ({
          file: relative(dir, result.filePath).split('\\').join('/'),
          rule: message.ruleId,
          severity: message.severity,
          at: `${message.line}:${message.column}-${message.endLine}:${message.endColumn}`,
          suggests: (message.suggestions ?? []).map((suggestion) => suggestion.desc),
        })),
      )
      .sort((a, b) => (a.file === b.file ? a.at.localeCompare(b.at, 'en', { numeric: true }) : a.file < b.file ? -1 : 1));
    const tokenEnd = 23 + token.length;
    expect(found).toEqual([
      {
        file: 'src/View.tsx',
        rule: 'keywarden/aws-access-key-id',
        severity: 2,
        at: '2:24-2:44',
        suggests: ['Read it from process.env.AWS_ACCESS_KEY_ID instead.'],
      },
      {
        file: 'src/config.js',
        rule: 'keywarden/aws-access-key-id',
        severity: 2,
        at: '2:17-2:37',
        suggests: ['Read it from process.env.AWS_ACCESS_KEY_ID instead.'],
      },
      {
        file: 'src/config.js',
        rule: 'keywarden/aws-secret-access-key',
        severity: 2,
        at: '3:21-3:61',
        suggests: ['Read it from process.env.AWS_SECRET_ACCESS_KEY instead.'],
      },
      { file: 'src/legacy.js', rule: 'keywarden/aws-access-key-id', severity: 2, at: '3:12-3:32', suggests: [] },
      {
        file: 'src/session.ts',
        rule: 'keywarden/aws-temporary-access-key-id',
        severity: 1,
        at: '2:23-2:43',
        suggests: ['Read it from process.env.AWS_ACCESS_KEY_ID instead.'],
      },
      {
        file: 'src/session.ts',
        rule: 'keywarden/aws-session-token',
        severity: 2,
        at: `3:23-3:${tokenEnd}`,
        suggests: ['Read it from process.env.AWS_SESSION_TOKEN instead.'],
      },
    ]);
  });

  it('explains the finding with the decoded account and redacts secrets', () => {
    const { results } = linted;
    const messages = results.flatMap((result) => result.messages.map((message) => message.message));
    expect(messages).toContain(
      `AWS secret access key ${secret.slice(0, 4)}${'*'.repeat(16)} (paired with key ID ${keyId}, account 123456789012) is hard-coded in a string literal. Move it to the environment or a secret manager, then rotate the key (create a new one, deploy it, deactivate and delete this one).`,
    );
    // The JSON formatter echoes a failing file's source; the messages themselves never hold a secret.
    const text = messages.join('\n');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(token.slice(0, 40));
  });
});
