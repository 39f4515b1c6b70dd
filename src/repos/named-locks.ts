/**
 * Locks by name, taken in sorted order: `scan --repos --jobs N` holds one per root commit of the
 * repository it scans, so repositories that share history (a fork and its upstream share their
 * root commit) are scanned one after the other and the later one finds every shared blob in the
 * run's blob cache; repositories with nothing in common still run side by side. Taking every
 * lock in one global order means two scans can never each wait for the other.
 */
export class NamedLocks {
  /** For each name, the promise the next holder waits on: settled when the current holders are done. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for all `names` (duplicates ignored); resolves to the function that releases them. */
  async acquire(names: readonly string[]): Promise<() => void> {
    const releases: Array<() => void> = [];
    for (const name of [...new Set(names)].sort()) {
      const previous = this.tails.get(name) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      this.tails.set(name, tail);
      await previous;
      releases.push(() => {
        release();
        // The last holder leaves nothing behind: memory stays bounded by the scans in flight.
        if (this.tails.get(name) === tail) this.tails.delete(name);
      });
    }
    return () => {
      for (const release of releases) release();
    };
  }
}
