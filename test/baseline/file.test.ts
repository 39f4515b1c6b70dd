import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBaseline, writeBaseline } from '../../src/baseline/file.js';
import { BaselineError } from '../../src/core/baseline.js';
import { makeKeyId } from '../helpers/keys.js';
import { detect } from '../helpers/engine.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-baseline-'));
  dirs.push(dir);
  return path.join(dir, name);
}

describe('baseline files', () => {
  const keyId = makeKeyId('AKIA', { seed: 501 });
  const findings = detect(`aws_access_key_id = ${keyId}\n`, { path: 'app.env' });

  it('round-trips, holds no credential, and keeps its salt when rewritten', async () => {
    const file = tempFile('.keywarden-baseline.json');
    const first = await writeBaseline(file, findings);
    expect(readFileSync(file, 'utf8')).not.toContain(keyId);
    const read = await readBaseline(file);
    expect(read.salt).toBe(first.salt);
    const second = await writeBaseline(file, findings);
    expect(second.salt).toBe(first.salt);
  });

  it('a missing or broken file is one BaselineError naming it, never its content', async () => {
    await expect(readBaseline(tempFile('missing.json'), 'missing.json')).rejects.toThrow(/missing\.json: baseline file not found/);
    const broken = tempFile('broken.json');
    writeFileSync(broken, '{ "salt": TOPSECRET');
    const error = (await readBaseline(broken, 'broken.json').catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(BaselineError);
    expect(error.message).not.toContain('TOPSECRET');
  });
});
