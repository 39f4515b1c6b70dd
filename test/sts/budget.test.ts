import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/types.js';
import { scanSources } from '../helpers/scan.js';
import { checkAccounts } from '../../src/sts/accounts.js';
import { BREAKER_TIMEOUTS } from '../../src/sts/budget.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { checkOptions, useFakeSts } from './harness.js';

const serve = useFakeSts();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function keyIds(count: number, seed: number): string[] {
  return Array.from({ length: count }, (_, i) => makeKeyId('AKIA', { account: '111122223333', seed: seed + i }));
}

/** Files of 50 ids each: a file keeps at most 100 findings per rule, and every id must be a finding here. */
function scanIds(ids: readonly string[]): Report {
  const files = [];
  for (let i = 0; i < ids.length; i += 50)
    files.push({
      path: `ids-${i / 50}.txt`,
      text: ids
        .slice(i, i + 50)
        .map((id) => `key_${id.slice(-4)}=${id}\n`)
        .join(''),
    });
  return scanSources(files, '/repo', {});
}

function scanPair(keyId: string, secret: string): Report {
  return scanSources(
    [{ path: 'creds', text: `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\n` }],
    '/repo',
    {},
  );
}

describe('the STS run budget and circuit breaker', () => {
  it('stops a run against a slow STS at the budget, with one warning for the calls not made', async () => {
    const ids = keyIds(200, 4000);
    const server = await serve(async () => {
      await sleep(700);
      return { account: '111122223333' };
    });
    const progress: Array<[number, number]> = [];
    const start = Date.now();
    const { report, alerts } = await checkAccounts(
      scanIds(ids),
      checkOptions(server, { resolveAccounts: true, budgetMs: 2000, onProgress: ({ done, total }) => progress.push([done, total]) }),
    );
    const elapsed = Date.now() - start;
    // Unbounded, 200 ids at 4 at a time and 0.7 s each take 35 s; the bound leaves room for a loaded machine.
    expect(elapsed).toBeLessThan(10_000);
    expect(server.calls.length).toBeLessThan(20);
    const resolved = report.findings.filter((f) => f.accountIdSource === 'sts').length;
    expect(resolved).toBeGreaterThan(0);
    expect(alerts).toEqual([
      `--resolve-accounts: ${200 - resolved} key ids not resolved, offline account ids kept: not checked: the STS run budget of 2 s was used up (--sts-budget)`,
    ]);
    expect(progress.at(-1)).toEqual([200, 200]);
  });

  it(`opens after ${BREAKER_TIMEOUTS} timeouts in a row: no further calls, one warning`, async () => {
    const ids = keyIds(40, 4300);
    const server = await serve(() => 'hang');
    const { alerts } = await checkAccounts(
      scanIds(ids),
      checkOptions(server, {
        resolveAccounts: true,
        concurrency: 1,
        connection: { region: 'us-east-1', endpoint: server.endpoint, timeoutMs: 150 },
      }),
    );
    expect(server.calls.length).toBe(BREAKER_TIMEOUTS);
    expect(alerts).toEqual([
      `--resolve-accounts: ${BREAKER_TIMEOUTS} key ids not resolved, offline account ids kept: STS did not answer within 150 ms (--sts-timeout)`,
      `--resolve-accounts: ${40 - BREAKER_TIMEOUTS} key ids not resolved, offline account ids kept: not checked: keywarden stopped calling STS after ${BREAKER_TIMEOUTS} timeouts in a row`,
    ]);
  });

  it('an answer between timeouts closes the count again', async () => {
    const ids = keyIds(12, 4400);
    // Every third call answers: never 5 timeouts in a row.
    const server = await serve((_, index) => (index % 3 === 2 ? { account: '111122223333' } : 'hang'));
    await checkAccounts(
      scanIds(ids),
      checkOptions(server, {
        resolveAccounts: true,
        concurrency: 1,
        connection: { region: 'us-east-1', endpoint: server.endpoint, timeoutMs: 100 },
      }),
    );
    expect(server.calls.length).toBe(12);
  });
});

describe('--verify needs a real GetCallerIdentity answer', () => {
  const keyId = makeKeyId('AKIA', { account: '111122223333', seed: 4500 });
  const secret = makeSecret(4500);

  it('an HTTP 200 HTML page (a captive portal) is "unknown" with one warning, not "live"', async () => {
    const server = await serve(() => ({
      raw: '<!doctype html><html><body><h1>Welcome to Airport Wi-Fi</h1><p>Accept the terms</p></body></html>',
    }));
    const { report, alerts } = await checkAccounts(scanPair(keyId, secret), checkOptions(server, { verify: true }));
    expect(report.findings.map((f) => f.verification?.status)).toEqual(['unknown', 'unknown']);
    expect(report.findings.every((f) => f.accountIdSource === 'offline')).toBe(true);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/^--verify: 1 credential pair could not be checked: UnexpectedResponse: /);
    expect(alerts[0]).not.toContain('Airport');
  });

  it('an answer whose ARN names another account is not trusted', async () => {
    const server = await serve(() => ({ arn: 'arn:aws:iam::999988887777:user/x', account: '111122223333', userId: 'AIDAEXAMPLEUSERID' }));
    const { report } = await checkAccounts(scanPair(keyId, secret), checkOptions(server, { verify: true }));
    expect(report.findings.map((f) => f.verification?.status)).toEqual(['unknown', 'unknown']);
  });

  it('a 10 MB <Account> is refused and echoed only in part', async () => {
    const huge = '7'.repeat(10 * 1024 * 1024);
    const server = await serve((call) =>
      call.action === 'GetCallerIdentity'
        ? { arn: 'arn:aws:iam::111122223333:root', account: huge, userId: '111122223333' }
        : { account: huge },
    );
    const verified = await checkAccounts(scanPair(keyId, secret), checkOptions(server, { verify: true }));
    expect(verified.report.findings.map((f) => f.verification?.status)).toEqual(['unknown', 'unknown']);
    expect(verified.alerts).toHaveLength(1);
    expect(verified.alerts[0]!.length).toBeLessThan(300);
    expect(verified.alerts[0]).toContain('not 12 digits');
    const resolved = await checkAccounts(scanPair(keyId, secret), checkOptions(server, { resolveAccounts: true }));
    expect(resolved.alerts).toHaveLength(1);
    expect(resolved.alerts[0]!.length).toBeLessThan(300);
    expect(resolved.report.findings.every((f) => f.accountIdSource === 'offline')).toBe(true);
  });
});
