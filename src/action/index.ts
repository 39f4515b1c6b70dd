import { finishOutput, guardedOutput } from '../run/guarded-output.js';
import { runAction } from './run.js';

// GitHub Action entry (bundled to dist-action/index.js): the only place the Action sets the exit code.
// Output goes through the CLI's guarded streams: a closed stdout is no crash with a stack trace.
const output = guardedOutput();
process.exitCode = await finishOutput(output, await runAction(process.env, output));
