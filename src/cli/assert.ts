/**
 * The two checks yargs asks of Node's `assert` module (internal invariants: a frozen state that
 * must exist, a key that must be a string). The bundled CLI uses this instead (scripts/build-cli.mjs
 * aliases `assert`): loading `node:assert` and its error classes cost ~4 ms of every start-up.
 * Same contract: throws when the check fails, with the message when one is given.
 */
export function strictEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!Object.is(actual, expected))
    throw new Error(message ?? `Expected values to be strictly equal: ${String(actual)} !== ${String(expected)}`);
}

export function notStrictEqual(actual: unknown, expected: unknown, message?: string): void {
  if (Object.is(actual, expected)) throw new Error(message ?? `Expected "actual" to be strictly unequal to: ${String(expected)}`);
}
