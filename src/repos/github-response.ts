import { printable } from '../report/printable.js';

/** The longest wait for a rate limit keywarden sits out; a longer one stops the listing with its reset time. */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 60;

/** GitHub's advice for a secondary rate limit that names no retry-after: wait at least a minute. */
const SECONDARY_LIMIT_WAIT_SECONDS = 60;

/** The `rel="next"` URL of an RFC 8288 Link header, as GitHub paginates; undefined on the last page. */
export function nextLink(header: string | null | undefined): string | undefined {
  for (const part of header?.split(',') ?? []) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match) continue;
    const rels = match[2]!.split(';').flatMap((param) => {
      const rel = /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(param);
      return rel ? rel[1]!.trim().split(/\s+/) : [];
    });
    if (rels.includes('next')) return match[1];
  }
  return undefined;
}

/** The API's `message` from an error body, made safe for one line; empty when the body has none. */
export function apiMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? printable(message).slice(0, 200) : '';
  } catch {
    return '';
  }
}

export interface RateLimit {
  /** Seconds to wait before the same request may succeed. */
  seconds: number;
  /** Which limit, for the message when the wait is too long. */
  reason: string;
}

/**
 * Whether a 403 or 429 is a rate limit, and how long it asks to wait: `retry-after` (seconds) first,
 * then the primary limit's `x-ratelimit-remaining: 0` with `x-ratelimit-reset` (epoch seconds), then
 * a secondary limit named only in the message. Any other 403 (no access) is not one.
 */
export function rateLimitWait(status: number, headers: Headers, message: string, nowMs: number): RateLimit | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && /^\s*\d+\s*$/.test(retryAfter))
    return { seconds: Number(retryAfter), reason: `rate limited (retry-after ${retryAfter.trim()} s)` };
  const reset = headers.get('x-ratelimit-reset');
  if (headers.get('x-ratelimit-remaining')?.trim() === '0' && reset !== null && /^\s*\d+\s*$/.test(reset)) {
    const resetMs = Number(reset) * 1000;
    // One second past the reset: the reset time is rounded down to the second.
    return {
      seconds: Math.max(1, Math.ceil((resetMs - nowMs) / 1000) + 1),
      reason: `rate limit exhausted until ${new Date(resetMs).toISOString().replace(/\.\d+Z$/, 'Z')}`,
    };
  }
  if (status === 429 || /rate limit/i.test(message)) return { seconds: SECONDARY_LIMIT_WAIT_SECONDS, reason: 'secondary rate limit' };
  return undefined;
}

/** One listed repository: what keywarden needs of GitHub's repository object. */
export interface ListedRepo {
  cloneUrl: string;
  fork: boolean;
  archived: boolean;
}

/**
 * A page of `GET /orgs/{org}/repos` (or `/users/{user}/repos`): a JSON array of repository objects.
 * Throws a one-line reason when it is not one, so a truncated or foreign response never reads as
 * an organisation with fewer repositories.
 */
export function parseRepoPage(body: string): ListedRepo[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Error(`malformed JSON (${body.length} bytes)`);
  }
  if (!Array.isArray(value)) throw new Error('the response is not a list of repositories');
  return value.map((entry: unknown, index) => {
    const repo = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const { clone_url: cloneUrl, fork = false, archived = false } = repo;
    if (typeof cloneUrl !== 'string' || cloneUrl.trim() === '') throw new Error(`repository ${index + 1} of the page has no clone_url`);
    if (typeof fork !== 'boolean' || typeof archived !== 'boolean')
      throw new Error(`repository ${index + 1} of the page has a "fork" or "archived" that is not true or false`);
    return { cloneUrl: cloneUrl.trim(), fork, archived };
  });
}
