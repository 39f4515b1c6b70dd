import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/run.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { createRepo, type TempRepo } from '../git/repo.js';

const ACCOUNT = '123456789012';
const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: ACCOUNT });
const tempKeyId = makeKeyId('ASIA', { seed: 99, account: ACCOUNT });
const secret = makeSecret(4);

const KEY_TITLE = 'AWS access key ID in source (aws-access-key-id)';
const ROTATE = 'Rotate: deploy a replacement key, then deactivate and delete this one.';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

interface Run {
  code: number;
  stdout: string;
  summary: string;
  outputs: string;
  dir: string;
}

/** main: README; feature: a pair in app.env, twelve key ids in keys.txt, a temporary key id in tmp.txt. */
function prRepo(): { repo: TempRepo; base: string; head: string } {
  const r = createRepo();
  r.write('README.md', 'project\n');
  r.git('add', '.');
  const base = r.commit('base');
  r.git('switch', '-q', '-c', 'feature');
  r.write('app.env', `AWS_ACCESS_KEY_ID=${keyId(4)}\nAWS_SECRET_ACCESS_KEY=${secret}\n`);
  r.write('keys.txt', `${Array.from({ length: 12 }, (_, i) => keyId(10 + i)).join('\n')}\n`);
  r.write('tmp.txt', `${tempKeyId}\n`);
  r.git('add', '.');
  const head = r.commit('feature');
  return { repo: r, base, head };
}

async function run(r: TempRepo, eventName: string, payload: unknown, inputs: Record<string, string> = {}): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-action-'));
  const eventPath = path.join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    ...r.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: r.dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    // What the runner sets from action.yml defaults.
    INPUT_PATHS: '.',
    INPUT_MODE: 'auto',
    'INPUT_FAIL-ON': '',
    'INPUT_SARIF-FILE': 'keywarden.sarif',
    INPUT_BASELINE: '',
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
  };
  let stdout = '';
  const sink = { write: (chunk: string) => (stdout += chunk) };
  const code = await runAction(env, { stdout: sink, stderr: sink });
  return { code, stdout, summary: readFileSync(summaryFile, 'utf8'), outputs: readFileSync(outputFile, 'utf8'), dir };
}

/** Parses the runner's `name<<DELIMITER` output format. */
function parseOutputs(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const pattern = /^([\w-]+)<<(ghadelimiter_[0-9a-f-]{36})\n([\s\S]*?)\n\2\n/gm;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    values[match[1]!] = match[3]!;
    consumed += match[0].length;
  }
  expect(consumed).toBe(text.length);
  return values;
}

/** How a finding names the commit that added it (the test repos' fixed author and date). */
const commitNote = (sha: string) => `; commit ${sha.slice(0, 12)} (2024-01-02T03:04:05+00:00, Test Author <author@example.com>)`;

const keyAnnotation = (file: string, line: number, col: number, id: string, commit: string) =>
  `::error file=${file},line=${line},endLine=${line},col=${col},endColumn=${col + 20},title=${KEY_TITLE}::AWS access key ID in source: ${id}; account ${ACCOUNT} (offline decode)${commitNote(commit)}. ${ROTATE}`;

describe('GitHub Action', () => {
  it('on a pull request: annotates added lines (10 errors shown, then a notice), writes SARIF, summary and outputs', async () => {
    const made = prRepo();
    repo = made.repo;
    const payload = { action: 'synchronize', number: 7, pull_request: { number: 7, base: { sha: made.base }, head: { sha: made.head } } };
    const result = await run(repo, 'pull_request', payload, { 'sarif-file': 'reports/keywarden.sarif' });
    const range = `${made.base.slice(0, 7)}...${made.head.slice(0, 7)}`;
    expect(result.stdout.split('\n')).toEqual([
      `keywarden: scanning lines added by pull request #7 (${range}), commit by commit`,
      `keywarden: config, .keywardenignore files and baseline read from the base commit ${made.base.slice(0, 7)} (policy: base)`,
      keyAnnotation('app.env', 1, 19, keyId(4), made.head),
      `::error file=app.env,line=2,endLine=2,col=23,endColumn=63,title=AWS secret access key in source (aws-secret-access-key)::AWS secret access key in source: ${secret.slice(0, 4)}****************; key id ${keyId(4)}; account ${ACCOUNT} (offline decode)${commitNote(made.head)}. ${ROTATE}`,
      ...Array.from({ length: 8 }, (_, i) => keyAnnotation('keys.txt', i + 1, 1, keyId(10 + i), made.head)),
      `::warning file=tmp.txt,line=1,endLine=1,col=1,endColumn=21,title=AWS temporary access key ID in source (aws-temporary-access-key-id)::AWS temporary access key ID in source: ${tempKeyId}; account ${ACCOUNT} (offline decode)${commitNote(made.head)}. Remove it; if it has not expired, revoke the role's active sessions.`,
      '::notice title=keywarden::4 more findings not annotated (GitHub shows 10 per level); see the job summary and reports/keywarden.sarif.',
      'keywarden: 15 findings (fail-on: note)',
      '',
    ]);
    expect(result.code).toBe(1);

    const summaryLines = result.summary.split('\n');
    expect(summaryLines.slice(0, 6)).toEqual([
      '## keywarden: 15 findings',
      '',
      `Scanned lines added by pull request #7 (${range}), commit by commit: 3 files scanned.`,
      '',
      '| Level | Rule | Location | Credential | Account | Commit |',
      '| --- | --- | --- | --- | --- | --- |',
    ]);
    expect(summaryLines.slice(6, 8)).toEqual([
      `| error | AWS access key ID in source | app.env:1:19 | \`${keyId(4)}\` | ${ACCOUNT} | ${made.head.slice(0, 12)} |`,
      `| error | AWS secret access key in source | app.env:2:23 | \`${secret.slice(0, 4)}****************\` | ${ACCOUNT} | ${made.head.slice(0, 12)} |`,
    ]);
    expect(summaryLines.filter((line) => line.startsWith('| error |'))).toHaveLength(14);
    expect(summaryLines.filter((line) => line.startsWith('| warning |'))).toHaveLength(1);
    expect(summaryLines.slice(-4)).toEqual([
      'Rotate exposed keys: deploy a replacement, then deactivate and delete the exposed key in IAM.',
      '',
      'SARIF: `reports/keywarden.sarif`',
      '',
    ]);
    // Redacted everywhere: the secret never reaches the log or the summary.
    expect(result.stdout + result.summary).not.toContain(secret);

    expect(parseOutputs(result.outputs)).toEqual({ findings: '15', 'sarif-file': 'reports/keywarden.sarif' });
    const sarif = JSON.parse(readFileSync(path.join(repo.dir, 'reports/keywarden.sarif'), 'utf8')) as {
      runs: Array<{
        results: Array<{
          ruleId: string;
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
        }>;
      }>;
    };
    const results = sarif.runs[0]!.results;
    expect(results).toHaveLength(15);
    expect(
      results.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`),
    ).toContain('keys.txt:12');
  });

  it('on a push: scans the commits of before..after only', async () => {
    const made = prRepo();
    repo = made.repo;
    repo.git('switch', '-q', 'feature');
    repo.write('late.txt', `${keyId(50)}\n`);
    repo.git('add', '.');
    const after = repo.commit('late');
    const result = await run(repo, 'push', { before: made.head, after, ref: 'refs/heads/feature' }, { 'sarif-file': '' });
    expect(result.stdout.split('\n')).toEqual([
      `keywarden: scanning lines added by the push (${made.head.slice(0, 7)}..${after.slice(0, 7)}), commit by commit`,
      keyAnnotation('late.txt', 1, 1, keyId(50), after),
      'keywarden: 1 finding (fail-on: note)',
      '',
    ]);
    expect(result.code).toBe(1);
    expect(parseOutputs(result.outputs)).toEqual({ findings: '1', 'sarif-file': '' });
    expect(result.summary).not.toContain('SARIF');
  });

  it('full mode on a clean checkout: exit 0, a clean summary, findings=0', async () => {
    repo = createRepo();
    repo.write('src/index.ts', 'export const region = "eu-west-1";\n');
    repo.git('add', '.');
    repo.commit('clean');
    const result = await run(repo, 'workflow_dispatch', {});
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('keywarden: scanning all files\nkeywarden: no findings (fail-on: note)\n');
    expect(result.summary).toBe(
      '## keywarden: no AWS credentials found\n\nScanned all files: 1 file scanned.\n\nSARIF: `keywarden.sarif`\n',
    );
    expect(parseOutputs(result.outputs)).toEqual({ findings: '0', 'sarif-file': 'keywarden.sarif' });
  });

  it('fail-on error lets a warning-only pull request pass', async () => {
    repo = createRepo();
    repo.write('README.md', 'x\n');
    repo.git('add', '.');
    const base = repo.commit('base');
    repo.write('tmp.txt', `${tempKeyId}\n`);
    repo.git('add', '.');
    const head = repo.commit('temp key');
    const result = await run(
      repo,
      'pull_request',
      { pull_request: { number: 1, base: { sha: base }, head: { sha: head } } },
      { 'fail-on': 'error' },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('::warning file=tmp.txt,');
    expect(parseOutputs(result.outputs).findings).toBe('1');
  });

  it('a base commit missing from a shallow clone is an error with advice, exit 2', async () => {
    const made = prRepo();
    repo = made.repo;
    const missing = 'f'.repeat(40);
    const result = await run(repo, 'pull_request', { pull_request: { number: 2, base: { sha: missing }, head: { sha: made.head } } });
    expect(result.code).toBe(2);
    expect(result.stdout.split('\n').slice(1)).toEqual([
      `::error title=keywarden::keywarden: bad revision: "${missing}" is not a commit in this repository (check out with actions/checkout fetch-depth: 0 so the compared commits are present)`,
      '',
    ]);
    expect(result.outputs).toBe('');
  });

  it('mode pr outside a pull_request event is an error', async () => {
    repo = createRepo();
    const result = await run(repo, 'push', { before: 'a', after: 'b' }, { mode: 'pr' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(
      '::error title=keywarden::keywarden: mode pr needs a pull_request event payload with base and head commits (event: push)\n',
    );
  });
});
