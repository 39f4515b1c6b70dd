/** A mistake in what the user asked for (bad path, bad glob, bad option): exit code 2, one line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
