import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { ActionMode } from './inputs.js';

export interface GitHubEvent {
  name: string;
  payload: Record<string, unknown>;
}

/** What the action scans: a range of added lines, or the whole checkout. */
export interface ScanPlan {
  mode: ActionMode;
  /**
   * For pr and push: the commits to scan, `git log base..head` (for a pull request that is what it
   * adds since the merge base: the base branch's own commits are reachable from base), and the net
   * diff `range` that says which of their credentials are still in head's tree.
   */
  commits?: { base: string; head: string; range: string };
  /** One line for the log and the summary. */
  description: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** A push that creates a branch has no "before" commit: GitHub sends forty zeros. */
const NULL_SHA = /^0+$/;

export function readEvent(env: Env): GitHubEvent {
  const name = env.GITHUB_EVENT_NAME ?? '';
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return { name, payload: {} };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read GITHUB_EVENT_PATH ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const payload = JSON.parse(text) as unknown;
    return { name, payload: payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {} };
  } catch (error) {
    throw new UsageError(`GITHUB_EVENT_PATH ${file} is not JSON: ${(error as Error).message}`);
  }
}

function field(value: unknown, ...keys: string[]): string | undefined {
  let current = value;
  for (const key of keys) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'string' && current !== '' ? current : typeof current === 'number' ? String(current) : undefined;
}

const short = (sha: string) => sha.slice(0, 7);

function defaultMode(event: GitHubEvent): ActionMode {
  if (PR_EVENTS.has(event.name)) return 'pr';
  if (event.name === 'push') return 'push';
  return 'full';
}

/**
 * pr: what the pull request's commits add, base.sha..head.sha (since the merge base, so changes on
 * the base branch are not blamed on the PR). push: the pushed commits, before..after. Each commit's
 * added lines count, so a key added and then removed within the range is still reported.
 */
export function planScan(requested: ActionMode | undefined, event: GitHubEvent): ScanPlan {
  const mode = requested ?? defaultMode(event);
  if (mode === 'pr') {
    const base = field(event.payload, 'pull_request', 'base', 'sha');
    const head = field(event.payload, 'pull_request', 'head', 'sha');
    if (!base || !head)
      throw new UsageError(`mode pr needs a pull_request event payload with base and head commits (event: ${event.name || 'unknown'})`);
    const number = field(event.payload, 'pull_request', 'number') ?? field(event.payload, 'number');
    return {
      mode,
      commits: { base, head, range: `${base}...${head}` },
      description: `lines added by pull request${number ? ` #${number}` : ''} (${short(base)}...${short(head)}), commit by commit`,
    };
  }
  if (mode === 'push') {
    const before = field(event.payload, 'before');
    const after = field(event.payload, 'after');
    if (!after) throw new UsageError(`mode push needs a push event payload with "after" (event: ${event.name || 'unknown'})`);
    if (!before || NULL_SHA.test(before)) {
      return { mode: 'full', description: `all files at ${short(after)} (new branch: no previous commit to compare with)` };
    }
    return {
      mode,
      commits: { base: before, head: after, range: `${before}..${after}` },
      description: `lines added by the push (${short(before)}..${short(after)}), commit by commit`,
    };
  }
  return { mode: 'full', description: 'all files' };
}
