import { installHook } from '../git/install-hook.js';
import { EXIT } from '../run/exit.js';
import type { CliIo } from './io.js';

export interface InstallHookArgs {
  force: boolean;
}

export async function runInstallHook(args: InstallHookArgs, io: CliIo): Promise<number> {
  const result = await installHook({ cwd: io.cwd, env: io.env }, { force: args.force });
  const verb = result.previous === 'ours' ? 'updated' : 'installed';
  io.stdout.write(`keywarden: ${verb} pre-commit hook at ${result.path}\n`);
  if (result.backup) io.stdout.write(`keywarden: the previous hook was moved to ${result.backup}\n`);
  return EXIT.clean;
}
