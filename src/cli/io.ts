import { EXIT } from '../run/exit.js';

/** Everything the CLI touches of the outside world, so tests can run it in-process. */
export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Reads all of standard input (for `scan -`). */
  readStdin(): Promise<string>;
}

/**
 * A process stream whose write errors are kept, not thrown: without an 'error' listener, EPIPE
 * (`keywarden scan | head -1`) or ENOSPC (`> /dev/full`) is an uncaught exception with a stack
 * trace and exit 1, which reads as "findings". `settled` waits for what was written to be flushed
 * and says how it went.
 */
class GuardedStream {
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

export interface ProcessIo extends CliIo {
  stdout: GuardedStream;
  stderr: GuardedStream;
  /** The exit code once output is flushed: a failed stdout turns it into an error, except EPIPE. */
  finish(exitCode: number): Promise<number>;
}

export function processIo(): ProcessIo {
  const stdout = new GuardedStream(process.stdout);
  const stderr = new GuardedStream(process.stderr);
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout,
    stderr,
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
    async finish(exitCode) {
      const failure = await stdout.settled();
      // The reader closed the pipe (`| head -1`): it has what it wanted, as with grep or git log.
      if (!failure || failure.code === 'EPIPE') return exitCode;
      stderr.write(`keywarden: cannot write to standard output: ${failure.code ?? failure.message}\n`);
      await stderr.settled();
      return EXIT.error;
    },
  };
}
