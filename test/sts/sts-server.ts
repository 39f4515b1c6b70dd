import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback STS that speaks the Query protocol the real @aws-sdk/client-sts uses (docs/aws-credentials.md, "STS"):
 * POST / with a form body (Action, Version, parameters), XML answers in the 2011-06-15 namespace,
 * errors as <ErrorResponse> with 400/403, and the request id in the x-amzn-RequestId header.
 */

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

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

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function send(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function answer(res: ServerResponse, call: StsCall, result: Exclude<StsAnswer, 'hang'>): void {
  const requestId = randomUUID();
  if ('raw' in result) {
    res.writeHead(result.status ?? 200, {
      'content-type': result.contentType ?? 'text/html',
      'content-length': Buffer.byteLength(result.raw),
    });
    res.end(result.raw);
    return;
  }
  if ('error' in result) {
    const body =
      `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${result.error}</Code>` +
      `<Message>${xmlEscape(result.message ?? result.error)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    send(res, result.status ?? (result.error === 'AccessDenied' || result.error === 'InvalidClientTokenId' ? 403 : 400), body, requestId);
    return;
  }
  const meta = `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;
  if ('arn' in result) {
    const body =
      `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>${xmlEscape(result.arn)}</Arn>` +
      `<UserId>${result.userId}</UserId><Account>${result.account}</Account></GetCallerIdentityResult>${meta}</GetCallerIdentityResponse>`;
    send(res, 200, body, requestId);
    return;
  }
  if (call.action !== 'GetAccessKeyInfo') throw new Error(`fake STS: an account answer for ${call.action}`);
  const body = `<GetAccessKeyInfoResponse xmlns="${NS}"><GetAccessKeyInfoResult><Account>${result.account}</Account></GetAccessKeyInfoResult>${meta}</GetAccessKeyInfoResponse>`;
  send(res, 200, body, requestId);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSts(handler: StsHandler): Promise<FakeSts> {
  const calls: StsCall[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const server = createServer((req, res) => {
    // In flight: from the whole request being read to the answer being written (or the client giving
    // up), so the count drops before the client can see the answer and send its next request.
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      inFlight--;
    };
    void (async () => {
      const body = await readBody(req);
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      res.on('close', done);
      const params = Object.fromEntries(new URLSearchParams(body));
      const { Action: action = '', ...rest } = params;
      const auth = req.headers.authorization ?? '';
      const call: StsCall = {
        action,
        params: rest,
        signedBy: /Credential=([^/]+)\//.exec(auth)?.[1],
        region: /Credential=[^/]+\/\d{8}\/([^/]+)\/sts\//.exec(auth)?.[1],
        sessionToken: req.headers['x-amz-security-token'] as string | undefined,
      };
      const index = calls.push(call) - 1;
      if (req.method !== 'POST' || params.Version !== '2011-06-15') {
        done();
        answer(res, call, { error: 'InvalidAction', message: 'not a 2011-06-15 Query request', status: 400 });
        return;
      }
      const result = await handler(call, index);
      // A hanging call is released when the client gives up (socket close) or the server closes.
      if (result === 'hang') return;
      done();
      answer(res, call, result);
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    get maxInFlight() {
      return state.maxInFlight;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Test caller credentials: obviously fake, and only ever sent to 127.0.0.1. */
export const FAKE_CALLER = { accessKeyId: 'test', secretAccessKey: 'test' };
