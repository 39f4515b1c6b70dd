import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { isolateAwsEnv } from './env.js';
import { startFakeSts, type FakeSts, type StsHandler } from './sts-server.js';

/** The CLI in-process, as a user would call it, with its output captured. */
function run(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(argv, { cwd, env });
}

let sts: FakeSts | undefined;
let dir: string;

async function serve(handler: StsHandler): Promise<FakeSts> {
  sts = await startFakeSts(handler);
  return sts;
}

beforeEach(() => {
  isolateAwsEnv();
  dir = mkdtempSync(path.join(os.tmpdir(), 'keywarden-cli-sts-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await sts?.close();
  sts = undefined;
});

describe('keywarden scan --resolve-accounts (end to end)', () => {
  it('labels findings from STS answers and owned accounts in the JSON report', async () => {
    const mine = makeKeyId('AKIA', { account: '111122223333', seed: 60 });
    const theirs = makeKeyId('AKIA', { legacy: true, seed: 61 });
    writeFileSync(path.join(dir, 'app.env'), `KEY_A=${mine}\n\n\n\n\n\n\n\nKEY_B=${theirs}\n`);
    const server = await serve((call) => ({ account: call.params.AccessKeyId === mine ? '111122223333' : '044455556666' }));
    const result = await run(
      [
        'scan',
        '--format',
        'json',
        '--resolve-accounts',
        '--sts-endpoint',
        server.endpoint,
        '--owned-accounts',
        '111122223333,999988887777',
        '.',
      ],
      dir,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.match, f.accountId, f.accountIdSource, f.owner])).toEqual([
      [mine, '111122223333', 'sts', { label: 'owned' }],
      [theirs, '044455556666', 'sts', { label: 'third-party' }],
    ]);
    expect(server.calls.map((call) => call.params.AccessKeyId).sort()).toEqual([mine, theirs].sort());
  });

  it('takes the endpoint and region from the environment, names owned accounts from the config, and warns once on stderr', async () => {
    const ids = [1, 2].map((i) => makeKeyId('AKIA', { account: '111122223333', seed: 62 + i }));
    writeFileSync(path.join(dir, 'a.txt'), `${ids[0]}\n`);
    writeFileSync(path.join(dir, 'b.txt'), `${ids[1]}\n`);
    writeFileSync(path.join(dir, 'keywarden.config.json'), JSON.stringify({ accounts: { '111122223333': 'prod' } }));
    const server = await serve(() => ({ error: 'AccessDenied', message: 'not authorized to perform sts:GetAccessKeyInfo' }));
    const result = await run(['scan', '.', '--format', 'json', '--resolve-accounts'], dir, {
      AWS_ENDPOINT_URL_STS: server.endpoint,
      AWS_REGION: 'eu-west-1',
    });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      "keywarden: warning: --resolve-accounts: 2 key ids not resolved, offline account ids kept: AccessDenied: the caller's credentials are not allowed sts:GetAccessKeyInfo (not authorized to perform sts:GetAccessKeyInfo)",
    ]);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.accountIdSource, f.owner])).toEqual([
      ['offline', { label: 'owned', name: 'prod' }],
      ['offline', { label: 'owned', name: 'prod' }],
    ]);
    expect(report.warnings).toHaveLength(1);
    expect([...new Set(server.calls.map((call) => call.region))]).toEqual(['eu-west-1']);
  });

  it('shows an STS/offline disagreement in verbose text output only', async () => {
    const keyId = makeKeyId('AKIA', { account: '111111111111', seed: 65 });
    writeFileSync(path.join(dir, 'a.txt'), `${keyId}\n`);
    const server = await serve(() => ({ account: '222222222222' }));
    const argv = ['scan', '.', '--no-color', '--resolve-accounts', '--sts-endpoint', server.endpoint];
    const quiet = await run(argv, dir);
    expect(quiet.stdout).toContain('account 222222222222 (STS)');
    expect(quiet.stdout).not.toContain('offline decode gave');
    expect(quiet.stderr).toBe('');
    const verbose = await run([...argv, '--verbose'], dir);
    expect(verbose.stdout).toContain(
      `STS GetAccessKeyInfo says key id ${keyId} belongs to account 222222222222, but the offline decode gave 111111111111`,
    );
  });

  it('makes no STS call without --resolve-accounts or --verify, even with an endpoint configured', async () => {
    const keyId = makeKeyId('AKIA', { account: '111122223333', seed: 66 });
    writeFileSync(path.join(dir, 'creds'), `aws_access_key_id = ${keyId}\naws_secret_access_key = ${makeSecret(66)}\n`);
    const server = await serve(() => ({ account: '111122223333' }));
    const result = await run(
      [
        'scan',
        '.',
        '--format',
        'json',
        '--owned-accounts',
        '999988887777',
        '--owned-accounts',
        '111122223333',
        '--sts-endpoint',
        server.endpoint,
      ],
      dir,
      {
        AWS_ENDPOINT_URL_STS: server.endpoint,
      },
    );
    expect(result.code).toBe(1);
    expect(server.calls).toEqual([]);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.accountIdSource, f.owner?.label, f.verification])).toEqual([
      ['offline', 'owned', null],
      ['offline', 'owned', null],
    ]);
  });

  it('verifies a complete pair with --verify', async () => {
    const keyId = makeKeyId('AKIA', { account: '111122223333', seed: 67 });
    writeFileSync(path.join(dir, 'creds'), `aws_access_key_id = ${keyId}\naws_secret_access_key = ${makeSecret(67)}\n`);
    const server = await serve((call) =>
      call.signedBy === keyId
        ? { arn: 'arn:aws:iam::111122223333:user/ci', account: '111122223333', userId: 'AIDACI' }
        : { error: 'InvalidClientTokenId' },
    );
    const result = await run(['scan', '.', '--format', 'json', '--verify', '--sts-endpoint', server.endpoint], dir);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => f.verification)).toEqual([
      { status: 'live', arn: 'arn:aws:iam::111122223333:user/ci' },
      { status: 'live', arn: 'arn:aws:iam::111122223333:user/ci' },
    ]);
    expect(report.findings[0]!.message).toContain('verification: live (arn:aws:iam::111122223333:user/ci)');
  });

  it.each([
    [['--owned-accounts', '1234'], '--owned-accounts: "1234" is not a 12-digit AWS account id'],
    [['--owned-accounts', '111122223333,abc'], '--owned-accounts: "abc" is not a 12-digit AWS account id'],
    [['--sts-endpoint', 'ftp://127.0.0.1/'], '--sts-endpoint: "ftp://127.0.0.1/" is not an http(s) URL'],
    [['--sts-endpoint', 'localhost:4566'], '--sts-endpoint: "localhost:4566" is not an http(s) URL'],
    [['--sts-timeout', '0'], '--sts-timeout: "0" must be a whole number from 1 to 600000'],
    [['--sts-concurrency', '2.5'], '--sts-concurrency: "2.5" must be a whole number from 1 to 64'],
    [['--sts-budget', '0'], '--sts-budget: "0" must be a whole number from 1 to 86400'],
  ])('rejects %j with one line and exit 2', async (extra, message) => {
    writeFileSync(path.join(dir, 'a.txt'), `${makeKeyId('AKIA', { seed: 68 })}\n`);
    const result = await run(['scan', '.', '--resolve-accounts', ...extra], dir);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `keywarden: ${message}\n` });
  });

  it('--sts-budget bounds a run against a slow STS; a TTY shows progress meanwhile', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => makeKeyId('AKIA', { account: '111122223333', seed: 4600 + i }));
    writeFileSync(path.join(dir, 'ids.txt'), ids.map((id) => `${id}\n`).join(''));
    const server = await serve(async () => {
      await new Promise((resolve) => setTimeout(resolve, 900));
      return { account: '111122223333' };
    });
    const start = Date.now();
    const result = await runCli(
      ['scan', '.', '--format', 'json', '--resolve-accounts', '--sts-endpoint', server.endpoint, '--sts-budget', '3'],
      { cwd: dir, stderrIsTTY: true },
    );
    expect(Date.now() - start).toBeLessThan(7000);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\r\x1b\[2Kkeywarden: STS \d+\/60 calls/);
    const lines = result.stderr
      .replace(/\r\x1b\[2K(keywarden: STS \d+\/\d+ calls)?/g, '')
      .split('\n')
      .filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^keywarden: warning: --resolve-accounts: \d+ key ids not resolved, offline account ids kept: not checked: the STS run budget of 3 s was used up \(--sts-budget\)$/,
    );
  });

  it('rejects a bad AWS_ENDPOINT_URL_STS only when STS is called', async () => {
    writeFileSync(path.join(dir, 'a.txt'), `${makeKeyId('AKIA', { seed: 69 })}\n`);
    const env = { AWS_ENDPOINT_URL_STS: 'not a url' };
    expect((await run(['scan', '.', '--resolve-accounts'], dir, env)).stderr).toBe(
      'keywarden: AWS_ENDPOINT_URL_STS: "not a url" is not an http(s) URL\n',
    );
    expect((await run(['scan', '.', '--format', 'json'], dir, env)).code).toBe(1);
  });
});
