import { describe, expect, it } from 'vitest';
import type { Report, Source } from '../../src/core/types.js';
import { scanSources } from '../helpers/scan.js';
import { checkAccounts, type AccountCheckOptions } from '../../src/sts/accounts.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { isolateAwsEnv } from './env.js';
import { checkOptions, useFakeSts } from './harness.js';
import type { FakeSts } from './sts-server.js';

function scan(...sources: Source[]): Report {
  return scanSources(sources, '/repo', {});
}

function keyFile(path: string, keyId: string): Source {
  return { path, text: `const id = "${keyId}";\n` };
}

const serve = useFakeSts();

function options(server: FakeSts, extra: Partial<AccountCheckOptions> = {}): AccountCheckOptions {
  return checkOptions(server, { resolveAccounts: true, ...extra });
}

describe('--resolve-accounts with STS GetAccessKeyInfo', () => {
  it('asks STS with the caller credentials and marks the answer as the source', async () => {
    const keyId = makeKeyId('AKIA', { account: '111122223333', seed: 11 });
    const server = await serve(() => ({ account: '111122223333' }));
    const { report, alerts, requests } = await checkAccounts(scan(keyFile('a.ts', keyId)), options(server));
    expect(server.calls).toEqual([
      {
        action: 'GetAccessKeyInfo',
        params: { Version: '2011-06-15', AccessKeyId: keyId },
        signedBy: 'test',
        region: 'us-east-1',
        sessionToken: undefined,
      },
    ]);
    expect(requests).toBe(1);
    expect(alerts).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.findings[0]).toMatchObject({ accountId: '111122223333', accountIdSource: 'sts' });
  });

  it('keeps the leading zero of an account as a string', async () => {
    // A legacy id carries no account offline: STS is the only source.
    const keyId = makeKeyId('AKIA', { legacy: true, seed: 12 });
    const server = await serve(() => ({ account: '012345678901' }));
    const before = scan(keyFile('a.ts', keyId));
    expect(before.findings[0]).toMatchObject({ accountId: null, accountIdSource: null });
    const { report } = await checkAccounts(before, options(server));
    expect(report.findings[0]!.accountId).toBe('012345678901');
    expect(report.findings[0]!.accountIdSource).toBe('sts');
  });

  it('resolves temporary ASIA ids too, and gives a secret paired with an id the same account', async () => {
    const keyId = makeKeyId('ASIA', { account: '222233334444', seed: 13 });
    const secret = makeSecret(13);
    const server = await serve(() => ({ account: '222233334444' }));
    const text = `aws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\n`;
    const { report } = await checkAccounts(scan({ path: 'creds', text }), options(server));
    expect(report.findings.map((f) => [f.ruleId, f.accountIdSource])).toEqual([
      ['aws-temporary-access-key-id', 'sts'],
      ['aws-secret-access-key', 'sts'],
    ]);
    expect(server.calls).toHaveLength(1);
  });

  it('turns AccessDenied into one warning for all keys and keeps the offline accounts', async () => {
    const ids = [1, 2, 3].map((seed) => makeKeyId('AKIA', { account: `55556666777${seed}`, seed: 20 + seed }));
    const server = await serve(() => ({ error: 'AccessDenied', message: 'User is not authorized to perform: sts:GetAccessKeyInfo' }));
    const before = scan(...ids.map((id, i) => keyFile(`f${i}.ts`, id)));
    const { report, alerts } = await checkAccounts(before, options(server, { concurrency: 1 }));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(
      /^--resolve-accounts: 3 key ids not resolved, offline account ids kept: AccessDenied: .*sts:GetAccessKeyInfo/,
    );
    expect(report.warnings).toEqual(alerts);
    expect(report.findings.map((f) => [f.accountId, f.accountIdSource])).toEqual(before.findings.map((f) => [f.accountId, 'offline']));
    // The caller's permissions will not change mid-run: after the first denial, no more calls.
    expect(server.calls).toHaveLength(1);
  });

  it('reports rejected caller credentials (InvalidClientTokenId) once', async () => {
    const ids = [1, 2].map((seed) => makeKeyId('AKIA', { account: '555566667777', seed: 30 + seed }));
    const server = await serve(() => ({
      error: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    }));
    const { report, alerts } = await checkAccounts(scan(...ids.map((id, i) => keyFile(`f${i}.ts`, id))), options(server));
    expect(alerts).toEqual([
      "--resolve-accounts: 2 key ids not resolved, offline account ids kept: InvalidClientTokenId: STS rejected the caller's own credentials (The security token included in the request is invalid.)",
    ]);
    expect(report.findings.every((f) => f.accountIdSource === 'offline' && f.accountId === '555566667777')).toBe(true);
  });

  it('retries Throttling through the SDK and then succeeds', async () => {
    const keyId = makeKeyId('AKIA', { account: '333344445555', seed: 14 });
    const server = await serve((_call, index) =>
      index < 2 ? { error: 'Throttling', message: 'Rate exceeded' } : { account: '333344445555' },
    );
    const { report, alerts } = await checkAccounts(scan(keyFile('a.ts', keyId)), options(server));
    expect(server.calls).toHaveLength(3);
    expect(alerts).toEqual([]);
    expect(report.findings[0]).toMatchObject({ accountId: '333344445555', accountIdSource: 'sts' });
  });

  it('gives up on a server that never answers: a timeout warning, the offline account kept', async () => {
    const keyId = makeKeyId('AKIA', { account: '444455556666', seed: 15 });
    const server = await serve(() => 'hang');
    const { report, alerts } = await checkAccounts(
      scan(keyFile('a.ts', keyId)),
      options(server, { connection: { region: 'us-east-1', endpoint: server.endpoint, timeoutMs: 300 } }),
    );
    expect(alerts).toEqual([
      '--resolve-accounts: 1 key id not resolved, offline account ids kept: STS did not answer within 300 ms (--sts-timeout)',
    ]);
    expect(report.findings[0]).toMatchObject({ accountId: '444455556666', accountIdSource: 'offline' });
  });

  it('reports a refused connection as a network failure', async () => {
    const server = await serve(() => ({ account: '111122223333' }));
    const endpoint = server.endpoint;
    await server.close();
    const keyId = makeKeyId('AKIA', { account: '444455556666', seed: 16 });
    const { report, alerts } = await checkAccounts(
      scan(keyFile('a.ts', keyId)),
      options(server, { connection: { region: 'us-east-1', endpoint, timeoutMs: 5000 } }),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain(`could not reach STS at ${endpoint} (ECONNREFUSED`);
    expect(report.findings[0]!.accountIdSource).toBe('offline');
  });

  it('warns once when the caller has no credentials at all, without sending anything', async () => {
    isolateAwsEnv({ withCredentials: false });
    const keyId = makeKeyId('AKIA', { account: '444455556666', seed: 17 });
    const server = await serve(() => ({ account: '444455556666' }));
    const { report, alerts } = await checkAccounts(
      scan(keyFile('a.ts', keyId), keyFile('b.ts', makeKeyId('AKIA', { seed: 18 }))),
      options(server),
    );
    expect(server.calls).toEqual([]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/^--resolve-accounts: 2 key ids not resolved, offline account ids kept: no AWS credentials found/);
    expect(report.findings[0]!.accountIdSource).toBe('offline');
  });

  it('never has more calls in flight than --sts-concurrency', async () => {
    const cap = 3;
    const total = 10;
    const ids = Array.from({ length: total }, (_, i) => makeKeyId('AKIA', { account: '777788889999', seed: 100 + i }));
    // Hold calls until `cap` are waiting (or every id has arrived), then give any extra calls a moment
    // to pile up before answering: a correct cap never lets a fourth arrive, a leaky one does.
    const held: (() => void)[] = [];
    let arrived = 0;
    let releasing = false;
    const server = await serve(
      () =>
        new Promise((resolve) => {
          arrived++;
          held.push(() => resolve({ account: '777788889999' }));
          if ((held.length >= cap || arrived === total) && !releasing) {
            releasing = true;
            setTimeout(() => {
              releasing = false;
              held.splice(0).forEach((release) => release());
            }, 50);
          }
        }),
    );
    const { report } = await checkAccounts(scan(...ids.map((id, i) => keyFile(`f${i}.ts`, id))), options(server, { concurrency: cap }));
    expect(server.calls).toHaveLength(total);
    expect(server.maxInFlight).toBe(cap);
    expect(report.findings.every((f) => f.accountIdSource === 'sts')).toBe(true);
  });

  it('asks once per distinct key id, however many findings share it', async () => {
    const keyId = makeKeyId('AKIA', { account: '888899990000', seed: 19 });
    const server = await serve(() => ({ account: '888899990000' }));
    const sources = [1, 2, 3, 4, 5].map((i) => keyFile(`dir/f${i}.ts`, keyId));
    const { report, requests } = await checkAccounts(scan(...sources), options(server));
    expect(report.findings).toHaveLength(5);
    expect(server.calls).toHaveLength(1);
    expect(requests).toBe(1);
    expect(report.findings.every((f) => f.accountIdSource === 'sts')).toBe(true);
  });

  it('lets STS win over a different offline decode and notes the disagreement', async () => {
    const keyId = makeKeyId('AKIA', { account: '111111111111', seed: 21 });
    const server = await serve(() => ({ account: '222222222222' }));
    const { report, alerts } = await checkAccounts(
      scan(keyFile('a.ts', keyId), keyFile('b.ts', keyId)),
      options(server, { owned: { '111111111111': 'prod' } }),
    );
    expect(report.findings.map((f) => f.accountId)).toEqual(['222222222222', '222222222222']);
    // Ownership follows the authoritative account, not the decode.
    expect(report.findings.map((f) => f.owner)).toEqual([{ label: 'third-party' }, { label: 'third-party' }]);
    expect(alerts).toEqual([]);
    expect(report.warnings).toEqual([
      `STS GetAccessKeyInfo says key id ${keyId} belongs to account 222222222222, but the offline decode gave 111111111111; using the STS answer`,
    ]);
  });

  it('makes no request at all unless asked', async () => {
    const keyId = makeKeyId('AKIA', { account: '111122223333', seed: 22 });
    const server = await serve(() => ({ account: '111122223333' }));
    const { report, requests } = await checkAccounts(
      scan(keyFile('a.ts', keyId)),
      options(server, { resolveAccounts: false, owned: { '111122223333': 'prod' } }),
    );
    expect(server.calls).toEqual([]);
    expect(requests).toBe(0);
    expect(report.findings[0]).toMatchObject({ accountIdSource: 'offline', owner: { label: 'owned', name: 'prod' } });
  });
});
