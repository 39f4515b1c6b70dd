import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

/**
 * One `name<<DELIMITER` block for $GITHUB_OUTPUT: safe for any value, newlines included, as
 * long as the delimiter does not occur in it (a fresh random one never does in practice; we check).
 */
function formatOutput(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`output ${name}: value contains the delimiter`);
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** Appends outputs to the file the runner names in GITHUB_OUTPUT (nothing when run outside Actions). */
export function writeOutputs(file: string | undefined, values: Readonly<Record<string, string>>): void {
  if (!file) return;
  appendFileSync(
    file,
    Object.entries(values)
      .map(([name, value]) => formatOutput(name, value))
      .join(''),
  );
}

export function appendSummary(file: string | undefined, markdown: string): void {
  if (file) appendFileSync(file, markdown);
}
