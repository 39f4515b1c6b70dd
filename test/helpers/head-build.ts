import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../helpers/build.js';

/**
 * A committed build output (the Action bundle, dist-bundle/) must match a build of the committed
 * sources: users run what is in the commit they pin. This exports HEAD (not the working tree, where
 * other work may be in progress), runs `script` there with `args` (which name `out`, a fresh path
 * inside a temporary directory), and hands the exported tree and that path to `compare`.
 */
export function buildFromHead<T>(script: string, args: (out: string) => string[], compare: (exported: string, out: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-head-build-'));
  try {
    const exported = path.join(dir, 'head');
    mkdirSync(exported);
    execFileSync('git', ['archive', '--format=tar', '-o', path.join(dir, 'head.tar'), 'HEAD'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
    execFileSync('tar', ['-xf', path.join(dir, 'head.tar'), '-C', exported], { stdio: 'pipe' });
    symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(exported, 'node_modules'));
    const out = path.join(dir, 'fresh');
    execFileSync(process.execPath, [path.join(exported, script), ...args(out)], { cwd: exported, stdio: 'pipe' });
    return compare(exported, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
