import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { GitError } from './errors.js';
import { runGit, type GitContext } from './run.js';

/** The line that marks a hook as ours: only such hooks are replaced without --force. */
export const HOOK_MARKER = '# keywarden-managed-hook';

/**
 * A POSIX sh hook (git runs hooks from the work tree's top level). It prefers the project's own
 * keywarden, then one on PATH, and fails closed with advice when neither is there: a secret
 * scanner that silently stops scanning is worse than a commit that asks for attention.
 */
const HOOK_SCRIPT = `#!/bin/sh
${HOOK_MARKER} (written by "keywarden install-hook"; keywarden may replace this file)
# Blocks commits whose staged changes add AWS credentials. Skip once with: git commit --no-verify
if [ -x ./node_modules/.bin/keywarden ]; then
  exec ./node_modules/.bin/keywarden scan --staged
fi
if command -v keywarden >/dev/null 2>&1; then
  exec keywarden scan --staged
fi
echo "keywarden: not installed here (npm install --save-dev keywarden), so staged changes were not scanned" >&2
echo "keywarden: commit with --no-verify to skip, or remove $0" >&2
exit 1
`;

export interface InstallHookResult {
  /** Absolute path of the hook written. */
  path: string;
  /** What was there before: nothing, our own hook, or someone else's (kept as a backup). */
  previous: 'none' | 'ours' | 'foreign';
  backup?: string;
}

/** Where git looks for hooks: .git/hooks, or core.hooksPath when set (rev-parse resolves both). */
async function hooksDirectory(context: GitContext): Promise<string> {
  const out = (await runGit(context, ['rev-parse', '--git-path', 'hooks'])).toString('utf8').trim();
  return path.resolve(context.cwd, out);
}

async function readExisting(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GitError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Writes the pre-commit hook. A hook keywarden did not write is replaced only with `force`, and then kept as `pre-commit.keywarden-backup`. */
export async function installHook(context: GitContext, options: { force?: boolean } = {}): Promise<InstallHookResult> {
  const dir = await hooksDirectory(context);
  const file = path.join(dir, 'pre-commit');
  const existing = await readExisting(file);
  const previous = existing === undefined ? 'none' : existing.includes(HOOK_MARKER) ? 'ours' : 'foreign';
  if (previous === 'foreign' && !options.force) {
    throw new GitError(
      `${file} already exists and was not written by keywarden: use --force to replace it (a backup is kept), or call "keywarden scan --staged" from it`,
    );
  }
  let backup: string | undefined;
  try {
    await mkdir(dir, { recursive: true });
    if (previous === 'foreign') {
      backup = `${file}.keywarden-backup`;
      await rename(file, backup);
    }
    // Atomic, and executable whatever the mode of a hook it replaces.
    await writeFileAtomic(file, HOOK_SCRIPT, { mode: 0o755 });
  } catch (error) {
    throw new GitError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return { path: file, previous, ...(backup ? { backup } : {}) };
}
