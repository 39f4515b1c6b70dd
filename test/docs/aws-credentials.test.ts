import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANARY_ACCOUNTS } from '../../src/core/account.js';
import { PROJECT_ROOT } from '../helpers/build.js';

/** The AWS facts the code relies on live in docs/aws-credentials.md; comments cite its sections. */
const DOC = readFileSync(path.join(PROJECT_ROOT, 'docs/aws-credentials.md'), 'utf8');
const SECTIONS = new Set([...DOC.matchAll(/^## (.+)$/gm)].map((match) => match[1]!));

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(PROJECT_ROOT, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(PROJECT_ROOT, relative)).isDirectory()) return sourceFiles(relative);
    return /\.(ts|js|mjs)$/.test(name) ? [relative] : [];
  });
}

describe('docs/aws-credentials.md', () => {
  const files = ['src', 'rules', 'test', 'bench', 'scripts'].flatMap(sourceFiles);

  it('every section a comment cites exists', () => {
    const missing: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
      for (const match of text.matchAll(/docs\/aws-credentials\.md, ((?:"[^"]+"(?:, )?)+)/g)) {
        for (const section of match[1]!.matchAll(/"([^"]+)"/g)) if (!SECTIONS.has(section[1]!)) missing.push(`${file}: "${section[1]}"`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('no comment cites a facts file outside the repository', () => {
    const outside = files.filter((file) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8').includes(['AWS', 'FACTS.md'].join('-')));
    expect(outside).toEqual([]);
  });

  it('lists the same canary-token accounts the code knows', () => {
    const section = DOC.slice(DOC.indexOf('## Canary-token accounts'), DOC.indexOf('\n## ', DOC.indexOf('## Canary-token accounts') + 3));
    expect(new Set(section.match(/\b\d{12}\b/g))).toEqual(new Set(CANARY_ACCOUNTS));
  });
});
