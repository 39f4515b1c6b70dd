import type { AccessKeyMetadata, IAMClient } from '@aws-sdk/client-iam';
import type { KeyStatus } from '../core/types.js';
import { withDeadline } from '../sts/client.js';
import { classifyStsError, type StsFailure } from '../sts/errors.js';
import { createLimiter, type Limiter } from '../sts/pool.js';
import { createIamClient, type IamConnection } from './client.js';
import type { IamFailure } from './errors.js';

/**
 * An access key's state in the caller's own account, from two IAM calls made with the caller's
 * credentials (IAM API reference):
 * - GetAccessKeyLastUsed(AccessKeyId) names the key's user and when, where and with which service
 *   it was last used (ServiceName "N/A" and no date when it never was). It needs no secret.
 * - ListAccessKeys(UserName) lists that user's keys with Status (Active/Inactive) and CreateDate.
 *   A user has at most two keys, so one page holds them all.
 * Answers are cached per key id (and listings per user) for the run; at most `concurrency` calls are
 * in flight; once the caller's own credentials fail, the rest fail the same way without a call.
 */

export interface KeyStatusRead {
  /** What could be learnt; absent when GetAccessKeyLastUsed itself failed. */
  keyStatus?: KeyStatus;
  /** Why something could not be learnt (the whole status, or only the listing). */
  failure?: IamFailure;
}

export interface KeyStatusReaderOptions {
  connection: IamConnection;
  concurrency: number;
  /** A ready client (reuse); otherwise one with the default credential chain is made on first use. */
  client?: IAMClient;
}

type Listing = { ok: true; keys: AccessKeyMetadata[] } | { ok: false; failure: StsFailure };

/** IAM's "never used" answer: no date, and "N/A" for service and region. */
function lastUsedOf(
  used: { LastUsedDate?: Date | undefined; ServiceName?: string | undefined; Region?: string | undefined } | undefined,
): KeyStatus['lastUsed'] {
  if (!used?.LastUsedDate) return null;
  const known = (value: string | undefined) => (value && value !== 'N/A' ? value : null);
  return { date: used.LastUsedDate.toISOString(), service: known(used.ServiceName), region: known(used.Region) };
}

function statusOf(value: string | undefined): KeyStatus['status'] {
  return value === 'Active' ? 'active' : value === 'Inactive' ? 'inactive' : null;
}

export class KeyStatusReader {
  private readonly reads = new Map<string, Promise<KeyStatusRead>>();
  private readonly listings = new Map<string, Promise<Listing>>();
  private readonly limit: Limiter;
  private client: Promise<IAMClient> | undefined;
  /**
   * Failures that every later call would repeat: missing or rejected caller credentials stop all
   * calls; AccessDenied stops only calls of the action that was denied (a role may be allowed
   * GetAccessKeyLastUsed and not ListAccessKeys).
   */
  private callerFailure: StsFailure | undefined;
  private readonly denied = new Map<string, StsFailure>();
  /** Requests actually sent. */
  requests = 0;

  constructor(private readonly options: KeyStatusReaderOptions) {
    this.limit = createLimiter(options.concurrency);
    if (options.client) this.client = Promise.resolve(options.client);
  }

  read(keyId: string): Promise<KeyStatusRead> {
    let read = this.reads.get(keyId);
    if (!read) {
      read = this.fetch(keyId);
      this.reads.set(keyId, read);
    }
    return read;
  }

  async close(): Promise<void> {
    if (!this.client || this.options.client) return;
    (await this.client.catch(() => undefined))?.destroy();
  }

  /** One IAM call under the concurrency cap and the deadline; a caller failure stops later calls. */
  private call<T>(action: string, send: (client: IAMClient, abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return this.limit(async () => {
      const known = this.callerFailure ?? this.denied.get(action);
      if (known) throw new CallerFailed(known);
      try {
        const client = await (this.client ??= createIamClient(this.options.connection));
        this.requests++;
        return await withDeadline(this.options.connection.timeoutMs, (abortSignal) => send(client, abortSignal));
      } catch (error) {
        const failure = classifyStsError(error);
        if (failure.cause === 'access-denied') {
          if (!this.denied.has(action)) this.denied.set(action, failure);
        } else if (failure.callerFailure) this.callerFailure ??= failure;
        throw new CallerFailed(failure);
      }
    });
  }

  private listKeys(user: string): Promise<Listing> {
    let listing = this.listings.get(user);
    if (!listing) {
      listing = (async (): Promise<Listing> => {
        const { ListAccessKeysCommand } = await import('@aws-sdk/client-iam');
        try {
          const output = await this.call('ListAccessKeys', (client, abortSignal) =>
            client.send(new ListAccessKeysCommand({ UserName: user }), { abortSignal }),
          );
          return { ok: true, keys: output.AccessKeyMetadata ?? [] };
        } catch (error) {
          return { ok: false, failure: (error as CallerFailed).failure };
        }
      })();
      this.listings.set(user, listing);
    }
    return listing;
  }

  private async fetch(keyId: string): Promise<KeyStatusRead> {
    const { GetAccessKeyLastUsedCommand } = await import('@aws-sdk/client-iam');
    let output;
    try {
      output = await this.call('GetAccessKeyLastUsed', (client, abortSignal) =>
        client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }), { abortSignal }),
      );
    } catch (error) {
      return { failure: { failure: (error as CallerFailed).failure, permission: 'iam:GetAccessKeyLastUsed' } };
    }
    const user = output.UserName ?? null;
    const keyStatus: KeyStatus = { user, status: null, created: null, lastUsed: lastUsedOf(output.AccessKeyLastUsed) };
    if (!user) return { keyStatus };
    const listing = await this.listKeys(user);
    if (!listing.ok) return { keyStatus, failure: { failure: listing.failure, permission: 'iam:ListAccessKeys' } };
    const entry = listing.keys.find((key) => key.AccessKeyId === keyId);
    if (!entry) {
      // Listed a moment after GetAccessKeyLastUsed named the user: the key was deleted in between.
      return {
        keyStatus,
        failure: {
          failure: { cause: 'other', code: 'NotListed', detail: `ListAccessKeys for ${user} does not list the key`, callerFailure: false },
          permission: 'iam:ListAccessKeys',
        },
      };
    }
    return {
      keyStatus: { ...keyStatus, status: statusOf(entry.Status), created: entry.CreateDate ? entry.CreateDate.toISOString() : null },
    };
  }
}

/** Carries a classified failure out of the limiter. */
class CallerFailed extends Error {
  constructor(readonly failure: StsFailure) {
    super(failure.detail);
  }
}
