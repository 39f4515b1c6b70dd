import { afterEach, beforeEach, vi } from 'vitest';
import { isolateAwsEnv } from '../sts/env.js';
import { answers, startFakeAws, type AwsCall, type AwsHandler, type FakeAws } from '../helpers/aws-query-server.js';

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

/** The caller's account in the fake IAM + STS. */
export const MINE = '111122223333';

/** An IAM + STS that knows two users of the caller's account: alice (active key, used) and bob (inactive, never used). */
export function account(keys: { alice?: string; bob?: string }, overrides: Partial<Record<string, AwsHandler>> = {}): AwsHandler {
  return (call, index) => {
    const override = overrides[call.action];
    if (override) return override(call, index);
    switch (call.action) {
      case 'GetCallerIdentity':
        return answers.callerIdentity(MINE);
      case 'GetAccessKeyLastUsed':
        if (call.params.AccessKeyId === keys.alice)
          return answers.lastUsed('alice', { date: '2026-11-20T08:15:00Z', service: 's3', region: 'us-west-2' });
        if (call.params.AccessKeyId === keys.bob) return answers.lastUsed('bob');
        return { error: 'AccessDenied', message: 'no such key here' };
      case 'ListAccessKeys':
        if (call.params.UserName === 'alice')
          return answers.listKeys('alice', [{ keyId: keys.alice!, status: 'Active', created: '2026-01-02T03:04:05Z' }]);
        return answers.listKeys('bob', [{ keyId: keys.bob!, status: 'Inactive', created: '2025-05-06T07:08:09Z' }]);
      default:
        return { error: 'InvalidAction', message: `unexpected ${call.action}` };
    }
  };
}
