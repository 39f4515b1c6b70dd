import { describe, expect, it } from 'vitest';
import { CANARY_ACCOUNTS } from '../../src/core/account.js';
import type { Report } from '../../src/core/types.js';
import { scanSources } from '../helpers/scan.js';
import { checkAccounts, type AccountCheckOptions } from '../../src/sts/accounts.js';
import { makeKeyId, makeSecret, makeSessionToken } from '../helpers/keys.js';
import { checkOptions, useFakeSts } from './harness.js';
import type { FakeSts } from './sts-server.js';

const serve = useFakeSts();

function options(server: FakeSts, extra: Partial<AccountCheckOptions> = {}): AccountCheckOptions {
  return checkOptions(server, { verify: true, ...extra });
}

function pairFile(path: string, keyId: string, secret: string, token?: string): { path: string; text: string } {
  const lines = [`[default]`, `aws_access_key_id = ${keyId}`, `aws_secret_access_key = ${secret}`];
  if (token) lines.push(`aws_session_token = ${token}`);
  return { path, text: `${lines.join('\n')}\n` };
}

function scan(...sources: { path: string; text: string }[]): Report {
  return scanSources(sources, '/repo', {});
}

describe('--verify with STS GetCallerIdentity', () => {
  it('signs with the found pair and reports a live pair with its ARN on the key id and the secret', async () => {
    const keyId = makeKeyId('AKIA', { account: '111122223333', seed: 50 });
    const secret = makeSecret(50);
    const arn = 'arn:aws:iam::111122223333:user/ci-deployer';
    const server = await serve((call) =>
      call.action === 'GetCallerIdentity' && call.signedBy === keyId
        ? { arn, account: '111122223333', userId: 'AIDAEXAMPLEUSERID' }
        : { error: 'InvalidClientTokenId' },
    );
    const { report, alerts } = await checkAccounts(scan(pairFile('creds', keyId, secret)), options(server));
    expect(server.calls.map((call) => [call.action, call.signedBy])).toEqual([['GetCallerIdentity', keyId]]);
    expect(report.findings.map((f) => [f.ruleId, f.verification])).toEqual([
      ['aws-access-key-id', { status: 'live', arn }],
      ['aws-secret-access-key', { status: 'live', arn }],
    ]);
    expect(report.findings.every((f) => f.accountId === '111122223333' && f.accountIdSource === 'sts')).toBe(true);
    expect(alerts).toEqual([]);
  });

  it('reports a pair STS rejects as inactive, without a warning', async () => {
    const keyId = makeKeyId('AKIA', { account: '111122223333', seed: 51 });
    const server = await serve(() => ({
      error: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    }));
    const { report, alerts } = await checkAccounts(scan(pairFile('creds', keyId, makeSecret(51))), options(server));
    expect(report.findings.map((f) => f.verification)).toEqual([
      { status: 'inactive', reason: 'InvalidClientTokenId' },
      { status: 'inactive', reason: 'InvalidClientTokenId' },
    ]);
    expect(report.findings.every((f) => f.accountIdSource === 'offline')).toBe(true);
    expect(alerts).toEqual([]);
  });

  it('reports an expired temporary pair as inactive', async () => {
    const keyId = makeKeyId('ASIA', { account: '111122223333', seed: 52 });
    const server = await serve(() => ({ error: 'ExpiredToken', message: 'The security token included in the request is expired' }));
    const { report } = await checkAccounts(scan(pairFile('creds', keyId, makeSecret(52), makeSessionToken(52))), options(server));
    expect(report.findings.map((f) => [f.ruleId, f.verification?.status])).toEqual([
      ['aws-temporary-access-key-id', 'inactive'],
      ['aws-secret-access-key', 'inactive'],
      ['aws-session-token', 'inactive'],
    ]);
  });

  it('sends the session token with a temporary pair, and skips one found without its token', async () => {
    const keyId = makeKeyId('ASIA', { account: '222233334444', seed: 53 });
    const token = makeSessionToken(53, 600);
    const lonely = makeKeyId('ASIA', { account: '222233334444', seed: 54 });
    const server = await serve((call) =>
      call.signedBy === keyId && call.sessionToken === token
        ? { arn: 'arn:aws:sts::222233334444:assumed-role/deploy/session', account: '222233334444', userId: 'AROAEXAMPLEROLEID:session' }
        : { error: 'InvalidClientTokenId' },
    );
    const { report } = await checkAccounts(
      scan(pairFile('a/creds', keyId, makeSecret(53), token), pairFile('b/creds', lonely, makeSecret(54))),
      options(server),
    );
    expect(server.calls).toHaveLength(1);
    expect(report.findings.map((f) => [f.path, f.ruleId, f.verification?.status, f.verification?.reason])).toEqual([
      ['a/creds', 'aws-temporary-access-key-id', 'live', undefined],
      ['a/creds', 'aws-secret-access-key', 'live', undefined],
      ['a/creds', 'aws-session-token', 'live', undefined],
      ['b/creds', 'aws-temporary-access-key-id', 'skipped', 'no session token found'],
      ['b/creds', 'aws-secret-access-key', 'skipped', 'no session token found'],
    ]);
  });

  it('never uses a canary token', async () => {
    const canary = [...CANARY_ACCOUNTS][1]!;
    const keyId = makeKeyId('AKIA', { account: canary, seed: 55 });
    const server = await serve(() => ({ arn: `arn:aws:iam::${canary}:user/canary`, account: canary, userId: 'AIDACANARY' }));
    const { report } = await checkAccounts(scan(pairFile('creds', keyId, makeSecret(55))), options(server));
    expect(server.calls).toEqual([]);
    expect(report.findings.map((f) => [f.verification, f.owner])).toEqual([
      [{ status: 'skipped', reason: 'canary token' }, { label: 'canary' }],
      [{ status: 'skipped', reason: 'canary token' }, { label: 'canary' }],
    ]);
  });

  it('never uses a key STS resolved to a canary account, even when the offline decode said otherwise', async () => {
    const canary = [...CANARY_ACCOUNTS][2]!;
    const keyId = makeKeyId('AKIA', { account: '123123123123', seed: 56 });
    const server = await serve((call) =>
      call.action === 'GetAccessKeyInfo' ? { account: canary } : { arn: 'arn:aws:iam::1:user/x', account: canary, userId: 'AIDAX' },
    );
    const { report } = await checkAccounts(scan(pairFile('creds', keyId, makeSecret(56))), options(server, { resolveAccounts: true }));
    expect(server.calls.map((call) => call.action)).toEqual(['GetAccessKeyInfo']);
    expect(report.findings.every((f) => f.verification?.status === 'skipped' && f.owner?.label === 'canary')).toBe(true);
  });

  it('checks each distinct pair once', async () => {
    const keyId = makeKeyId('AKIA', { account: '333344445555', seed: 57 });
    const secret = makeSecret(57);
    const server = await serve(() => ({ arn: 'arn:aws:iam::333344445555:user/u', account: '333344445555', userId: 'AIDAU' }));
    const { report, requests } = await checkAccounts(
      scan(pairFile('a', keyId, secret), pairFile('b', keyId, secret), pairFile('c', keyId, secret)),
      options(server),
    );
    expect(server.calls).toHaveLength(1);
    expect(requests).toBe(1);
    expect(report.findings.every((f) => f.verification?.status === 'live')).toBe(true);
  });

  it('marks an unanswered check as an error with one warning', async () => {
    const keyId = makeKeyId('AKIA', { account: '333344445555', seed: 58 });
    const server = await serve(() => 'hang');
    const { report, alerts } = await checkAccounts(
      scan(pairFile('a', keyId, makeSecret(58))),
      options(server, { connection: { region: 'us-east-1', endpoint: server.endpoint, timeoutMs: 200 } }),
    );
    expect(report.findings.map((f) => f.verification)).toEqual([
      { status: 'error', reason: 'timeout' },
      { status: 'error', reason: 'timeout' },
    ]);
    expect(alerts).toEqual(['--verify: 1 credential pair could not be checked: STS did not answer within 200 ms (--sts-timeout)']);
  });

  it('leaves a key id without a secret unverified', async () => {
    const server = await serve(() => ({ arn: 'arn:aws:iam::1:user/x', account: '111122223333', userId: 'AIDAX' }));
    const { report } = await checkAccounts(scan({ path: 'a', text: `id = "${makeKeyId('AKIA', { seed: 59 })}"\n` }), options(server));
    expect(server.calls).toEqual([]);
    expect(report.findings[0]).not.toHaveProperty('verification');
  });
});
