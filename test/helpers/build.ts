import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(PROJECT_ROOT, 'bin/keywarden.js');

/** What tests run: the bundle behind the bin and the package's exports, and tsc's output. */
const OUTPUTS = ['dist-bundle/cli.js', 'dist-bundle/eslint.js', 'dist-bundle/index.js', 'dist/src/cli/bin.js'];

function newestSourceChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceChange(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  const sourcesAt = Math.max(newestSourceChange(path.join(PROJECT_ROOT, 'src')), newestSourceChange(path.join(PROJECT_ROOT, 'rules')));
  return OUTPUTS.some((output) => {
    const file = path.join(PROJECT_ROOT, output);
    return !existsSync(file) || statSync(file).mtimeMs < sourcesAt;
  });
}

/**
 * Builds what the bin and the exports run (tsc's dist/ and the bundles in dist-bundle/) when a
 * source is newer, so a single test file run with vitest alone tests current code; `npm test`
 * builds first anyway. tsc still emits when another module has type errors; success is judged by
 * the outputs being fresh, and tsc's report is shown if they are not.
 */
export function ensureBuilt(): void {
  if (!isStale()) return;
  let report = '';
  try {
    execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: PROJECT_ROOT,
      stdio: 'pipe',
    });
  } catch (error) {
    report = String((error as { stdout?: Buffer }).stdout ?? error);
  }
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts/build-cli.mjs')], { cwd: PROJECT_ROOT, stdio: 'pipe' });
  if (isStale()) throw new Error(`the build is not up to date after tsc and scripts/build-cli.mjs:\n${report}`);
}
