import { finishOutput, guardedOutput, type GuardedStream } from '../run/guarded-output.js';

/** Everything the CLI touches of the outside world, so tests can run it in-process. */
export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Reads all of standard input (for `scan -`). */
  readStdin(): Promise<string>;
}

export interface ProcessIo extends CliIo {
  stdout: GuardedStream;
  stderr: GuardedStream;
  /** The exit code once output is flushed: a failed stdout turns it into an error, except EPIPE. */
  finish(exitCode: number): Promise<number>;
}

export function processIo(): ProcessIo {
  const output = guardedOutput();
  return {
    cwd: process.cwd(),
    env: process.env,
    ...output,
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
    finish: (exitCode) => finishOutput(output, exitCode),
  };
}
