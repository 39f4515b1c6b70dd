/** Expected ESLint messages, spelled out so tests check the exact text users read. */
export const LONG_TERM_ADVICE =
  'Move it to the environment or a secret manager, then rotate the key (create a new one, deploy it, deactivate and delete this one).';
export const TEMPORARY_ADVICE =
  "Move it to the environment or a secret manager, then revoke the issuing role's active sessions if it has not expired.";

export function expectedMessage(what: string, value: string, context: string, where: string, advice: string): string {
  return `${what} ${value}${context} is hard-coded in ${where}. ${advice}`;
}

export const suggestion = (variable: string) => `Read it from process.env.${variable} instead.`;
