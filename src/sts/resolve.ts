import type { STSClient } from '@aws-sdk/client-sts';
import type { AccountCache } from './cache.js';
import { createStsClient, withDeadline, type StsConnection } from './client.js';
import { classifyStsError, type StsFailure } from './errors.js';
import { createLimiter, type Limiter } from './pool.js';

/**
 * Key id -> owning account through STS GetAccessKeyInfo (AWS-FACTS.md, "STS"). Works for AKIA and
 * ASIA ids, legacy ones included (those carry no account offline). It says nothing about whether
 * the key is active, and it is signed with the caller's own credentials, not the found key.
 */

export type Lookup = { ok: true; account: string; cached: boolean } | { ok: false; failure: StsFailure };

export interface ResolverOptions extends StsConnection {
  concurrency: number;
  cache?: AccountCache;
  /** A ready client (tests, reuse); otherwise one with the default credential chain is made on first use. */
  client?: STSClient;
}

/** Only long-term (AKIA) and temporary (ASIA) key ids are access keys GetAccessKeyInfo knows. */
export function isResolvableKeyId(keyId: string): boolean {
  return /^(AKIA|ASIA)[A-Z0-9]{16}$/.test(keyId);
}

export class AccountResolver {
  /** In-memory cache and de-duplication: one promise per distinct key id. */
  private readonly lookups = new Map<string, Promise<Lookup>>();
  private readonly limit: Limiter;
  private client: Promise<STSClient> | undefined;
  /** Set once the caller's own credentials fail; the remaining ids fail the same way without a call. */
  private callerFailure: StsFailure | undefined;
  /** Requests actually sent, for the caller's statistics. */
  requests = 0;

  constructor(private readonly options: ResolverOptions) {
    this.limit = createLimiter(options.concurrency);
    if (options.client) this.client = Promise.resolve(options.client);
  }

  resolve(keyId: string): Promise<Lookup> {
    let lookup = this.lookups.get(keyId);
    if (!lookup) {
      lookup = this.lookup(keyId);
      this.lookups.set(keyId, lookup);
    }
    return lookup;
  }

  async resolveAll(keyIds: Iterable<string>): Promise<Map<string, Lookup>> {
    const distinct = [...new Set(keyIds)];
    const answers = await Promise.all(distinct.map((keyId) => this.resolve(keyId)));
    return new Map(distinct.map((keyId, i) => [keyId, answers[i]!]));
  }

  /** Frees the HTTP connections of a client this resolver made. */
  async close(): Promise<void> {
    if (!this.client || this.options.client) return;
    (await this.client).destroy();
  }

  private async lookup(keyId: string): Promise<Lookup> {
    const cached = this.options.cache?.get(keyId);
    if (cached !== undefined) return { ok: true, account: cached, cached: true };
    return this.limit(async () => {
      if (this.callerFailure) return { ok: false, failure: this.callerFailure };
      try {
        const client = await (this.client ??= createStsClient(this.options));
        const { GetAccessKeyInfoCommand } = await import('@aws-sdk/client-sts');
        this.requests++;
        const output = await withDeadline(this.options.timeoutMs, (abortSignal) => client.send(new GetAccessKeyInfoCommand({ AccessKeyId: keyId }), { abortSignal }));
        // Account is a string in the XML and stays one: "012345678901" keeps its leading zero.
        const account = output.Account;
        if (typeof account !== 'string' || !/^\d{12}$/.test(account)) {
          return { ok: false, failure: { cause: 'other', code: 'UnexpectedResponse', detail: `no 12-digit account in the answer (${String(account)})`, callerFailure: false } };
        }
        this.options.cache?.set(keyId, account);
        return { ok: true, account, cached: false };
      } catch (error) {
        const failure = classifyStsError(error);
        if (failure.callerFailure) this.callerFailure ??= failure;
        return { ok: false, failure };
      }
    });
  }
}
