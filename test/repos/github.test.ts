import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nextLink, parseRepoPage, rateLimitWait } from '../../src/repos/github-response.js';
import { tokenEnv } from '../../src/repos/mirror.js';
import { gitHubCloneCredential } from '../../src/repos/github.js';
import type { JsonReport } from '../../src/report/json.js';
import { createRepo } from '../git/repo.js';
import { runBin } from '../helpers/cli.js';
import {
  loopbackCertificate,
  paged,
  repoEntry,
  startFakeGitHub,
  startPrivateGitHost,
  type ApiReply,
  type FakeServer,
} from '../helpers/github-api.js';
import { makeKeyId } from '../helpers/keys.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '111122223333' });
/** Shaped like a classic personal access token; never a real one. */
const TOKEN = ['ghp', 'x'.repeat(8), 'TESTTOKEN', '0123456789'].join('_');
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A bare repository made with real git under `root`, holding `files` in one commit on main. */
function bareRepo(root: string, name: string, files: Record<string, string>, env: Record<string, string>): string {
  const work = createRepo();
  cleanups.push(() => work.cleanup());
  work.write('README.md', `${name}\n`);
  for (const [file, content] of Object.entries(files)) work.write(file, content);
  work.git('add', '.');
  work.commit(`${name}: first`);
  const bare = path.join(root, `${name}.git`);
  execFileSync('git', ['clone', '-q', '--bare', work.dir, bare], { env, stdio: 'ignore' });
  return bare;
}

/** An isolated git environment (no user config) for the bin; no GitHub settings of the machine's own. */
function gitEnv(): Record<string, string> {
  const repo = createRepo({ init: false });
  cleanups.push(() => repo.cleanup());
  return { ...repo.env, GITHUB_TOKEN: '', GH_TOKEN: '', GITHUB_API_URL: '' };
}

async function fakeGitHub(routes: Parameters<typeof startFakeGitHub>[0]): Promise<FakeServer> {
  const server = await startFakeGitHub(routes);
  cleanups.push(() => server.close());
  return server;
}

async function scanOrg(argv: string[], env: Record<string, string>, cwd: string) {
  const result = await runBin(['scan', '--no-config', '--format', 'json', ...argv], { cwd, env });
  let report: JsonReport | undefined;
  if (result.stdout) report = JSON.parse(result.stdout) as JsonReport;
  return { ...result, report };
}

/** Every file's text under `dir` (a mirror cache is small in these tests). */
function allText(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    text += statSync(full).isDirectory() ? allText(full) : readFileSync(full, 'latin1');
  }
  return text;
}

const rateLimited = (headers: Record<string, string>, status = 403): ApiReply => ({
  status,
  headers,
  body: { message: 'API rate limit exceeded for installation.', documentation_url: 'https://docs.github.com/rest' },
});

describe('scan --github-org', () => {
  it('lists three pages, leaves forks and archived repositories out, and finds a key in a listed repository', async () => {
    const env = gitEnv();
    const root = tempDir('keywarden-gh-');
    const clean = bareRepo(root, 'clean', { 'a.txt': 'nothing\n' }, env);
    const leaky = bareRepo(root, 'leaky', { 'config.txt': `key = ${keyId(1)}\n` }, env);
    const forked = bareRepo(root, 'forked', { 'f.txt': `key = ${keyId(2)}\n` }, env);
    const old = bareRepo(root, 'old', { 'o.txt': `key = ${keyId(3)}\n` }, env);
    const other = bareRepo(root, 'other', { 'b.txt': 'fine\n' }, env);
    const api = await fakeGitHub({
      '/orgs/acme/repos': paged([
        [repoEntry('clean', clean), repoEntry('forked', forked, { fork: true })],
        [repoEntry('leaky', leaky, { private: true }), repoEntry('old', old, { archived: true })],
        [repoEntry('other', other)],
      ]),
    });
    const cache = path.join(root, 'cache');
    const envWith = { ...env, GITHUB_API_URL: api.url, GITHUB_TOKEN: TOKEN };

    const result = await scanOrg(['--github-org', 'acme', '--cache-dir', cache], envWith, root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = result.report!;
    expect(report.findings.map((f) => [f.repository, f.path, f.match])).toEqual([[leaky, 'config.txt', expect.stringMatching(/^AKIA/)]]);
    expect(report.repositories).toEqual([
      { repository: clean, status: 'scanned', mirror: 'cloned', findings: 0, commits: 1, blobsScanned: 2, blobsReused: 0 },
      { repository: leaky, status: 'scanned', mirror: 'cloned', findings: 1, commits: 1, blobsScanned: 2, blobsReused: 0 },
      { repository: other, status: 'scanned', mirror: 'cloned', findings: 0, commits: 1, blobsScanned: 2, blobsReused: 0 },
    ]);
    expect(report.warnings).toEqual([
      '--github-org acme: not scanned (left out: 1 fork (--include-forks), 1 archived (--include-archived))',
    ]);

    // Three pages, each asked for as the brief of the API says, the token sent as a bearer token.
    expect(api.requests.map((r) => r.url.pathname + r.url.search)).toEqual([
      '/orgs/acme/repos?per_page=100&type=all',
      '/orgs/acme/repos?per_page=100&type=all&page=2',
      '/orgs/acme/repos?per_page=100&type=all&page=3',
    ]);
    for (const { headers } of api.requests) {
      expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(headers.accept).toBe('application/vnd.github+json');
      expect(headers['x-github-api-version']).toBe('2022-11-28');
      expect(headers['user-agent']).toMatch(/^keywarden\/\d+\.\d+\.\d+/);
    }
    expect(result.stdout).not.toContain(TOKEN);
    expect(allText(cache)).not.toContain(TOKEN);

    // Asked for, forks and archived repositories are scanned too; the cached mirrors are fetched.
    const all = await scanOrg(['--github-org', 'acme', '--cache-dir', cache, '--include-forks', '--include-archived'], envWith, root);
    expect(all.code).toBe(1);
    expect(all.report!.warnings).toEqual([]);
    expect(all.report!.findings.map((f) => f.repository).sort()).toEqual([forked, leaky, old].sort());
    expect(all.report!.repositories!.map((r) => [path.basename(r.repository), r.mirror])).toEqual([
      ['clean.git', 'fetched'],
      ['forked.git', 'cloned'],
      ['leaky.git', 'fetched'],
      ['old.git', 'cloned'],
      ['other.git', 'fetched'],
    ]);
  });

  it('splits the listing with --shard like --repos: the shards cover every repository once', async () => {
    const env = gitEnv();
    const root = tempDir('keywarden-gh-');
    const names = ['one', 'two', 'three', 'four', 'five'];
    const repos = names.map((name, index) => bareRepo(root, name, { 'k.txt': `id ${keyId(10 + index)}\n` }, env));
    const api = await fakeGitHub({ '/orgs/acme/repos': paged([repos.map((repo, index) => repoEntry(names[index]!, repo))]) });
    const envWith = { ...env, GITHUB_API_URL: api.url };
    const seen: string[] = [];
    for (const shard of ['1/2', '2/2']) {
      const result = await scanOrg(['--github-org', 'acme', '--shard', shard, '--cache-dir', path.join(root, 'cache')], envWith, root);
      expect(result.code, result.stderr).not.toBe(2);
      seen.push(...result.report!.repositories!.map((r) => r.repository));
      // No token: said in the report, and no Authorization header sent.
      expect(result.report!.warnings).toContain('--github-org acme: GITHUB_TOKEN is not set: only public repositories were listed');
    }
    expect(seen.sort()).toEqual([...repos].sort());
    expect(api.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it("lists a user's own repositories with --github-user", async () => {
    const env = gitEnv();
    const root = tempDir('keywarden-gh-');
    const mine = bareRepo(root, 'mine', { 'm.txt': `id ${keyId(20)}\n` }, env);
    const api = await fakeGitHub({ '/users/octo/repos': paged([[repoEntry('mine', mine)]]) });
    const result = await scanOrg(
      ['--github-user', 'octo', '--cache-dir', path.join(root, 'cache')],
      { ...env, GITHUB_API_URL: api.url },
      root,
    );
    expect(result.code).toBe(1);
    expect(result.report!.findings.map((f) => f.repository)).toEqual([mine]);
    expect(api.requests.map((r) => r.url.search)).toEqual(['?per_page=100&type=owner']);
  });

  it('waits out a short rate limit (primary, then secondary) and goes on', async () => {
    const env = gitEnv();
    const root = tempDir('keywarden-gh-');
    const a = bareRepo(root, 'a', { 'a.txt': 'x\n' }, env);
    const b = bareRepo(root, 'b', { 'b.txt': `id ${keyId(30)}\n` }, env);
    const pages = paged([[repoEntry('a', a)], [repoEntry('b', b)]]);
    const api = await fakeGitHub({
      '/orgs/acme/repos': (request, call) => {
        // Page 2's first request: the hourly quota is spent until the next second; its second: a
        // secondary limit with retry-after; its third: the page.
        if (request.url.searchParams.get('page') === '2' && call === 1)
          return rateLimited({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1) });
        if (request.url.searchParams.get('page') === '2' && call === 2) return rateLimited({ 'retry-after': '1' }, 429);
        return pages(request, call);
      },
    });
    const started = Date.now();
    const result = await scanOrg(
      ['--github-org', 'acme', '--cache-dir', path.join(root, 'cache')],
      { ...env, GITHUB_API_URL: api.url },
      root,
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.report!.repositories!.map((r) => r.repository)).toEqual([a, b]);
    // Each wait is said on stderr (nothing else is).
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^keywarden: GitHub API: rate limit exhausted until \S+Z: waiting [12] s$/),
      'keywarden: GitHub API: rate limited (retry-after 1 s): waiting 1 s',
    ]);
    expect(api.requests).toHaveLength(4);
    // At least the one-second retry-after plus the primary limit's reset (one second or more).
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('stops at a long rate limit: what was listed is scanned, the listing named as incomplete, exit 2 unless --allow-partial', async () => {
    const env = gitEnv();
    const root = tempDir('keywarden-gh-');
    const a = bareRepo(root, 'a', { 'a.txt': `id ${keyId(40)}\n` }, env);
    const pages = paged([[repoEntry('a', a)], []]);
    const api = await fakeGitHub({
      '/orgs/acme/repos': (request, call) =>
        request.url.searchParams.get('page') === '2'
          ? rateLimited({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) })
          : pages(request, call),
    });
    const envWith = { ...env, GITHUB_API_URL: api.url, GITHUB_TOKEN: TOKEN };
    const argv = ['--github-org', 'acme', '--cache-dir', path.join(root, 'cache')];
    const started = Date.now();
    const strict = await scanOrg(argv, envWith, root);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(strict.code).toBe(2);
    const lines = strict.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^keywarden: --github-org acme: listing incomplete after 1 repository, stopped at page 2: GitHub API: HTTP 403, rate limit exhausted until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: a wait of \d+ s is longer than 60 s$/,
    );
    expect(lines[1]).toBe(
      `keywarden: 1 of 2 repositories not scanned (${api.url}/orgs/acme/repos); --allow-partial accepts a partial audit`,
    );
    // The repository listed before the limit was scanned; the listing is a failed entry of the report.
    expect(strict.report!.findings.map((f) => f.repository)).toEqual([a]);
    expect(strict.report!.repositories!.at(-1)).toEqual({
      repository: `${api.url}/orgs/acme/repos`,
      status: 'failed',
      findings: 0,
      error: lines[0]!.replace(/^keywarden: /, ''),
    });
    expect(strict.stdout + strict.stderr).not.toContain(TOKEN);

    // keywarden merge sees the gap too.
    const shardReport = path.join(root, 'shard.json');
    writeFileSync(shardReport, strict.stdout);
    const merged = await runBin(['merge', shardReport, '--format', 'json'], { cwd: root, env: envWith });
    expect(merged.code).toBe(2);
    expect(merged.stderr).toContain(`(${api.url}/orgs/acme/repos)`);

    const partial = await scanOrg([...argv, '--allow-partial'], envWith, root);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/^keywarden: warning: --github-org acme: listing incomplete after 1 repository/);
  });

  it('fails with one line and exit 2 when the listing fails before any repository: 401, 404, malformed JSON, no server', async () => {
    const env = gitEnv();
    const root = tempDir('keywarden-gh-');
    const a = bareRepo(root, 'a', { 'a.txt': 'x\n' }, env);
    const api = await fakeGitHub({
      '/orgs/locked/repos': () => ({ status: 401, body: { message: 'Bad credentials' } }),
      // A server that quotes the credential back in its message.
      '/orgs/echo/repos': ({ headers }) => ({ status: 401, body: { message: `Bad credentials: ${headers.authorization}` } }),
      '/orgs/broken/repos': () => ({ body: '[{"clone_url": "/x", ' }),
      '/orgs/odd/repos': () => ({ body: { message: 'not a list' } }),
      '/orgs/nourl/repos': () => ({ body: [{ name: 'x' }] }),
      '/orgs/forks/repos': () => ({ body: [repoEntry('a', a, { fork: true })] }),
      '/orgs/midway/repos': (request) =>
        request.url.searchParams.get('page') === '2'
          ? { body: 'not json' }
          : { body: [repoEntry('a', a)], headers: { link: `<${request.url.origin}/orgs/midway/repos?page=2>; rel="next"` } },
      '/orgs/elsewhere/repos': () => ({
        body: [repoEntry('a', a)],
        headers: { link: '<https://example.com/orgs/x/repos?page=2>; rel="next"' },
      }),
    });
    const envWith = { ...env, GITHUB_API_URL: api.url, GITHUB_TOKEN: TOKEN };
    const cases: Array<[string, RegExp]> = [
      ['locked', /^keywarden: --github-org locked: GitHub API: HTTP 401 \(Bad credentials\): GITHUB_TOKEN is not valid$/],
      ['echo', /^keywarden: --github-org echo: GitHub API: HTTP 401 \(Bad credentials: Bearer \*\*\*\): GITHUB_TOKEN is not valid$/],
      [
        'missing',
        /^keywarden: --github-org missing: GitHub API: HTTP 404 \(Not Found\): no organisation "missing" that this token can see$/,
      ],
      ['broken', /^keywarden: --github-org broken: GitHub API: malformed JSON \(\d+ bytes\) from \/orgs\/broken\/repos$/],
      ['odd', /--github-org odd: GitHub API: the response is not a list of repositories/],
      ['nourl', /--github-org nourl: GitHub API: repository 1 of the page has no clone_url/],
      ['forks', /^keywarden: --github-org forks: no repository to scan \(left out: 1 fork \(--include-forks\)\)$/],
    ];
    for (const [org, message] of cases) {
      const result = await runBin(['scan', '--no-config', '--github-org', org, '--cache-dir', path.join(root, 'cache')], {
        cwd: root,
        env: envWith,
      });
      expect(result.code, org).toBe(2);
      expect(result.stdout, org).toBe('');
      expect(result.stderr.trim().split('\n'), org).toHaveLength(1);
      expect(result.stderr.trimEnd(), org).toMatch(message);
      expect(result.stderr, org).not.toContain(TOKEN);
    }

    // GitHub's CLI keeps its token in GH_TOKEN: read when GITHUB_TOKEN is not set, and named in the message.
    const viaGh = await runBin(['scan', '--no-config', '--github-org', 'echo', '--cache-dir', path.join(root, 'cache')], {
      cwd: root,
      env: { ...env, GITHUB_API_URL: api.url, GH_TOKEN: TOKEN },
    });
    expect(viaGh.stderr.trimEnd()).toMatch(/Bad credentials: Bearer \*\*\*\): GH_TOKEN is not valid$/);
    expect(viaGh.stderr).not.toContain(TOKEN);

    // Malformed JSON on page 2, or a next page on another host (the token is not sent there):
    // the first page's repository is scanned, the listing named as incomplete.
    for (const [org, reason] of [
      ['midway', 'GitHub API: malformed JSON (8 bytes) from /orgs/midway/repos'],
      ['elsewhere', 'GitHub API: the next page is on another host (https://example.com)'],
    ] as const) {
      const result = await scanOrg(['--github-org', org, '--cache-dir', path.join(root, 'cache')], envWith, root);
      expect(result.code, org).toBe(2);
      expect(
        result.report!.repositories!.map((r) => r.status),
        org,
      ).toEqual(['scanned', 'failed']);
      expect(result.stderr, org).toContain(`--github-org ${org}: listing incomplete after 1 repository, stopped at page 2: ${reason}`);
    }

    // Nothing listens: the reason is the connection's.
    await api.close();
    const down = await runBin(['scan', '--no-config', '--github-org', 'acme'], { cwd: root, env: envWith });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^keywarden: --github-org acme: cannot reach the GitHub API at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/);
  });

  it('rejects bad input before any request, and makes no request without --github-org', async () => {
    const env = gitEnv();
    const root = tempDir('keywarden-gh-');
    const a = bareRepo(root, 'a', { 'a.txt': 'x\n' }, env);
    const api = await fakeGitHub({ '/orgs/acme/repos': paged([[repoEntry('a', a)]]) });
    const list = path.join(root, 'repos.txt');
    execFileSync('sh', ['-c', `printf '%s\\n' "$1" > "$2"`, 'sh', a, list]);
    const envWith = { ...env, GITHUB_API_URL: api.url, GITHUB_TOKEN: TOKEN };
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--github-org', 'acme', '--repos', list], {}, /^keywarden: --repos and --github-org cannot be combined/],
      [['--github-org', 'acme', '--github-user', 'octo'], {}, /--github-org and --github-user cannot be combined/],
      [['--github-org', 'ac/me'], {}, /--github-org: "ac\/me" is not a GitHub organisation name/],
      [['--github-org', 'acme', 'src'], {}, /--github-org scans the listed repositories: give no paths/],
      [['--github-org', 'acme', '--staged'], {}, /--github-org scans every ref/],
      [['--github-org', 'acme', '--shard', '3/2'], {}, /--shard: "3\/2" must be K\/N/],
      [['--github-org', 'acme'], { GITHUB_API_URL: 'http://api.example.com' }, /GITHUB_API_URL: .* must be an https:\/\/ URL/],
      [['--github-org', 'acme'], { GITHUB_API_URL: 'not a url' }, /GITHUB_API_URL: "not a url" is not a URL/],
      [['--include-forks'], {}, /--include-forks only works with --github-org or --github-user/],
      [['--repos', list, '--include-archived'], {}, /--include-archived only works with --github-org or --github-user/],
    ];
    for (const [argv, extra, message] of cases) {
      const result = await runBin(['scan', '--no-config', ...argv], { cwd: root, env: { ...envWith, ...extra } });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toMatch(message);
      expect(result.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
    // GITHUB_API_URL and GITHUB_TOKEN in the environment, but --repos: the API is never asked.
    const repos = await runBin(['scan', '--no-config', '--repos', list, '--cache-dir', path.join(root, 'cache')], {
      cwd: root,
      env: envWith,
    });
    expect(repos.code).toBe(0);
    expect(api.requests).toEqual([]);
  });

  it('clones a private repository over https with the token as an extra header that no file, report or message keeps', async () => {
    const env = gitEnv();
    const root = tempDir('keywarden-gh-');
    const served = path.join(root, 'served');
    mkdirSync(served);
    bareRepo(served, 'private', { 'deploy.env': `AWS_ACCESS_KEY_ID=${keyId(50)}\n` }, env);
    const tls = loopbackCertificate();
    cleanups.push(() => tls.cleanup());
    const host = await startPrivateGitHost(served, TOKEN, tls);
    cleanups.push(() => host.close());
    const cloneUrl = `${host.url}/private.git`;
    const api = await fakeGitHub({ '/orgs/acme/repos': paged([[repoEntry('private', cloneUrl, { private: true })]]) });
    const cache = path.join(root, 'cache');
    const output = path.join(root, 'audit.json');
    const envWith = { ...env, GITHUB_API_URL: api.url, GITHUB_TOKEN: TOKEN, GIT_SSL_CAINFO: tls.certFile };

    // Without the token the host refuses the clone: the repository is named as not scanned.
    const refused = await scanOrg(['--github-org', 'acme', '--cache-dir', cache], { ...envWith, GITHUB_TOKEN: '' }, root);
    expect(refused.code).toBe(2);
    expect(refused.report!.repositories).toEqual([
      { repository: cloneUrl, status: 'failed', findings: 0, error: expect.stringMatching(/git clone failed/) },
    ]);

    for (const action of ['cloned', 'fetched']) {
      const result = await runBin(
        ['scan', '--no-config', '--format', 'json', '--output', output, '--github-org', 'acme', '--cache-dir', cache],
        {
          cwd: root,
          env: envWith,
        },
      );
      expect(result.code, result.stderr).toBe(1);
      const report = JSON.parse(readFileSync(output, 'utf8')) as JsonReport;
      expect(report.repositories).toEqual([
        { repository: cloneUrl, status: 'scanned', mirror: action, findings: 1, commits: 1, blobsScanned: 2, blobsReused: 0 },
      ]);
      expect(report.findings.map((f) => [f.repository, f.path])).toEqual([[cloneUrl, 'deploy.env']]);
      for (const text of [result.stdout, result.stderr, readFileSync(output, 'utf8'), allText(cache)]) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(BASIC);
      }
    }
    // The mirror's config names the repository by its plain URL.
    const mirror = readdirSync(cache).find((name) => name.startsWith('private-'))!;
    expect(readFileSync(path.join(cache, mirror, 'config'), 'utf8')).toContain(`url = ${cloneUrl}`);
    // Every git request carried the token (the host answers 401 otherwise), and the API got it as a bearer token.
    expect(host.requests.length).toBeGreaterThan(2);
    expect(host.requests.filter((r) => r.headers.authorization === `Basic ${BASIC}`).length).toBeGreaterThan(2);
    expect(api.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

describe('the GitHub listing, piece by piece', () => {
  it('follows rel="next" in a Link header, in any position, and nothing else', () => {
    expect(
      nextLink('<https://api.github.com/orgs/a/repos?page=2>; rel="next", <https://api.github.com/orgs/a/repos?page=9>; rel="last"'),
    ).toBe('https://api.github.com/orgs/a/repos?page=2');
    expect(nextLink('<https://x/?page=1>; rel="prev", <https://x/?page=3>; rel="next"')).toBe('https://x/?page=3');
    expect(nextLink('<https://x/?page=1>; rel="first", <https://x/?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
    expect(nextLink('garbage')).toBeUndefined();
  });

  it('reads a rate limit from retry-after, then x-ratelimit-remaining and reset, then a secondary-limit message', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const at = (seconds: number) => String(now / 1000 + seconds);
    expect(rateLimitWait(429, new Headers({ 'retry-after': '7' }), '', now)).toEqual({
      seconds: 7,
      reason: 'rate limited (retry-after 7 s)',
    });
    expect(rateLimitWait(403, new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': at(30) }), '', now)).toEqual({
      seconds: 31,
      reason: 'rate limit exhausted until 2026-01-01T12:00:30Z',
    });
    expect(rateLimitWait(403, new Headers(), 'You have exceeded a secondary rate limit', now)?.seconds).toBe(60);
    // A 403 for want of access is not a rate limit; nor is quota left, nor another status.
    expect(
      rateLimitWait(403, new Headers({ 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': at(30) }), 'Resource not accessible', now),
    ).toBeUndefined();
    expect(rateLimitWait(500, new Headers({ 'retry-after': '1' }), '', now)).toBeUndefined();
  });

  it('takes clone_url, fork and archived from a page, and refuses what is not a list of repositories', () => {
    expect(parseRepoPage(JSON.stringify([repoEntry('a', 'https://h/a.git', { fork: true }), { clone_url: ' /b ' }]))).toEqual([
      { cloneUrl: 'https://h/a.git', fork: true, archived: false },
      { cloneUrl: '/b', fork: false, archived: false },
    ]);
    expect(() => parseRepoPage('{"message":"x"}')).toThrow(/not a list/);
    expect(() => parseRepoPage('[{"clone_url":"/a","fork":"yes"}]')).toThrow(/"fork" or "archived"/);
    expect(() => parseRepoPage('[1]')).toThrow(/no clone_url/);
  });

  it('scopes the extra header to the https origin of the repository and keeps git config already in the environment', () => {
    const credential = { value: TOKEN, host: 'github.com' };
    const env = tokenEnv(
      { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'a.b', GIT_CONFIG_VALUE_0: 'c' },
      'https://GitHub.com/acme/x.git',
      credential,
    );
    expect(env).toMatchObject({
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'a.b',
      GIT_CONFIG_KEY_1: 'http.https://github.com/.extraHeader',
      GIT_CONFIG_VALUE_1: `Authorization: Basic ${BASIC}`,
    });
    // Never over plain http, ssh or a local path, nor to a host other than the listing's GitHub.
    for (const repo of [
      'http://github.com/acme/x.git',
      'git@github.com:acme/x.git',
      '/srv/x.git',
      'https://attacker.example/acme/x.git',
      'https://github.com.attacker.example/x.git',
    ])
      expect(tokenEnv({}, repo, credential), repo).toEqual({});
    expect(gitHubCloneCredential({ GITHUB_TOKEN: TOKEN })).toEqual({ value: TOKEN, host: 'github.com' });
    expect(gitHubCloneCredential({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: 'https://GHE.example.com/api/v3' })).toEqual({
      value: TOKEN,
      host: 'ghe.example.com',
    });
    expect(gitHubCloneCredential({})).toBeUndefined();
    expect(tokenEnv({}, 'https://github.com/acme/x.git', undefined)).toEqual({});
  });
});
