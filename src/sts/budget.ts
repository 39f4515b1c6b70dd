import { StsTimeoutError } from './client.js';
import type { StsFailure } from './errors.js';

/**
 * One STS run's limits across all its calls: an overall deadline (--sts-budget), so 500 key ids
 * against an endpoint that answers in 5 s cannot hold a CI job for ten minutes, and a circuit
 * breaker that stops calling after several timeouts in a row (an endpoint that does not answer
 * will not start answering for the next key). Calls not made fail with cause 'budget' or
 * 'breaker', one warning each.
 */

export const DEFAULT_STS_BUDGET_MS = 60_000;
/** Timeouts in a row that open the breaker. */
export const BREAKER_TIMEOUTS = 5;

export interface StsProgress {
  done: number;
  total: number;
}

export class StsBudget {
  private readonly deadline: number;
  private timeoutsInARow = 0;
  private open = false;
  /** Calls finished (answered, failed or not made), for progress. */
  done = 0;
  total = 0;

  constructor(
    readonly budgetMs: number,
    private readonly onProgress: (progress: StsProgress) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = now() + budgetMs;
  }

  /** Adds calls to the progress total. */
  expect(count: number): void {
    this.total += count;
    this.onProgress({ done: this.done, total: this.total });
  }

  /** Counts a call answered without the network (a cache hit, a known caller failure). */
  tick(): void {
    this.done++;
    this.onProgress({ done: this.done, total: this.total });
  }

  /** The failure for a call that must not be made now, or undefined when it may go ahead. */
  refusal(): StsFailure | undefined {
    if (this.open) return { cause: 'breaker', detail: `${BREAKER_TIMEOUTS} timeouts in a row`, callerFailure: false };
    if (this.now() >= this.deadline) return { cause: 'budget', detail: `${this.budgetMs / 1000} s`, callerFailure: false };
    return undefined;
  }

  /** A call's own limit, clipped so it ends by the run's deadline. */
  timeoutFor(timeoutMs: number): number {
    return Math.max(1, Math.min(timeoutMs, this.deadline - this.now()));
  }

  /**
   * Runs one call under the budget: refused when the run is over, and a timeout that was the
   * budget's (the call's limit was clipped) is reported as such.
   */
  async run<T>(
    timeoutMs: number,
    call: (timeoutMs: number) => Promise<T>,
    onError: (error: unknown) => StsFailure,
  ): Promise<{ ok: true; value: T } | { ok: false; failure: StsFailure }> {
    try {
      const refused = this.refusal();
      if (refused) return { ok: false, failure: refused };
      const limit = this.timeoutFor(timeoutMs);
      try {
        const value = await call(limit);
        this.timeoutsInARow = 0;
        return { ok: true, value };
      } catch (error) {
        if (error instanceof StsTimeoutError && limit < timeoutMs && this.now() >= this.deadline)
          return { ok: false, failure: this.refusal()! };
        const failure = onError(error);
        if (failure.cause === 'timeout') {
          if (++this.timeoutsInARow >= BREAKER_TIMEOUTS) this.open = true;
        } else {
          this.timeoutsInARow = 0;
        }
        return { ok: false, failure };
      }
    } finally {
      this.done++;
      this.onProgress({ done: this.done, total: this.total });
    }
  }
}
