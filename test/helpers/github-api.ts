import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What the fake API answers: a status (200 unless given), headers, and a body (JSON-encoded unless a string). */
export interface ApiReply {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface ApiRequest {
  url: URL;
  headers: IncomingHttpHeaders;
}

/** One path's answers; `call` counts that path's requests from 0 (so a route can fail once, then succeed). */
export type ApiRoute = (request: ApiRequest, call: number) => ApiReply;

export interface FakeServer {
  url: string;
  requests: ApiRequest[];
  close(): Promise<void>;
}

async function listen(server: ReturnType<typeof createServer>, scheme: 'http' | 'https', requests: ApiRequest[]): Promise<FakeServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback stand-in for the GitHub REST API: routes by path, every request recorded with its headers. */
export function startFakeGitHub(routes: Record<string, ApiRoute>): Promise<FakeServer> {
  const requests: ApiRequest[] = [];
  const calls = new Map<string, number>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    requests.push({ url, headers: req.headers });
    const route = routes[url.pathname];
    const call = calls.get(url.pathname) ?? 0;
    calls.set(url.pathname, call + 1);
    const reply = route ? route({ url, headers: req.headers }, call) : { status: 404, body: { message: 'Not Found' } };
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  });
  return listen(server, 'http', requests);
}

/** A repository object as GitHub lists it (the fields keywarden reads, and a few it does not). */
export function repoEntry(name: string, cloneUrl: string, flags: { fork?: boolean; archived?: boolean; private?: boolean } = {}) {
  return {
    id: name.length,
    name,
    full_name: `acme/${name}`,
    private: flags.private ?? false,
    html_url: `https://github.com/acme/${name}`,
    clone_url: cloneUrl,
    fork: flags.fork ?? false,
    archived: flags.archived ?? false,
  };
}

/**
 * Pages of a listing, served as GitHub does: `page=N` in the query (1 when absent), a Link header
 * naming the next page (on the server's own origin, with the query the client sent) but not after
 * the last.
 */
export function paged(pages: readonly unknown[][]): ApiRoute {
  return ({ url }): ApiReply => {
    const page = Number(url.searchParams.get('page') ?? '1');
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    const last = new URL(url);
    last.searchParams.set('page', String(pages.length));
    return {
      body: pages[page - 1] ?? [],
      headers: page < pages.length ? { link: `<${next.href}>; rel="next", <${last.href}>; rel="last"` } : ({} as Record<string, string>),
    };
  };
}

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI; removed by `cleanup`. */
export function loopbackCertificate(): { key: string; cert: string; certFile: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]),
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    certFile,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Relays one request to `git http-backend` (CGI) and its answer back: git's own smart HTTP server. */
function gitHttpBackend(req: IncomingMessage, res: ServerResponse, root: string, url: URL): void {
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: url.pathname,
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: req.headers['git-protocol'] as string } : {}),
      REMOTE_ADDR: '127.0.0.1',
      REMOTE_USER: 'x-access-token',
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  req.pipe(child.stdin);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.on('close', () => {
    const output = Buffer.concat(chunks);
    const end = output.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of output.subarray(0, end).toString('latin1').split('\r\n')) {
      const [name, ...value] = line.split(':');
      if (name!.toLowerCase() === 'status') status = Number(value.join(':').trim().split(' ')[0]);
      else if (name) headers[name] = value.join(':').trim();
    }
    res.writeHead(status, headers);
    res.end(output.subarray(end + 4));
  });
}

/**
 * A private git host on https://127.0.0.1: the bare repositories under `root`, served by git's
 * http-backend only to a request carrying `Authorization: Basic base64(x-access-token:TOKEN)`
 * (what GitHub accepts), 401 otherwise. Every request's headers are recorded.
 */
export function startPrivateGitHost(root: string, token: string, tls: { key: string; cert: string }): Promise<FakeServer> {
  const requests: ApiRequest[] = [];
  const expected = `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  const server = createHttpsServer(tls, (req, res) => {
    const url = new URL(req.url ?? '/', `https://${req.headers.host}`);
    requests.push({ url, headers: req.headers });
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="private"' });
      res.end();
      return;
    }
    gitHttpBackend(req, res, root, url);
  });
  return listen(server as unknown as ReturnType<typeof createServer>, 'https', requests);
}
