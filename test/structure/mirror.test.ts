import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/build.js';

/** test/ mirrors src/ and rules/: every folder of code has a folder of tests under the same name. */
describe('test/ mirrors src/', () => {
  const codeFolders = readdirSync(path.join(PROJECT_ROOT, 'src')).filter((name) =>
    statSync(path.join(PROJECT_ROOT, 'src', name)).isDirectory(),
  );

  it.each(codeFolders)('src/%s/ has tests in test/%s/', (folder) => {
    const tests = path.join(PROJECT_ROOT, 'test', folder);
    expect(existsSync(tests), `test/${folder}/`).toBe(true);
    expect(readdirSync(tests).some((name) => name.endsWith('.test.ts'))).toBe(true);
  });

  it('rules/ has its tests in test/rules/', () => {
    expect(readdirSync(path.join(PROJECT_ROOT, 'test', 'rules')).some((name) => name.endsWith('.test.ts'))).toBe(true);
  });
});
