import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One loopback server that speaks the AWS Query protocol for both IAM (Version 2010-05-08) and STS
 * (Version 2011-06-15), as the real @aws-sdk/client-iam and client-sts send it: POST / with a form
 * body (Action, Version, parameters), XML answers in the service's namespace, errors as
 * <ErrorResponse> with 400/403 and the request id in the x-amzn-RequestId header. Point both SDK
 * clients at `endpoint` and route by `call.service` and `call.action` in the handler.
 */

const SERVICES = {
  '2010-05-08': { service: 'iam', ns: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  '2011-06-15': { service: 'sts', ns: 'https://sts.amazonaws.com/doc/2011-06-15/' },
} as const;

export interface AwsCall {
  service: 'iam' | 'sts';
  action: string;
  params: Record<string, string>;
  /** The access key id from the SigV4 Authorization header. */
  signedBy: string | undefined;
  /** Region and service in the SigV4 credential scope. */
  region: string | undefined;
  signingService: string | undefined;
  /** X-Amz-Security-Token header, when the caller used temporary credentials. */
  sessionToken: string | undefined;
}

/**
 * `result`: the inner XML of <ActionResult> (omitted for actions that return nothing); `raw`: any
 * body at all, as a proxy or captive portal would answer (status 200 unless given); 'hang' never answers.
 */
export type AwsAnswer =
  | { result?: string }
  | { error: string; message?: string; status?: number }
  | { raw: string; status?: number; contentType?: string }
  | 'hang';

export type AwsHandler = (call: AwsCall, index: number) => AwsAnswer | Promise<AwsAnswer>;

export interface FakeAws {
  endpoint: string;
  calls: AwsCall[];
  maxInFlight: number;
  close(): Promise<void>;
}

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Answers for the calls keywarden makes. */
export const answers = {
  callerIdentity: (account: string, arn = `arn:aws:iam::${account}:user/security`): AwsAnswer => ({
    result: `<Arn>${xmlEscape(arn)}</Arn><UserId>AIDATESTCALLER</UserId><Account>${account}</Account>`,
  }),
  accessKeyInfo: (account: string): AwsAnswer => ({ result: `<Account>${account}</Account>` }),
  lastUsed: (user: string, used?: { date: string; service: string; region: string }): AwsAnswer => ({
    result:
      `<UserName>${xmlEscape(user)}</UserName><AccessKeyLastUsed>` +
      (used
        ? `<LastUsedDate>${used.date}</LastUsedDate><ServiceName>${used.service}</ServiceName><Region>${used.region}</Region>`
        : '<ServiceName>N/A</ServiceName><Region>N/A</Region>') +
      '</AccessKeyLastUsed>',
  }),
  listKeys: (user: string, keys: { keyId: string; status: 'Active' | 'Inactive'; created: string }[]): AwsAnswer => ({
    result:
      `<UserName>${xmlEscape(user)}</UserName><AccessKeyMetadata>` +
      keys
        .map(
          (key) =>
            `<member><UserName>${xmlEscape(user)}</UserName><AccessKeyId>${key.keyId}</AccessKeyId><Status>${key.status}</Status><CreateDate>${key.created}</CreateDate></member>`,
        )
        .join('') +
      '</AccessKeyMetadata><IsTruncated>false</IsTruncated>',
  }),
  updated: (): AwsAnswer => ({}),
};

function send(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function respond(res: ServerResponse, ns: string, action: string, answer: Exclude<AwsAnswer, 'hang'>): void {
  const requestId = randomUUID();
  if ('raw' in answer) {
    res.writeHead(answer.status ?? 200, {
      'content-type': answer.contentType ?? 'text/html',
      'content-length': Buffer.byteLength(answer.raw),
    });
    res.end(answer.raw);
    return;
  }
  if ('error' in answer) {
    const body =
      `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${answer.error}</Code>` +
      `<Message>${xmlEscape(answer.message ?? answer.error)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    send(res, answer.status ?? (answer.error === 'AccessDenied' || answer.error === 'InvalidClientTokenId' ? 403 : 400), body, requestId);
    return;
  }
  const result = answer.result === undefined ? '' : `<${action}Result>${answer.result}</${action}Result>`;
  send(
    res,
    200,
    `<${action}Response xmlns="${ns}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    requestId,
  );
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeAws(handler: AwsHandler): Promise<FakeAws> {
  const calls: AwsCall[] = [];
  const state = { inFlight: 0, maxInFlight: 0 };
  const server = createServer((req, res) => {
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      state.inFlight--;
    };
    void (async () => {
      const body = await readBody(req);
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      res.on('close', done);
      const params = Object.fromEntries(new URLSearchParams(body));
      const { Action: action = '', Version: version = '', ...rest } = params;
      const known = SERVICES[version as keyof typeof SERVICES];
      const auth = req.headers.authorization ?? '';
      const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(auth);
      const call: AwsCall = {
        service: known?.service ?? 'sts',
        action,
        params: rest,
        signedBy: scope?.[1],
        region: scope?.[2],
        signingService: scope?.[3],
        sessionToken: req.headers['x-amz-security-token'] as string | undefined,
      };
      const index = calls.push(call) - 1;
      if (req.method !== 'POST' || !known) {
        done();
        respond(res, SERVICES['2011-06-15'].ns, action, {
          error: 'InvalidAction',
          message: `not a Query request of a known version (${version})`,
          status: 400,
        });
        return;
      }
      const answer = await handler(call, index);
      if (answer === 'hang') return;
      done();
      respond(res, known.ns, action, answer);
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
