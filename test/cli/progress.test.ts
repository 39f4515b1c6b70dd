import { afterEach, describe, expect, test, vi } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { progressReporter } from '../../src/cli/progress.js';

function io(isTTY: boolean): CliIo & { written: string[] } {
  const written: string[] = [];
  return {
    cwd: '/',
    env: {},
    written,
    stdout: { write: () => true },
    stderr: { write: (chunk: string) => written.push(chunk), isTTY },
    readStdin: async () => '',
  };
}

const progress = { filesScanned: 10, bytesScanned: 3 * 1024 * 1024, findings: 2 };

describe('progress display', () => {
  afterEach(() => vi.useRealTimers());

  test('appears on a TTY only after about 2 s, and is cleared at the end', () => {
    vi.useFakeTimers();
    const terminal = io(true);
    const reporter = progressReporter(terminal, true);
    reporter.update(progress);
    expect(terminal.written).toEqual([]);
    vi.advanceTimersByTime(2100);
    reporter.update(progress);
    expect(terminal.written.join('')).toContain('keywarden: 10 files, 3.0 MB, 2 findings');
    reporter.done();
    expect(terminal.written.at(-1)).toBe('\r\u001b[2K');
  });

  test('never on a pipe, nor when quiet', () => {
    vi.useFakeTimers();
    for (const [tty, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const stream = io(tty);
      const reporter = progressReporter(stream, enabled);
      vi.advanceTimersByTime(5000);
      reporter.update(progress);
      reporter.done();
      expect(stream.written).toEqual([]);
    }
  });
});
