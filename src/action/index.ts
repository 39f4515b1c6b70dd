import { runAction } from './run.js';

// GitHub Action entry (bundled to dist-action/index.js): the only place the Action sets the exit code.
process.exitCode = await runAction(process.env, { stdout: process.stdout, stderr: process.stderr });
