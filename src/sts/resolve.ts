import type { STSClient } from '@aws-sdk/client-sts';
import { catalog } from '../../rules/index.js';
import { StsBudget } from './budget.js';
import type { AccountCache } from './cache.js';
import { createStsClient, withDeadline, type StsConnection } from './client.js';
import { classifyStsError, echo, type StsFailure } from './errors.js';
import { createLimiter, type Limiter } from './pool.js';

/**
 * Key id -> owning account through STS GetAccessKeyInfo (docs/aws-credentials.md, "STS"). Works for AKIA and
 * ASIA ids, legacy ones included (those carry no account offline). It says nothing about whether
 * the key is active, and it is signed with the caller's own credentials, not the found key.
 */

export type Lookup = { ok: true; account: string; cached: boolean } | { ok: false; failure: StsFailure };

export interface ResolverOptions extends StsConnection {
  concurrency: number;
  cache?: AccountCache;
  /** A ready client (tests, reuse); otherwise one with the default credential chain is made on first use. */
  client?: STSClient;
  /** The run's deadline and circuit breaker; unlimited when unset. */
  budget?: StsBudget;
}

/** Only long-term (AKIA) and temporary (ASIA) key ids are access keys GetAccessKeyInfo knows: the catalog's prefixes with a lifetime. */
export function isResolvableKeyId(keyId: string): boolean {
  return catalog.accessKeyLifetime(keyId) !== undefined;
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

  private readonly budget: StsBudget;

  constructor(private readonly options: ResolverOptions) {
    this.limit = createLimiter(options.concurrency);
    this.budget = options.budget ?? new StsBudget(Infinity);
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
    this.budget.expect(distinct.filter((keyId) => !this.lookups.has(keyId)).length);
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
    if (cached !== undefined) {
      this.budget.tick();
      return { ok: true, account: cached, cached: true };
    }
    return this.limit(async () => {
      if (this.callerFailure) {
        this.budget.tick();
        return { ok: false, failure: this.callerFailure };
      }
      const result = await this.budget.run(
        this.options.timeoutMs,
        async (timeoutMs) => {
          const client = await (this.client ??= createStsClient(this.options));
          const { GetAccessKeyInfoCommand } = await import('@aws-sdk/client-sts');
          this.requests++;
          return await withDeadline(timeoutMs, (abortSignal) =>
            client.send(new GetAccessKeyInfoCommand({ AccessKeyId: keyId }), { abortSignal }),
          );
        },
        classifyStsError,
      );
      if (!result.ok) {
        if (result.failure.callerFailure) this.callerFailure ??= result.failure;
        return result;
      }
      // Account is a string in the XML and stays one: "012345678901" keeps its leading zero.
      const account = result.value.Account;
      if (typeof account !== 'string' || !/^\d{12}$/.test(account)) {
        return {
          ok: false,
          failure: {
            cause: 'other',
            code: 'UnexpectedResponse',
            detail: `no 12-digit account in the answer (${echo(account)})`,
            callerFailure: false,
          },
        };
      }
      this.options.cache?.set(keyId, account);
      return { ok: true, account, cached: false };
    });
  }
}
