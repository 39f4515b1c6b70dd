import { answers, startFakeAws, xmlEscape, type AwsAnswer } from '../helpers/aws-query-server.js';

/**
 * A loopback STS that speaks the Query protocol the real @aws-sdk/client-sts uses (docs/aws-credentials.md, "STS"):
 * the IAM-and-STS Query server of test/helpers/aws-query-server.ts, with answers typed for the two
 * STS actions keywarden calls and calls recorded as STS tests read them.
 */

const STS_VERSION = '2011-06-15';

export interface StsCall {
  action: string;
  params: Record<string, string>;
  /** The access key id from the SigV4 Authorization header: who signed the call. */
  signedBy: string | undefined;
  /** The region in the SigV4 credential scope. */
  region: string | undefined;
  /** X-Amz-Security-Token header, when the caller used temporary credentials. */
  sessionToken: string | undefined;
}

/** What the fake answers; return `'hang'` to never respond (timeout tests). */
export type StsAnswer =
  | { account: string }
  | { arn: string; account: string; userId: string }
  | { error: string; message?: string; status?: number }
  /** Any body at all, as a proxy or captive portal would answer (status 200 unless given). */
  | { raw: string; status?: number; contentType?: string }
  | 'hang';

export type StsHandler = (call: StsCall, index: number) => StsAnswer | Promise<StsAnswer>;

export interface FakeSts {
  endpoint: string;
  calls: StsCall[];
  /** Most requests the server held at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

/** The Query answer for an STS one: an account for GetAccessKeyInfo, a caller identity, or as given. */
function toQueryAnswer(call: StsCall, result: Exclude<StsAnswer, 'hang'>): AwsAnswer {
  if ('raw' in result || 'error' in result) return result;
  if ('arn' in result)
    return { result: `<Arn>${xmlEscape(result.arn)}</Arn><UserId>${result.userId}</UserId><Account>${result.account}</Account>` };
  if (call.action !== 'GetAccessKeyInfo') throw new Error(`fake STS: an account answer for ${call.action}`);
  return answers.accessKeyInfo(result.account);
}

export async function startFakeSts(handler: StsHandler): Promise<FakeSts> {
  const calls: StsCall[] = [];
  const server = await startFakeAws(async (call) => {
    const stsCall: StsCall = {
      action: call.action,
      params: { Version: STS_VERSION, ...call.params },
      signedBy: call.signedBy,
      region: call.region,
      sessionToken: call.sessionToken,
    };
    const index = calls.push(stsCall) - 1;
    if (call.service !== 'sts') return { error: 'InvalidAction', message: `not a ${STS_VERSION} Query request`, status: 400 };
    const result = await handler(stsCall, index);
    return result === 'hang' ? 'hang' : toQueryAnswer(stsCall, result);
  });
  return {
    endpoint: server.endpoint,
    calls,
    get maxInFlight() {
      return server.maxInFlight;
    },
    close: () => server.close(),
  };
}

export const FAKE_CALLER = { accessKeyId: 'test', secretAccessKey: 'test' };
