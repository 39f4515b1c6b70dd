import { mkdtempSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scanSources } from '../helpers/scan.js';
import { AccountCache, defaultCachePath } from '../../src/sts/cache.js';
import { checkAccounts, type AccountCheckOptions } from '../../src/sts/accounts.js';
import { makeKeyId } from '../helpers/keys.js';
import { isolateAwsEnv } from './env.js';
import { startFakeSts, type FakeSts } from './sts-server.js';

let sts: FakeSts | undefined;
let dir: string;

beforeEach(() => {
  isolateAwsEnv();
  dir = mkdtempSync(path.join(os.tmpdir(), 'keywarden-cache-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await sts?.close();
  sts = undefined;
});

describe('defaultCachePath', () => {
  it('uses XDG_CACHE_HOME when it is absolute, else ~/.cache', () => {
    expect(defaultCachePath({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe('/x/cache/keywarden/accounts.json');
    expect(defaultCachePath({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.cache/keywarden/accounts.json');
    expect(defaultCachePath({ HOME: '/home/u' })).toBe('/home/u/.cache/keywarden/accounts.json');
  });
});

describe('AccountCache', () => {
  it('forgets entries older than the TTL', async () => {
    let now = 1_000_000;
    const file = path.join(dir, 'accounts.json');
    const keyId = makeKeyId('AKIA', { seed: 40 });
    const cache = await AccountCache.load(file, { ttlMs: 1000, now: () => now });
    cache.set(keyId, '012345678901');
    await cache.save();
    now += 999;
    expect((await AccountCache.load(file, { ttlMs: 1000, now: () => now })).get(keyId)).toBe('012345678901');
    now += 2;
    expect((await AccountCache.load(file, { ttlMs: 1000, now: () => now })).get(keyId)).toBeUndefined();
  });

  it('treats a corrupt file as empty and replaces it on save', async () => {
    const file = path.join(dir, 'accounts.json');
    await writeFile(file, '{ not json');
    const keyId = makeKeyId('AKIA', { seed: 41 });
    const cache = await AccountCache.load(file);
    expect(cache.get(keyId)).toBeUndefined();
    cache.set(keyId, '111122223333');
    await cache.save();
    expect((await AccountCache.load(file)).get(keyId)).toBe('111122223333');
  });
});

describe('--sts-cache', () => {
  it('writes a 0600 file without the key ids in it, and a second run asks STS nothing', async () => {
    const keyId = makeKeyId('AKIA', { account: '010203040506', seed: 42 });
    const server = await startFakeSts(() => ({ account: '010203040506' }));
    sts = server;
    const cacheFile = defaultCachePath({ XDG_CACHE_HOME: dir });
    const options: AccountCheckOptions = {
      owned: {},
      resolveAccounts: true,
      verify: false,
      connection: { region: 'us-east-1', endpoint: server.endpoint, timeoutMs: 5000 },
      concurrency: 2,
      cacheFile,
    };
    const report = () => scanSources([{ path: 'a.ts', text: `id = "${keyId}"\n` }], '/repo', {});

    const first = await checkAccounts(report(), options);
    expect(server.calls).toHaveLength(1);
    expect(first.report.findings[0]).toMatchObject({ accountId: '010203040506', accountIdSource: 'sts' });
    expect((await stat(cacheFile)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(cacheFile))).mode & 0o777).toBe(0o700);
    const content = await readFile(cacheFile, 'utf8');
    expect(content).toContain('"010203040506"');
    expect(content).not.toContain(keyId);

    const second = await checkAccounts(report(), options);
    expect(server.calls).toHaveLength(1);
    expect(second.requests).toBe(0);
    expect(second.report.findings[0]).toMatchObject({ accountId: '010203040506', accountIdSource: 'sts' });
  });

  it('does not cache failures', async () => {
    const keyId = makeKeyId('AKIA', { account: '010203040506', seed: 43 });
    const server = await startFakeSts((_call, index) => (index === 0 ? { error: 'AccessDenied' } : { account: '010203040506' }));
    sts = server;
    const options: AccountCheckOptions = {
      owned: {},
      resolveAccounts: true,
      verify: false,
      connection: { region: 'us-east-1', endpoint: server.endpoint, timeoutMs: 5000 },
      concurrency: 1,
      cacheFile: path.join(dir, 'accounts.json'),
    };
    const report = () => scanSources([{ path: 'a.ts', text: `id = "${keyId}"\n` }], '/repo', {});
    expect((await checkAccounts(report(), options)).report.findings[0]!.accountIdSource).toBe('offline');
    expect((await checkAccounts(report(), options)).report.findings[0]!.accountIdSource).toBe('sts');
    expect(server.calls).toHaveLength(2);
  });
});
