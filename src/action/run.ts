import path from 'node:path';
import { labelOwnership } from '../core/ownership.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { BadRevisionError } from '../git/errors.js';
import { formatCommand } from '../report/github.js';
import { getReporter } from '../report/index.js';
import { UsageError } from '../scan/errors.js';
import type { ScanArgs } from '../cli/args.js';
import { EXIT, type CliIo } from '../cli/io.js';
import { collectReport, exitCodeFor, filterReport } from '../cli/run-scan.js';
import { resolveScanSettings } from '../cli/scan-options.js';
import { isUserError } from '../cli/user-error.js';
import { annotationLines } from './annotations.js';
import { planScan, readEvent } from './event.js';
import { readInputs } from './inputs.js';
import { appendSummary, writeOutputs } from './outputs.js';
import { summaryMarkdown } from './summary.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ActionIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

/**
 * The Action: inputs and event payload -> a CLI scan (files, or the lines a PR or push adds) ->
 * annotations on stdout, a SARIF file, a step summary and outputs. Returns the exit code:
 * 0 clean, 1 findings at or above fail-on, 2 a problem to fix in the workflow.
 */
export async function runAction(env: Env, io: ActionIo): Promise<number> {
  try {
    const inputs = readInputs(env);
    const plan = planScan(inputs.mode, readEvent(env));
    const cwd = env.GITHUB_WORKSPACE || process.cwd();
    const cliIo: CliIo = { cwd, env, stdout: io.stdout, stderr: io.stderr, readStdin: async () => '' };
    const args: ScanArgs = {
      paths: inputs.paths,
      showSecrets: false,
      quiet: true,
      verbose: false,
      color: false,
      ...(inputs.failOn ? { failOn: inputs.failOn } : {}),
      ...(inputs.baseline ? { baseline: inputs.baseline } : {}),
      ...(plan.range ? { diff: plan.range } : {}),
    };
    io.stdout.write(`keywarden: scanning ${plan.description}\n`);
    const settings = await resolveScanSettings(args, cliIo);
    let report;
    try {
      report = await filterReport(await collectReport(settings, cliIo), settings);
    } catch (error) {
      if (error instanceof BadRevisionError) {
        // Usually a shallow clone: the base commit was never fetched.
        throw new UsageError(`${error.message} (check out with actions/checkout fetch-depth: 0 so the compared commits are present)`);
      }
      throw error;
    }
    // Ownership labels from the config's "accounts" (offline: the Action never calls STS).
    report = { ...report, findings: labelOwnership(report.findings, settings.config.accounts ?? {}) };

    let sarifFile: string | undefined;
    if (inputs.sarifFile) {
      sarifFile = inputs.sarifFile;
      const target = path.resolve(cwd, sarifFile);
      await writeFileAtomic(target, getReporter('sarif')(report, { showSecrets: false, color: false, includeExamples: settings.includeExamples }));
    }
    for (const line of annotationLines(report.findings, sarifFile ? `the job summary and ${sarifFile}` : 'the job summary')) io.stdout.write(`${line}\n`);
    appendSummary(env.GITHUB_STEP_SUMMARY, summaryMarkdown(report, { scanned: plan.description, ...(sarifFile ? { sarifFile } : {}) }));
    writeOutputs(env.GITHUB_OUTPUT, { findings: String(report.findings.length), 'sarif-file': sarifFile ?? '' });
    const exitCode = exitCodeFor(report, settings);
    const count = report.findings.length;
    io.stdout.write(`keywarden: ${count === 0 ? 'no findings' : `${count} finding${count === 1 ? '' : 's'}`} (fail-on: ${settings.failOn})\n`);
    return exitCode;
  } catch (error) {
    const message = isUserError(error) ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    io.stdout.write(`${formatCommand('error', { title: 'keywarden' }, `keywarden: ${message}`)}\n`);
    if (!isUserError(error) && env.KEYWARDEN_DEBUG) io.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return EXIT.error;
  }
}
