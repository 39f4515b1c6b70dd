import { EXIT } from './exit.js';

/**
 * A process stream whose write errors are kept, not thrown: without an 'error' listener, EPIPE
 * (`keywarden scan | head -1`) or ENOSPC (`> /dev/full`) is an uncaught exception with a stack
 * trace and exit 1, which reads as "findings". `settled` waits for what was written to be flushed
 * and says how it went. The CLI and the Action both write through it.
 */
export class GuardedStream {
  private failure: NodeJS.ErrnoException | undefined;
  private pending = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly stream: NodeJS.WriteStream) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.failure ??= error;
    });
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  write(chunk: string): boolean {
    // After a failure the reader is gone or the disk full: more output would only fail again.
    if (this.failure || this.stream.destroyed) return false;
    this.pending++;
    return this.stream.write(chunk, (error) => {
      if (error) this.failure ??= error;
      if (--this.pending === 0) this.waiters.splice(0).forEach((wake) => wake());
    });
  }

  /** Resolves once every write has been flushed or failed: the first error, or undefined. */
  async settled(): Promise<NodeJS.ErrnoException | undefined> {
    if (this.pending > 0 && !this.stream.destroyed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.failure;
  }
}

export interface GuardedOutput {
  stdout: GuardedStream;
  stderr: GuardedStream;
}

/** The process's standard output and error, guarded. */
export function guardedOutput(): GuardedOutput {
  return { stdout: new GuardedStream(process.stdout), stderr: new GuardedStream(process.stderr) };
}

/**
 * The exit code once output is flushed: a failed stdout turns it into an error, except EPIPE (the
 * reader closed the pipe, as `| head -1` does: it has what it wanted, as with grep or git log).
 */
export async function finishOutput(output: GuardedOutput, exitCode: number): Promise<number> {
  const failure = await output.stdout.settled();
  if (!failure || failure.code === 'EPIPE') return exitCode;
  output.stderr.write(`keywarden: cannot write to standard output: ${failure.code ?? failure.message}\n`);
  await output.stderr.settled();
  return EXIT.error;
}
