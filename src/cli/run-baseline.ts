import path from 'node:path';
import { writeBaseline } from '../baseline/file.js';
import { UsageError } from '../scan/errors.js';
import type { ScanArgs } from './args.js';
import { EXIT, type CliIo } from './io.js';
import { scanProblem } from './outcome.js';
import { collectReport, filterReport } from './run-scan.js';
import { resolveScanSettings } from './scan-options.js';

/** `keywarden baseline`: record today's findings (as salted hashes) so only new ones fail later. */
export async function runBaseline(args: ScanArgs & { file: string }, io: CliIo): Promise<number> {
  if (args.file.trim() === '') throw new UsageError('--file: empty path');
  const settings = await resolveScanSettings(args, io);
  // The allow list applies; an existing baseline (flag or config) must not hide what is recorded.
  const report = await filterReport(await collectReport(settings, io), { ...settings, baseline: undefined });
  // A baseline of a scan that read nothing would hide nothing and mean nothing: say so, write nothing.
  const problem = scanProblem(report, settings);
  if (problem) throw new UsageError(`${problem}; no baseline written`);
  const { findings } = report;
  const target = path.resolve(settings.cwd, args.file);
  try {
    await writeBaseline(target, findings);
  } catch (error) {
    throw new UsageError(`cannot write baseline ${args.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  io.stderr.write(`keywarden: wrote ${findings.length} finding(s) to ${args.file}\n`);
  return EXIT.clean;
}
