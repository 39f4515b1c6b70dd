import { BaselineError } from '../core/baseline.js';
import { ConfigError } from '../config/schema.js';
import { UsageError } from '../errors.js';

/** Errors that are the user's to fix (git's errors extend UsageError): one line, exit 2, no stack. */
export function isUserError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof ConfigError || error instanceof BaselineError;
}
