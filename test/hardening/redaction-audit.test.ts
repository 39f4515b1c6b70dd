import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { runBin, runCli, tempTree, type CliResult } from '../helpers/cli.js';
import {
  DOC_EXAMPLE_KEY_ID,
  DOC_EXAMPLE_SECRET,
  makeKeyId,
  makeSecret,
  makeSecretWithSlash,
  makeSessionToken,
  SESSION_TOKEN_PREFIX,
} from '../helpers/keys.js';
import { createRepo } from '../git/repo.js';

/**
 * Redaction audit: a tree full of secrets and session tokens (plain, JSON-escaped, URL-encoded,
 * suppressed, documentation examples) goes through every output format, verbosity and side
 * channel (stdout, stderr, --output files, the baseline file, git --staged). No secret may appear,
 * nor any 12-character piece of one: a redacted value keeps only its first 4 characters.
 */

const keyId = makeKeyId('AKIA', { seed: 901, account: '123456789012' });
const tempKeyId = makeKeyId('ASIA', { seed: 902 });
const secret = makeSecret(903);
const slashSecret = makeSecretWithSlash(904);
const urlSecret = makeSecretWithSlash(905);
const suppressedSecret = makeSecret(906);
const pairedSecret = makeSecret(907);
const token = makeSessionToken(908, 700);
const keywordToken = makeSessionToken(909, 300, 'Zm9v');

const SECRETS = [secret, slashSecret, urlSecret, suppressedSecret, pairedSecret, token, keywordToken, DOC_EXAMPLE_SECRET];

const FILES: Record<string, string> = {
  '.env': `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${secret}\nAWS_SESSION_TOKEN=${token}\n`,
  'config/app.json': `{"aws": {"secretAccessKey": "${slashSecret.replace(/\//g, '\\/')}", "sessionToken": "${keywordToken}"}}\n`,
  'deploy.sh': `curl "https://example.com/?AWSAccessKeyId=${tempKeyId}&aws_secret_access_key=${urlSecret.replace(/\//g, '%2F').replace(/\+/g, '%2B')}"\n`,
  'src/client.ts': `new S3Client({ credentials: { accessKeyId: '${keyId}', secretAccessKey: '${pairedSecret}' } });\n`,
  'allowed.py': `aws_secret_access_key = "${suppressedSecret}"  # keywarden:allow\n`,
  'README.md': `aws_access_key_id = ${DOC_EXAMPLE_KEY_ID}\naws_secret_access_key = ${DOC_EXAMPLE_SECRET}\n`,
};

/** Every 12-character window of every secret, in its decoded and its escaped spellings. */
function pieces(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const value of SECRETS) {
    const spellings = new Set([
      value,
      value.replace(/\//g, '\\/'),
      value.replace(/\//g, '%2F').replace(/\+/g, '%2B'),
      JSON.stringify(value).slice(1, -1),
    ]);
    for (const spelling of spellings) {
      for (let i = 0; i + 12 <= spelling.length; i++) {
        const piece = spelling.slice(i, i + 12);
        // The known token prefix is public (docs/aws-credentials.md, "Session tokens") and printed in the rule's own description.
        if (!SESSION_TOKEN_PREFIX.includes(piece)) out.push([value.slice(0, 8), piece]);
      }
    }
  }
  return out;
}
const PIECES = pieces();

function leaks(output: string): string[] {
  return PIECES.filter(([, piece]) => output.includes(piece)).map(([owner, piece]) => `${owner}…: "${piece}"`);
}

/** Everything a run leaves behind: its streams and every file it wrote into the tree. */
function everything(result: CliResult, dir: string, before: ReadonlySet<string>): string {
  const written = listFiles(dir)
    .filter((file) => !before.has(file))
    .map((file) => `\n--- ${file}\n${readFileSync(path.join(dir, file), 'utf8')}`);
  return `${result.stdout}\n--- stderr\n${result.stderr}${written.join('')}`;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix)).flatMap((name) => {
    const relative = path.join(prefix, name);
    if (name === '.git') return [];
    return statSync(path.join(dir, relative)).isDirectory() ? listFiles(dir, relative) : [relative];
  });
}

function tree(): { dir: string; before: Set<string> } {
  const dir = tempTree(FILES);
  return { dir, before: new Set(listFiles(dir)) };
}

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
const VARIANTS: ReadonlyArray<readonly string[]> = [
  [],
  ['--verbose'],
  ['--quiet'],
  ['--include-examples'],
  ['--verbose', '--include-examples'],
  ['--color'],
  ['--no-color', '--verbose'],
  ['--fail-on', 'none'],
];

describe('no secret in any output', () => {
  test.each(FORMATS.flatMap((format) => VARIANTS.map((variant) => [format, variant] as const)))('%s %j', async (format, variant) => {
    const { dir, before } = tree();
    const result = await runCli(['scan', '--format', format, ...variant], { cwd: dir, stdoutIsTTY: true, stderrIsTTY: true });
    expect(result.code).toBe(variant.includes('none') ? 0 : 1);
    // The scan must have found the secrets it is not showing, or this audit proves nothing.
    expect(result.stdout).toContain(secret.slice(0, 4));
    expect(leaks(everything(result, dir, before))).toEqual([]);
  });

  test.each(FORMATS)('--output %s file', async (format) => {
    const { dir, before } = tree();
    const result = await runCli(['scan', '--format', format, '--verbose', '--include-examples', '--output', 'report.out'], { cwd: dir });
    expect(result.code).toBe(1);
    const all = everything(result, dir, before);
    expect(all).toContain('report.out');
    expect(leaks(all)).toEqual([]);
  });

  test('the baseline command: its messages and the baseline file', async () => {
    const { dir, before } = tree();
    const written = await runCli(['baseline', '--verbose', '--include-examples'], { cwd: dir });
    expect(written.code).toBe(0);
    const all = everything(written, dir, before);
    expect(all).toContain('.keywarden-baseline.json');
    expect(leaks(all)).toEqual([]);
    // Scanning against it, stale entries listed verbosely, leaks nothing either.
    const again = await runCli(['scan', '--baseline', '.keywarden-baseline.json', '--verbose'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(leaks(everything(again, dir, before))).toEqual([]);
  });

  test('the real bin, worker threads and all: stdout and stderr', async () => {
    const { dir, before } = tree();
    for (const format of FORMATS) {
      const result = await runBin(['scan', '--format', format, '--verbose', '--include-examples'], { cwd: dir });
      expect(result.code).toBe(1);
      expect(leaks(everything(result, dir, before))).toEqual([]);
    }
  });

  test('git --staged in every format', async () => {
    const repo = createRepo();
    onTestFinished(() => repo.cleanup());
    for (const [file, content] of Object.entries(FILES)) repo.write(file, content);
    repo.git('add', '.');
    for (const format of FORMATS) {
      for (const variant of [[], ['--verbose', '--include-examples']]) {
        const result = await runCli(['scan', '--staged', '--format', format, ...variant], { cwd: repo.dir, env: repo.env });
        expect(result.code).toBe(1);
        expect(result.stdout).toContain(secret.slice(0, 4));
        expect(leaks(`${result.stdout}\n${result.stderr}`)).toEqual([]);
      }
    }
  });
});

describe('--show-secrets shows them', () => {
  test.each(FORMATS)('%s', async (format) => {
    const { dir } = tree();
    const result = await runCli(['scan', '--format', format, '--show-secrets', '--include-examples'], { cwd: dir });
    expect(result.code).toBe(1);
    // JSON escapes "/" nowhere but the formats differ in quoting; compare on the decoded value.
    const output = format === 'json' || format === 'sarif' ? JSON.stringify(JSON.parse(result.stdout)) : result.stdout;
    for (const value of [secret, slashSecret, urlSecret, pairedSecret, token, keywordToken, DOC_EXAMPLE_SECRET])
      expect(output).toContain(value);
    // The audit's own detector sees them, so its silence above means something.
    expect(leaks(result.stdout).length).toBeGreaterThan(100);
    // A suppressed secret is not a finding, so it is not shown even then.
    expect(output).not.toContain(suppressedSecret);
  });
});
