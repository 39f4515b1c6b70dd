import { writeFileAtomic } from '../fs/atomic-write.js';
import path from 'node:path';
import { isAllowed } from '../core/allow.js';
import { applyBaseline } from '../core/baseline.js';
import type { Level, Report } from '../core/types.js';
import { readBaseline } from '../baseline/file.js';
import { getReporter } from '../report/index.js';
import { UsageError } from '../errors.js';
import { scanFiles, scanSources } from '../scan/scan.js';
import { scanGit } from '../git/scan.js';
import type { ScanArgs } from './args.js';
import { resolveStsSettings } from './args-sts.js';
import { resolveKeyStatusSettings } from './args-iam.js';
import { gitPathspecs } from './args-git.js';
import { EXIT } from '../run/exit.js';
import type { CliIo } from './io.js';
import { outcomeLine, scanProblem } from './outcome.js';
import { progressReporter } from './progress.js';
import { applyAccountChecks, applyKeyStatus } from './run-accounts.js';
import { resolveScanSettings, type ScanSettings } from './scan-options.js';

const LEVEL_RANK: Record<Level, number> = { note: 0, warning: 1, error: 2 };

/** Finds the credentials the settings ask for: files on disk, git's added lines, or standard input. */
export async function collectReport(settings: ScanSettings, io: CliIo): Promise<Report> {
  if (settings.paths.length === 1 && settings.paths[0] === '-') {
    const text = await io.readStdin();
    return scanSources([{ path: '<stdin>', text }], settings.cwd, settings.detect);
  }
  const progress = progressReporter(io, !settings.quiet);
  try {
    if (settings.git) {
      return await scanGit({
        context: { cwd: settings.cwd, env: io.env },
        mode: settings.git,
        detect: settings.detect,
        maxFileSize: settings.maxFileSize,
        include: settings.include,
        exclude: settings.exclude,
        useIgnoreFiles: settings.useIgnoreFiles,
        pathspecs: gitPathspecs(settings.paths),
        onProgress: (p) => progress.update(p),
      });
    }
    return await scanFiles({
      cwd: settings.cwd,
      paths: settings.paths,
      include: settings.include,
      exclude: settings.exclude,
      useIgnoreFiles: settings.useIgnoreFiles,
      maxFileSize: settings.maxFileSize,
      ...(settings.threads !== undefined ? { threads: settings.threads } : {}),
      detect: settings.detect,
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.done();
  }
}

/** Config allow-list, then baseline: what remains is what the user must act on. */
export async function filterReport(report: Report, settings: ScanSettings): Promise<Report> {
  const allowed = (finding: Report['findings'][number]) => isAllowed(finding, settings.allow);
  let findings = report.findings.filter((finding) => !allowed(finding));
  const examples = report.examples.filter((finding) => !allowed(finding));
  if (!settings.baseline) return { ...report, findings, examples };
  const baseline = await readBaseline(path.resolve(settings.cwd, settings.baseline), settings.baseline);
  const result = applyBaseline(findings, baseline);
  findings = result.fresh;
  return { ...report, findings, examples, staleBaseline: result.stale, stats: { ...report.stats, baselined: result.baselined } };
}

export function exitCodeFor(report: Report, settings: Pick<ScanSettings, 'failOn'>): number {
  if (settings.failOn === 'none') return EXIT.clean;
  const threshold = LEVEL_RANK[settings.failOn];
  return report.findings.some((finding) => LEVEL_RANK[finding.level] >= threshold) ? EXIT.findings : EXIT.clean;
}

export async function writeReport(report: Report, settings: ScanSettings, io: CliIo): Promise<void> {
  const rendered = getReporter(settings.format)(report, {
    showSecrets: settings.showSecrets,
    color: settings.color,
    includeExamples: settings.includeExamples,
    verbose: settings.verbose,
    quiet: settings.quiet,
  });
  if (!settings.output) {
    io.stdout.write(rendered);
    return;
  }
  try {
    // Atomic: a scan killed mid-write leaves the previous report whole, not empty or cut short.
    await writeFileAtomic(path.resolve(settings.cwd, settings.output), rendered, { makeDirectory: false });
  } catch (error) {
    throw new UsageError(`--output: cannot write ${settings.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export async function runScan(args: ScanArgs, io: CliIo): Promise<number> {
  const settings = await resolveScanSettings(args, io);
  const accounts = resolveStsSettings(args, settings.config, io.env);
  const keyStatus = resolveKeyStatusSettings(args, settings.config, io.env, accounts);
  let report = await applyAccountChecks(await filterReport(await collectReport(settings, io), settings), accounts, io, settings.quiet);
  if (keyStatus) report = await applyKeyStatus(report, keyStatus, io, settings.quiet);
  await writeReport(report, settings, io);
  const problem = scanProblem(report, settings);
  if (problem) {
    io.stderr.write(`keywarden: ${problem}\n`);
    return EXIT.error;
  }
  const exitCode = exitCodeFor(report, settings);
  // The report went to a file: the CI log still gets the counts and why the job passes or fails.
  if (settings.output && !settings.quiet) io.stderr.write(`keywarden: ${outcomeLine(report, settings, exitCode)}\n`);
  return exitCode;
}
