import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(PROJECT_ROOT, 'bin/keywarden.js');

function newestSourceChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceChange(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Compiles dist/ (what bin/keywarden.js runs) when a source file is newer than the compiled CLI. */
export function ensureBuilt(): void {
  const entry = path.join(PROJECT_ROOT, 'dist/src/cli/bin.js');
  const builtAt = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  const sourcesAt = Math.max(newestSourceChange(path.join(PROJECT_ROOT, 'src')), newestSourceChange(path.join(PROJECT_ROOT, 'rules')));
  if (builtAt >= sourcesAt) return;
  try {
    execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
  } catch {
    // tsc still emits when another module has type errors; what matters is that the CLI exists.
  }
  if (!existsSync(entry)) throw new Error('npm run build did not produce dist/src/cli/bin.js');
}
