import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { runCli } from '../helpers/cli.js';
import { tempTree } from '../helpers/cli.js';
import { makeKeyId } from '../helpers/keys.js';
import { answers } from '../helpers/aws-query-server.js';
import { account, actions, MINE, useFakeAws } from './harness.js';
import path from 'node:path';

const serve = useFakeAws();
const CANARY = '534261010715';

function scanJson(dir: string, endpoint: string, extra: string[] = []) {
  return runCli(['scan', '.', '--format', 'json', '--key-status', '--iam-endpoint', endpoint, '--sts-endpoint', endpoint, ...extra], {
    cwd: dir,
  });
}

describe('scan --key-status', () => {
  it('adds IAM status to owned keys, sorts the active key first and says so in every format', async () => {
    const alice = makeKeyId('AKIA', { account: MINE, seed: 301 });
    const bob = makeKeyId('AKIA', { account: MINE, seed: 302 });
    const dir = tempTree({ 'a.env': `OLD_KEY=${bob}\n`, 'z.env': `KEY=${alice}\n`, 'y.env': `AGAIN=${alice}\n` });
    const server = await serve(account({ alice, bob }));
    const result = await scanJson(dir, server.endpoint);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.path, f.keyStatus])).toEqual([
      [
        'y.env',
        {
          user: 'alice',
          status: 'active',
          created: '2026-01-02T03:04:05.000Z',
          lastUsed: { date: '2026-11-20T08:15:00.000Z', service: 's3', region: 'us-west-2' },
        },
      ],
      [
        'z.env',
        {
          user: 'alice',
          status: 'active',
          created: '2026-01-02T03:04:05.000Z',
          lastUsed: { date: '2026-11-20T08:15:00.000Z', service: 's3', region: 'us-west-2' },
        },
      ],
      ['a.env', { user: 'bob', status: 'inactive', created: '2025-05-06T07:08:09.000Z', lastUsed: null }],
    ]);
    expect(report.findings[0]!.message).toContain(
      'key status: ACTIVE, user alice, last used 2026-11-20 s3 us-west-2. Active key: deploy a replacement, deactivate this key now',
    );
    expect(report.findings[2]!.message).toContain('key status: inactive, user bob, never used.');
    // Cached per key id: alice's key was found twice and asked about once; IAM signed for us-east-1.
    expect(actions(server.calls).sort()).toEqual([
      'iam:GetAccessKeyLastUsed',
      'iam:GetAccessKeyLastUsed',
      'iam:ListAccessKeys',
      'iam:ListAccessKeys',
      'sts:GetCallerIdentity',
    ]);
    expect(server.calls.filter((c) => c.service === 'iam').every((c) => c.region === 'us-east-1' && c.signingService === 'iam')).toBe(true);

    const sarif = await runCli(
      ['scan', '.', '--format', 'sarif', '--key-status', '--iam-endpoint', server.endpoint, '--sts-endpoint', server.endpoint],
      { cwd: dir },
    );
    const results = JSON.parse(sarif.stdout).runs[0].results as { properties: Record<string, unknown> }[];
    expect(results[0]!.properties.keyStatus).toMatchObject({ user: 'alice', status: 'active' });
    const text = await runCli(
      ['scan', '.', '--no-color', '--key-status', '--iam-endpoint', server.endpoint, '--sts-endpoint', server.endpoint],
      { cwd: dir },
    );
    expect(text.stdout.indexOf('y.env')).toBeLessThan(text.stdout.indexOf('a.env'));
    expect(text.stdout).toContain('key status: ACTIVE, user alice, last used 2026-11-20 s3 us-west-2');
  });

  it('never asks about third-party, canary or unknown-account keys, and makes no call at all when none is left', async () => {
    const theirs = makeKeyId('AKIA', { account: '222233334444', seed: 303 });
    const canary = makeKeyId('AKIA', { account: CANARY, seed: 304 });
    const legacy = makeKeyId('AKIA', { legacy: true, seed: 305 });
    const dir = tempTree({ 'a.env': `A=${theirs}\nB=${canary}\nC=${legacy}\n` });
    const server = await serve(account({}));
    const result = await scanJson(dir, server.endpoint, ['--owned-accounts', MINE]);
    expect(result.stderr).toBe('');
    expect(server.calls).toEqual([]);
    expect((JSON.parse(result.stdout) as JsonReport).findings.map((f) => [f.owner?.label, f.keyStatus])).toEqual([
      ['third-party', null],
      ['canary', null],
      ['unknown', null],
    ]);
  });

  it("without owned accounts declared, asks only about keys of the caller's own account", async () => {
    const alice = makeKeyId('AKIA', { account: MINE, seed: 306 });
    const theirs = makeKeyId('AKIA', { account: '222233334444', seed: 307 });
    const dir = tempTree({ 'a.env': `A=${alice}\nB=${theirs}\n` });
    const server = await serve(account({ alice }));
    const result = await scanJson(dir, server.endpoint);
    expect(result.stderr).toBe('');
    expect(server.calls.filter((c) => c.action === 'GetAccessKeyLastUsed').map((c) => c.params.AccessKeyId)).toEqual([alice]);
    expect((JSON.parse(result.stdout) as JsonReport).findings.map((f) => f.keyStatus?.status ?? null)).toEqual(['active', null]);
  });

  it("warns once about owned keys of an account that is not the caller's", async () => {
    const staging = [1, 2].map((i) => makeKeyId('AKIA', { account: '444455556666', seed: 310 + i }));
    const dir = tempTree({ 'a.env': `A=${staging[0]}\nB=${staging[1]}\n` });
    const server = await serve(account({}));
    const result = await scanJson(dir, server.endpoint, ['--owned-accounts', `${MINE},444455556666`]);
    expect(result.stderr).toBe(
      `keywarden: warning: --key-status: 2 key ids of owned account 444455556666 not checked: the caller's credentials are for account ${MINE}\n`,
    );
    expect(actions(server.calls)).toEqual(['sts:GetCallerIdentity']);
  });

  it('AccessDenied: one warning for all keys, the scan goes on and stops asking', async () => {
    const ids = [1, 2, 3].map((i) => makeKeyId('AKIA', { account: MINE, seed: 320 + i }));
    const dir = tempTree({ 'a.env': ids.map((id, i) => `K${i}=${id}`).join('\n') + '\n' });
    const server = await serve(
      account(
        {},
        {
          GetAccessKeyLastUsed: () => ({
            error: 'AccessDenied',
            message: 'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: iam:GetAccessKeyLastUsed',
          }),
        },
      ),
    );
    const result = await scanJson(dir, server.endpoint, ['--sts-concurrency', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "keywarden: warning: --key-status: 3 keys not fully checked: AccessDenied: the caller's credentials are not allowed iam:GetAccessKeyLastUsed (User: arn:aws:iam::111122223333:user/ci is not authorized to perform: iam:GetAccessKeyLastUsed)\n",
    );
    // The caller's own permission is missing: after the first denial the others are not sent.
    expect(actions(server.calls)).toEqual(['sts:GetCallerIdentity', 'iam:GetAccessKeyLastUsed']);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => f.keyStatus)).toEqual([null, null, null]);
    expect(report.warnings).toHaveLength(1);
  });

  it('keeps what GetAccessKeyLastUsed says for every key when only ListAccessKeys is denied', async () => {
    const alice = makeKeyId('AKIA', { account: MINE, seed: 330 });
    const bob = makeKeyId('AKIA', { account: MINE, seed: 329 });
    const dir = tempTree({ 'a.env': `A=${alice}\nB=${bob}\n` });
    const server = await serve(
      account({ alice, bob }, { ListAccessKeys: () => ({ error: 'AccessDenied', message: 'no iam:ListAccessKeys' }) }),
    );
    const result = await scanJson(dir, server.endpoint, ['--sts-concurrency', '1']);
    expect(result.stderr).toBe(
      "keywarden: warning: --key-status: 2 keys not fully checked: AccessDenied: the caller's credentials are not allowed iam:ListAccessKeys (no iam:ListAccessKeys)\n",
    );
    expect((JSON.parse(result.stdout) as JsonReport).findings.map((f) => f.keyStatus)).toEqual([
      { user: 'alice', status: null, created: null, lastUsed: { date: '2026-11-20T08:15:00.000Z', service: 's3', region: 'us-west-2' } },
      { user: 'bob', status: null, created: null, lastUsed: null },
    ]);
    // The denied action is not asked again; the allowed one still is.
    expect(actions(server.calls).filter((a) => a === 'iam:ListAccessKeys')).toHaveLength(1);
    expect(actions(server.calls).filter((a) => a === 'iam:GetAccessKeyLastUsed')).toHaveLength(2);
  });

  it('retries a throttled call (the SDK standard retry) and gets the answer without a warning', async () => {
    const alice = makeKeyId('AKIA', { account: MINE, seed: 331 });
    const dir = tempTree({ 'a.env': `A=${alice}\n` });
    let throttled = 0;
    const base = account({ alice });
    const server = await serve((call, index) =>
      call.action === 'GetAccessKeyLastUsed' && throttled++ === 0 ? { error: 'Throttling', message: 'Rate exceeded' } : base(call, index),
    );
    const result = await scanJson(dir, server.endpoint);
    expect(result.stderr).toBe('');
    expect(actions(server.calls).filter((a) => a === 'iam:GetAccessKeyLastUsed')).toHaveLength(2);
    expect((JSON.parse(result.stdout) as JsonReport).findings[0]!.keyStatus?.status).toBe('active');
  });

  it('gives up on an IAM that never answers, within --sts-timeout', async () => {
    const alice = makeKeyId('AKIA', { account: MINE, seed: 332 });
    const dir = tempTree({ 'a.env': `A=${alice}\n` });
    const server = await serve(account({ alice }, { GetAccessKeyLastUsed: () => 'hang' }));
    const started = Date.now();
    const result = await scanJson(dir, server.endpoint, ['--sts-timeout', '300']);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'keywarden: warning: --key-status: 1 key not fully checked: IAM did not answer within 300 ms (--sts-timeout)\n',
    );
  });

  it('warns once when GetCallerIdentity fails, and asks IAM nothing', async () => {
    const alice = makeKeyId('AKIA', { account: MINE, seed: 333 });
    const dir = tempTree({ 'a.env': `A=${alice}\n` });
    const server = await serve(
      account(
        { alice },
        { GetCallerIdentity: () => ({ error: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' }) },
      ),
    );
    const result = await scanJson(dir, server.endpoint);
    expect(result.stderr).toMatch(
      /^keywarden: warning: --key-status: no key checked: STS GetCallerIdentity failed: InvalidClientTokenId: AWS rejected the caller's own credentials/,
    );
    expect(actions(server.calls)).toEqual(['sts:GetCallerIdentity']);
  });

  it('keeps no more IAM calls in flight than --sts-concurrency', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => makeKeyId('AKIA', { account: MINE, seed: 340 + i }));
    const dir = tempTree({ 'a.env': ids.map((id, i) => `K${i}=${id}`).join('\n') + '\n' });
    // Every answer waits a little, so uncapped calls would pile up on the server.
    const server = await serve(async (call) => {
      if (call.action === 'GetCallerIdentity') return answers.callerIdentity(MINE);
      await new Promise((resolve) => setTimeout(resolve, 40));
      return call.action === 'GetAccessKeyLastUsed'
        ? answers.lastUsed(`u${call.params.AccessKeyId}`)
        : answers.listKeys(call.params.UserName!, [
            { keyId: call.params.UserName!.slice(1), status: 'Active', created: '2026-01-01T00:00:00Z' },
          ]);
    });
    const result = await scanJson(dir, server.endpoint, ['--sts-concurrency', '2']);
    expect(result.stderr).toBe('');
    expect(server.calls).toHaveLength(13);
    expect(server.maxInFlight).toBe(2);
    expect((JSON.parse(result.stdout) as JsonReport).findings.every((f) => f.keyStatus?.status === 'active')).toBe(true);
  });

  it('is off without the flag (no call even with endpoints set), on with config "keyStatus", and AWS_ENDPOINT_URL_IAM is honoured', async () => {
    const alice = makeKeyId('AKIA', { account: MINE, seed: 350 });
    const dir = tempTree({ 'a.env': `A=${alice}\n` });
    const server = await serve(account({ alice }));
    const env = { AWS_ENDPOINT_URL_IAM: server.endpoint, AWS_ENDPOINT_URL_STS: server.endpoint };
    const off = await runCli(['scan', '.', '--format', 'json'], { cwd: dir, env });
    expect(off.code).toBe(1);
    expect(server.calls).toEqual([]);
    writeFileSync(path.join(dir, 'keywarden.config.json'), JSON.stringify({ keyStatus: true }));
    const on = await runCli(['scan', '.', '--format', 'json'], { cwd: dir, env });
    expect(on.stderr).toBe('');
    expect((JSON.parse(on.stdout) as JsonReport).findings[0]!.keyStatus?.status).toBe('active');
    expect(readFileSync(path.join(dir, 'keywarden.config.json'), 'utf8')).toContain('keyStatus');
  });

  it.each([[['--iam-endpoint', 'ftp://x/'], '--iam-endpoint: "ftp://x/" is not an http(s) URL']])(
    'rejects %j with one line and exit 2',
    async (extra, message) => {
      const dir = tempTree({ 'a.env': `A=${makeKeyId('AKIA', { account: MINE, seed: 351 })}\n` });
      expect(await runCli(['scan', '.', '--key-status', ...extra], { cwd: dir })).toEqual({
        code: 2,
        stdout: '',
        stderr: `keywarden: ${message}\n`,
      });
    },
  );

  it('rejects a config keyStatus that is not a boolean', async () => {
    const dir = tempTree({ 'keywarden.config.json': JSON.stringify({ keyStatus: 'yes' }) });
    const result = await runCli(['scan', '.'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"keyStatus" must be true or false');
  });
});
