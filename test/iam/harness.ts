import { afterEach, beforeEach, vi } from 'vitest';
import { isolateAwsEnv } from '../sts/env.js';
import { startFakeAws, type AwsCall, type AwsHandler, type FakeAws } from '../helpers/aws-query-server.js';

/**
 * Per-test fake IAM + STS on 127.0.0.1 with an isolated AWS environment (no real credentials,
 * profiles or endpoints reach the SDK); closed after each test.
 */
export function useFakeAws(): (handler: AwsHandler) => Promise<FakeAws> {
  let server: FakeAws | undefined;
  beforeEach(() => {
    isolateAwsEnv();
    vi.stubEnv('AWS_ENDPOINT_URL_IAM', undefined);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server?.close().catch(() => undefined);
    server = undefined;
  });
  return async (handler) => {
    server = await startFakeAws(handler);
    return server;
  };
}

/** "iam:GetAccessKeyLastUsed" style names of the calls, in order. */
export function actions(calls: readonly AwsCall[]): string[] {
  return calls.map((call) => `${call.service}:${call.action}`);
}
