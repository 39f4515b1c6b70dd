import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/run.js';
import { summaryMarkdown } from '../../src/action/summary.js';
import { scanSources } from '../helpers/scan.js';
import { tempTree } from '../helpers/cli.js';
import { makeKeyId } from '../helpers/keys.js';
import { answers, type AwsHandler } from '../helpers/aws-query-server.js';
import { actions, useFakeAws } from './harness.js';

const serve = useFakeAws();
const MINE = '111122223333';

function iam(active: string, overrides: Partial<Record<string, AwsHandler>> = {}): AwsHandler {
  return (call, index) => {
    const override = overrides[call.action];
    if (override) return override(call, index);
    if (call.action === 'GetCallerIdentity') return answers.callerIdentity(MINE);
    if (call.action === 'GetAccessKeyLastUsed') {
      return call.params.AccessKeyId === active
        ? answers.lastUsed('deploy|bot', { date: '2026-11-21T00:00:00Z', service: 'ec2', region: 'eu-west-1' })
        : answers.lastUsed('old');
    }
    if (call.action === 'ListAccessKeys') {
      return call.params.UserName === 'old'
        ? answers.listKeys('old', [])
        : answers.listKeys(call.params.UserName!, [{ keyId: active, status: 'Active', created: '2026-01-01T00:00:00Z' }]);
    }
    return { error: 'InvalidAction' };
  };
}

async function runFull(dir: string, env: Record<string, string>): Promise<{ code: number; stdout: string; summary: string }> {
  const summaryFile = path.join(dir, '.summary.md');
  writeFileSync(summaryFile, '');
  let stdout = '';
  const sink = { write: (chunk: string) => (stdout += chunk) };
  const code = await runAction(
    {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_WORKSPACE: dir,
      GITHUB_STEP_SUMMARY: summaryFile,
      INPUT_PATHS: 'src',
      INPUT_MODE: 'full',
      'INPUT_SARIF-FILE': '',
      ...env,
    },
    { stdout: sink, stderr: sink },
  );
  return { code, stdout, summary: readFileSync(summaryFile, 'utf8') };
}

describe('Action input key-status', () => {
  it('adds a Key status column with the active key first, through the endpoints in the environment', async () => {
    const active = makeKeyId('AKIA', { account: MINE, seed: 501 });
    const gone = makeKeyId('AKIA', { account: MINE, seed: 502 });
    const dir = tempTree({ 'src/a.env': `OLD=${gone}\n`, 'src/b.env': `KEY=${active}\n` });
    const server = await serve(iam(active));
    const result = await runFull(dir, {
      'INPUT_KEY-STATUS': 'true',
      AWS_ENDPOINT_URL_IAM: server.endpoint,
      AWS_ENDPOINT_URL_STS: server.endpoint,
    });
    expect(result.code).toBe(1);
    const table = result.summary.split('\n').filter((line) => line.startsWith('|'));
    expect(table[0]).toBe('| Level | Rule | Location | Credential | Account | Key status | Commit |');
    expect(table[2]).toBe(
      `| error | AWS access key ID in source | src/b.env:1:5 | \`${active}\` | ${MINE} | **active**, deploy\\|bot, last used 2026-11-21 |  |`,
    );
    expect(table[3]).toBe(`| error | AWS access key ID in source | src/a.env:1:5 | \`${gone}\` | ${MINE} | unknown, old, never used |  |`);
    // The key missing from its user's listing is one warning annotation.
    expect(result.stdout).toContain(
      '::warning title=keywarden::--key-status: 1 key not fully checked: NotListed: ListAccessKeys for old does not list the key',
    );
    expect(actions(server.calls)).toContain('iam:GetAccessKeyLastUsed');
  });

  it('calls nothing when the input is empty or false', async () => {
    const dir = tempTree({ 'src/a.env': `KEY=${makeKeyId('AKIA', { account: MINE, seed: 503 })}\n` });
    const server = await serve(iam(''));
    for (const value of ['', 'false']) {
      const result = await runFull(dir, {
        'INPUT_KEY-STATUS': value,
        AWS_ENDPOINT_URL_IAM: server.endpoint,
        AWS_ENDPOINT_URL_STS: server.endpoint,
      });
      expect(result.code).toBe(1);
      expect(result.summary).toContain('| Level | Rule | Location | Credential | Account | Commit |');
    }
    expect(server.calls).toEqual([]);
  });

  it('rejects a key-status input that is not true or false', async () => {
    const dir = tempTree({ 'src/a.env': '' });
    const result = await runFull(dir, { 'INPUT_KEY-STATUS': 'yes' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('input key-status: "yes" is not true or false');
  });
});

describe('summaryMarkdown key status cell', () => {
  it('escapes the user name and has no column when no finding has a status', () => {
    const keyId = makeKeyId('AKIA', { account: MINE, seed: 504 });
    const report = scanSources([{ path: 'a.env', text: `K=${keyId}\n` }], '/repo', {});
    expect(summaryMarkdown(report, { scanned: 'x' })).not.toContain('Key status');
    report.findings[0]!.keyStatus = { user: 'a_b*', status: 'inactive', created: null, lastUsed: null };
    expect(summaryMarkdown(report, { scanned: 'x' })).toContain('| inactive, a\\_b\\*, never used |');
  });
});
