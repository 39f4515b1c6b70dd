import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const distPlugin = join(repoRoot, 'dist/src/eslint/index.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The plugin's sources: what dist must be newer than for the CLI test to lint with current code. */
const SOURCES = ['src/eslint', 'src/core', 'rules', 'src/version.ts'];

function isStale(): boolean {
  if (!existsSync(distPlugin)) return true;
  const built = statSync(distPlugin).mtimeMs;
  return SOURCES.some((source) => {
    const path = join(repoRoot, source);
    return statSync(path).isDirectory() ? newestMtime(path) > built : statSync(path).mtimeMs > built;
  });
}

/**
 * Builds dist when missing or older than the plugin's sources (`npm test` builds first anyway).
 * tsc still emits when another module in the tree has a type error, so success is judged by the
 * plugin's output being fresh, and tsc's own report is shown if it is not.
 */
export async function ensurePluginBuilt(): Promise<void> {
  if (!isStale()) return;
  let report = '';
  try {
    await run(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot });
  } catch (error) {
    report = String((error as { stdout?: string }).stdout ?? error);
  }
  if (isStale()) throw new Error(`dist/src/eslint is not up to date after tsc -p tsconfig.build.json:\n${report}`);
}
