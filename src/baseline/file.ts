import { randomBytes } from 'node:crypto';
import { jsonErrorWhere } from '../config/json-error.js';
import { BaselineError, createBaseline, parseBaseline, type Baseline } from '../core/baseline.js';
import type { Finding } from '../core/types.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { readRegularFile } from '../fs/read-regular-file.js';

export async function readBaseline(file: string, display = file): Promise<Baseline> {
  let text: string;
  try {
    text = await readRegularFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BaselineError(
      code === 'ENOENT'
        ? `${display}: baseline file not found (create it with "keywarden baseline")`
        : `${display}: cannot read baseline: ${code ?? (error as Error).message}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // Position only: the text around it may belong to a file the baseline path leads to by a link.
    throw new BaselineError(`${display}: baseline is not valid JSON (${jsonErrorWhere(text, error)})`);
  }
  return parseBaseline(raw, display);
}

/** Writes a fresh baseline for `findings`, keeping the salt of an existing file so diffs stay small. */
export async function writeBaseline(file: string, findings: readonly Finding[]): Promise<Baseline> {
  let salt = randomBytes(16).toString('hex');
  try {
    salt = (await readBaseline(file)).salt;
  } catch {
    // no usable previous baseline: a new salt
  }
  const baseline = createBaseline(findings, salt);
  await writeFileAtomic(file, `${JSON.stringify(baseline, null, 2)}\n`);
  return baseline;
}
