import { setTimeout as delay } from 'node:timers/promises';
import type { Report } from '../core/types.js';
import { UsageError } from '../errors.js';
import { tool } from '../version.js';
import { apiMessage, MAX_RATE_LIMIT_WAIT_SECONDS, nextLink, parseRepoPage, rateLimitWait, type ListedRepo } from './github-response.js';
import type { Env, GitHubCredential } from './mirror.js';

/** Whose repositories: an organisation's (all it owns, private ones too with a token), or a user's public ones. */
export interface GitHubOwner {
  kind: 'org' | 'user';
  name: string;
}

export interface GitHubListing {
  owner: GitHubOwner;
  /** The listing's URL without its query: names the listing in the report when it stops early. */
  source: string;
  /** Clone URLs, in the API's order. */
  repos: string[];
  skipped: { forks: number; archived: number };
  /** Whether a token was sent (without one, only public repositories are listed). */
  authenticated: boolean;
  /** Why the listing stopped before its last page; undefined when it is complete. */
  failure?: string;
}

export interface GitHubListOptions {
  includeForks: boolean;
  includeArchived: boolean;
  /** Told before each rate-limit wait, so a pause of up to a minute is not silent. */
  onWait?: (message: string) => void;
}

const DEFAULT_API_URL = 'https://api.github.com';
const REQUEST_TIMEOUT_MS = 30_000;
/** 10,000 pages of 100: a bound on a listing whose next link never ends. */
const MAX_PAGES = 10_000;
/** Rate-limit waits per page before the listing gives up. */
const MAX_RETRIES = 3;

/** A listing request that failed: its one-line reason, never the token. */
class ListingError extends Error {}

const flagOf = (owner: GitHubOwner) => `--github-${owner.kind} ${owner.name}`;

const isLoopback = (host: string) => host === '127.0.0.1' || host === '[::1]' || host === 'localhost';

/** GITHUB_API_URL (GitHub Enterprise Server: https://HOST/api/v3) or api.github.com; https only, so the token never travels in clear. */
export function gitHubApiUrl(env: Env): URL {
  const raw = env.GITHUB_API_URL?.trim() || DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`GITHUB_API_URL: "${raw}" is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
    throw new UsageError(`GITHUB_API_URL: "${raw}" must be an https:// URL (http:// only on a loopback address)`);
  if (url.username || url.password || url.search || url.hash)
    throw new UsageError(`GITHUB_API_URL: "${raw}" must be a plain URL (no user, query or fragment)`);
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** Where the token is read from: GITHUB_TOKEN (Actions, most tools), else GH_TOKEN (GitHub's own CLI). */
function tokenVariable(env: Env): 'GITHUB_TOKEN' | 'GH_TOKEN' | undefined {
  if (env.GITHUB_TOKEN?.trim()) return 'GITHUB_TOKEN';
  if (env.GH_TOKEN?.trim()) return 'GH_TOKEN';
  return undefined;
}

/** The token for the API and for cloning, from GITHUB_TOKEN or else GH_TOKEN; undefined when both are unset or blank. */
export function gitHubToken(env: Env): string | undefined {
  const variable = tokenVariable(env);
  return variable ? env[variable]!.trim() : undefined;
}

/**
 * GITHUB_TOKEN for cloning the listed repositories, tied to the listing's GitHub: github.com for
 * api.github.com, the API's own host for GitHub Enterprise Server (https://HOST/api/v3).
 */
export function gitHubCloneCredential(env: Env): GitHubCredential | undefined {
  const value = gitHubToken(env);
  if (!value) return undefined;
  const api = gitHubApiUrl(env).hostname.toLowerCase();
  return { value, host: api === 'api.github.com' ? 'github.com' : api };
}

/** An organisation or user login as GitHub spells them (Enterprise managed users add `_shortcode`). */
export function checkOwner(owner: GitHubOwner): GitHubOwner {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(owner.name))
    throw new UsageError(`--github-${owner.kind}: "${owner.name}" is not a GitHub ${owner.kind === 'org' ? 'organisation' : 'user'} name`);
  return owner;
}

function describeStatus(status: number, message: string, authenticated: boolean, owner: GitHubOwner, variable = 'GITHUB_TOKEN'): string {
  const detail = message ? ` (${message})` : '';
  if (status === 401) return `GitHub API: HTTP 401${detail}: ${authenticated ? `${variable} is not valid` : 'a token is needed'}`;
  if (status === 404)
    return `GitHub API: HTTP 404${detail}: no ${owner.kind === 'org' ? 'organisation' : 'user'} "${owner.name}"${authenticated ? ' that this token can see' : ' (or it needs a GITHUB_TOKEN)'}`;
  return `GitHub API: HTTP ${status}${detail}`;
}

/** The Link header's next page, resolved against the page that named it. */
function nextUrl(link: string, base: string): string {
  try {
    return new URL(link, base).href;
  } catch {
    throw new ListingError(`GitHub API: the next page's link is not a URL`);
  }
}

/** One page, waiting out a short rate limit; throws ListingError with the reason otherwise. */
async function fetchPage(
  url: string,
  headers: Record<string, string>,
  context: { authenticated: boolean; variable?: string | undefined; owner: GitHubOwner; onWait?: ((message: string) => void) | undefined },
): Promise<{ repos: ListedRepo[]; next?: string }> {
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      body = await response.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ListingError(
        `cannot reach the GitHub API at ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
    }
    if (response.ok) {
      try {
        return { repos: parseRepoPage(body), next: nextLink(response.headers.get('link')) };
      } catch (error) {
        throw new ListingError(`GitHub API: ${(error as Error).message} from ${new URL(url).pathname}`);
      }
    }
    const message = apiMessage(body);
    const limit = rateLimitWait(response.status, response.headers, message, Date.now());
    if (!limit) throw new ListingError(describeStatus(response.status, message, context.authenticated, context.owner, context.variable));
    if (limit.seconds > MAX_RATE_LIMIT_WAIT_SECONDS || attempt >= MAX_RETRIES) {
      const hint = context.authenticated ? '' : '; a GITHUB_TOKEN raises the limit';
      throw new ListingError(
        `GitHub API: HTTP ${response.status}, ${limit.reason}: ${attempt >= MAX_RETRIES ? `still limited after ${MAX_RETRIES} waits` : `a wait of ${limit.seconds} s is longer than ${MAX_RATE_LIMIT_WAIT_SECONDS} s`}${hint}`,
      );
    }
    context.onWait?.(`GitHub API: ${limit.reason}: waiting ${limit.seconds} s`);
    await delay(limit.seconds * 1000);
  }
}

/**
 * Lists the owner's repositories page by page, following the Link header's next page (on the API's
 * own origin only: the token goes nowhere else). Forks and archived repositories are counted and
 * left out unless asked for. A page that fails after some were listed ends the listing with its
 * reason in `failure` (the caller scans what was listed and says the audit is partial); a failure
 * before any repository was listed is one line, exit 2: there is nothing to audit.
 */
export async function listGitHubRepos(owner: GitHubOwner, env: Env, options: GitHubListOptions): Promise<GitHubListing> {
  checkOwner(owner);
  const api = gitHubApiUrl(env);
  const token = gitHubToken(env);
  const first = new URL(
    `${api.href.replace(/\/$/, '')}/${owner.kind === 'org' ? 'orgs' : 'users'}/${encodeURIComponent(owner.name)}/repos`,
  );
  const source = first.href;
  // type=all: an organisation's private, internal and public repositories; a user's own public ones.
  first.search = new URLSearchParams({ per_page: '100', type: owner.kind === 'org' ? 'all' : 'owner' }).toString();
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': `${tool.name}/${tool.version}`,
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
  const context = { authenticated: token !== undefined, variable: tokenVariable(env), owner, onWait: options.onWait };
  const listing: GitHubListing = { owner, source, repos: [], skipped: { forks: 0, archived: 0 }, authenticated: context.authenticated };
  let url: string | undefined = first.href;
  for (let page = 1; url !== undefined; page++) {
    try {
      if (page > MAX_PAGES) throw new ListingError(`GitHub API: more than ${MAX_PAGES} pages`);
      if (new URL(url).origin !== api.origin)
        throw new ListingError(`GitHub API: the next page is on another host (${new URL(url).origin})`);
      const result = await fetchPage(url, headers, context);
      for (const repo of result.repos) {
        if (repo.fork && !options.includeForks) listing.skipped.forks++;
        else if (repo.archived && !options.includeArchived) listing.skipped.archived++;
        else listing.repos.push(repo.cloneUrl);
      }
      url = result.next === undefined ? undefined : nextUrl(result.next, url);
    } catch (error) {
      if (!(error instanceof ListingError)) throw error;
      // The API's own message is quoted: should a server ever echo the token, it is cut out.
      const reason = token ? error.message.replaceAll(token, '***') : error.message;
      listing.failure = page === 1 ? reason : `stopped at page ${page}: ${reason}`;
      break;
    }
  }
  if (listing.repos.length === 0) {
    if (listing.failure) throw new UsageError(`${flagOf(owner)}: ${listing.failure}`);
    throw new UsageError(`${flagOf(owner)}: no repository to scan${skippedNote(listing.skipped)}`);
  }
  return listing;
}

function skippedNote(skipped: GitHubListing['skipped']): string {
  const parts = [
    ...(skipped.forks > 0 ? [`${skipped.forks} fork${skipped.forks === 1 ? '' : 's'} (--include-forks)`] : []),
    ...(skipped.archived > 0 ? [`${skipped.archived} archived (--include-archived)`] : []),
  ];
  return parts.length > 0 ? ` (left out: ${parts.join(', ')})` : '';
}

/** The listing's one-line failure, as stderr and the report's warnings name it. */
export function listingProblem(listing: GitHubListing): string | undefined {
  return listing.failure
    ? `${flagOf(listing.owner)}: listing incomplete after ${listing.repos.length} ${listing.repos.length === 1 ? 'repository' : 'repositories'}, ${listing.failure}`
    : undefined;
}

/**
 * What the listing adds to the report of the repositories it listed: its notes (forks and archived
 * repositories left out, no token) as warnings, and, when it stopped early, a failed entry named by
 * the listing's URL, so the exit code, `keywarden merge` and every format see a partial audit.
 */
export function withListing(report: Report, listing: GitHubListing): Report {
  const notes: string[] = [];
  const skipped = skippedNote(listing.skipped);
  if (skipped) notes.push(`${flagOf(listing.owner)}: not scanned${skipped}`);
  if (!listing.authenticated) notes.push(`${flagOf(listing.owner)}: GITHUB_TOKEN is not set: only public repositories were listed`);
  const problem = listingProblem(listing);
  if (problem) notes.push(problem);
  return {
    ...report,
    warnings: [...notes, ...report.warnings],
    ...(problem
      ? { repositories: [...(report.repositories ?? []), { repository: listing.source, status: 'failed', findings: 0, error: problem }] }
      : {}),
  };
}
