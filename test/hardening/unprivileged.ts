import { execFile, spawnSync } from 'node:child_process';
import { BIN, type CliResult } from '../helpers/cli.js';

/**
 * Permission tests need a user that files can be hidden from. Root reads everything, and tests run
 * as root here and in CI, so as root the real bin is started as "nobody" (child_process uid/gid).
 * That only works when nobody can read this checkout (a clone under a 0700 home cannot be), so it
 * is probed once; tests skip with that reason when it fails.
 */
const isRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };

function probe(): string | undefined {
  if (!isRoot) return undefined;
  const result = spawnSync(process.execPath, [BIN, '--version'], { ...NOBODY, encoding: 'utf8', timeout: 20_000 });
  return result.status === 0
    ? undefined
    : `running as root, and user "nobody" cannot run ${BIN}: ${(result.stderr || result.error?.message || '').trim().split('\n')[0]}`;
}

/** Why permission tests cannot run here, or undefined when they can. */
export const unprivilegedUnavailable = probe();

/** The real bin as an unprivileged user (nobody when root), with a time limit. */
export function runBinUnprivileged(argv: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...argv],
      { cwd, env: { PATH: process.env.PATH, HOME: cwd, ...env }, timeout: 20_000, ...(isRoot ? NOBODY : {}) },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}
