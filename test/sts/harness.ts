import { afterEach, beforeEach, vi } from 'vitest';
import type { AccountCheckOptions } from '../../src/sts/accounts.js';
import { isolateAwsEnv } from './env.js';
import { startFakeSts, type FakeSts, type StsHandler } from './sts-server.js';

/**
 * Per-test fake STS on 127.0.0.1 with an isolated AWS environment; the server is closed after each
 * test. Returns `serve`, which starts it with the test's handler.
 */
export function useFakeSts(): (handler: StsHandler) => Promise<FakeSts> {
  let sts: FakeSts | undefined;
  beforeEach(() => isolateAwsEnv());
  afterEach(async () => {
    vi.unstubAllEnvs();
    // A test may have closed it already to simulate a dead endpoint.
    await sts?.close().catch(() => undefined);
    sts = undefined;
  });
  return async (handler) => {
    sts = await startFakeSts(handler);
    return sts;
  };
}

/** Account-check options pointing at the fake server: nothing enabled unless `extra` says so. */
export function checkOptions(server: FakeSts, extra: Partial<AccountCheckOptions> = {}): AccountCheckOptions {
  return {
    owned: {},
    resolveAccounts: false,
    verify: false,
    connection: { region: 'us-east-1', endpoint: server.endpoint, timeoutMs: 5000 },
    concurrency: 4,
    ...extra,
  };
}
