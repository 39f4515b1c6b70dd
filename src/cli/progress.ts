import type { ScanProgress } from '../scan/report-builder.js';
import type { StsProgress } from '../sts/budget.js';
import type { CliIo } from './io.js';

const DELAY_MS = 2000;
const INTERVAL_MS = 200;

/**
 * A one-line progress display on stderr, only on a TTY and only once a scan has run for ~2 s,
 * so quick scans and pipes stay silent.
 */
export function progressReporter(io: CliIo, enabled: boolean): { update(progress: ScanProgress): void; done(): void } {
  if (!enabled || !io.stderr.isTTY) return { update() {}, done() {} };
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(progress) {
      const now = Date.now();
      if (now - started < DELAY_MS || now - last < INTERVAL_MS) return;
      last = now;
      shown = true;
      const mb = (progress.bytesScanned / 1024 / 1024).toFixed(1);
      io.stderr.write(`\r\x1b[2Kkeywarden: ${progress.filesScanned} files, ${mb} MB, ${progress.findings} findings`);
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[2K');
    },
  };
}

/** The same display for STS calls (--resolve-accounts, --verify), which can take as long as --sts-budget. */
export function stsProgressReporter(io: CliIo, enabled: boolean): { update(progress: StsProgress): void; done(): void } {
  if (!enabled || !io.stderr.isTTY) return { update() {}, done() {} };
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update({ done, total }) {
      const now = Date.now();
      if (now - started < DELAY_MS || (now - last < INTERVAL_MS && done < total)) return;
      last = now;
      shown = true;
      io.stderr.write(`\r\x1b[2Kkeywarden: STS ${done}/${total} calls`);
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[2K');
    },
  };
}
