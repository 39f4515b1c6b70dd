import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/build.js';
import { buildFromHead } from '../helpers/head-build.js';

/** Every file under `dir`, as paths relative to it, with their contents. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else files.set(child, readFileSync(path.join(dir, child), 'utf8'));
    }
  };
  walk('');
  return files;
}

describe('the committed dist-bundle/ (what bin/keywarden.js and the exports run)', () => {
  it('in HEAD matches a fresh build of HEAD (otherwise run: npm run build, and commit dist-bundle/)', () => {
    const { committed, fresh } = buildFromHead(
      'scripts/build-cli.mjs',
      (out) => ['--outdir', out],
      (exported, out) => ({ committed: tree(path.join(exported, 'dist-bundle')), fresh: tree(out) }),
    );
    expect([...committed.keys()].sort(), 'file list: run "npm run build" and commit dist-bundle/').toEqual([...fresh.keys()].sort());
    const stale = [...fresh].filter(([file, text]) => committed.get(file) !== text).map(([file]) => file);
    expect(stale, 'stale files: run "npm run build" and commit dist-bundle/').toEqual([]);
  }, 60_000);

  it('the package has no runtime dependencies: everything it runs is in the bundle', () => {
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.optionalDependencies).toBeUndefined();
    // That the bundle really holds them is shown by installing the packed tarball into an empty
    // project with npm offline and running it there (npm-tarball.test.ts).
  });
});
