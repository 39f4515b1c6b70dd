import { realpathSync } from 'node:fs';
import path from 'node:path';
import { labelOwnership } from '../core/ownership.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { Finding, Report } from '../core/types.js';
import { BadRevisionError } from '../git/errors.js';
import { repoRoot } from '../git/repo.js';
import type { GitContext } from '../git/run.js';
import { formatCommand } from '../report/github.js';
import { getReporter } from '../report/index.js';
import { UsageError } from '../errors.js';
import type { ScanArgs } from '../cli/args.js';
import type { CliIo } from '../cli/io.js';
import { EXIT } from '../run/exit.js';
import { collectReport, exitCodeFor, filterReport } from '../cli/run-scan.js';
import { resolveScanSettings, type ScanSettings } from '../cli/scan-options.js';
import { resolveKeyStatusSettings } from '../cli/args-iam.js';
import { resolveStsSettings } from '../cli/args-sts.js';
import { checkKeyStatus } from '../iam/key-status.js';
import { isUserError } from '../run/errors.js';
import { annotationLines } from './annotations.js';
import { planScan, readEvent } from './event.js';
import { readInputs } from './inputs.js';
import { applyCommitBaseline, readCommitPolicy, type CommitPolicy } from './policy.js';
import { removedLater, scanRange } from './range-scan.js';
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
/** Picomatch syntax escaped, `./` anchored at the scan root (a bare name would match at any depth). */
function literalGlob(relative: string): string {
  return `./${relative.split(path.sep).join('/').replace(/[\\*?[\]{}()!+@]/g, (char) => `\\${char}`)}`;
}

/** The Action's own output, relative to the scan root, as an exclude glob: it is never scanned. */
function ownOutputExclude(root: string, file: string | undefined): string[] {
  if (!file) return [];
  const relative = path.relative(root, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? [] : [literalGlob(relative)];
}

/** Positional paths narrow a git scan as pathspecs; the default "." means the whole repository. */
function pathspecs(paths: readonly string[]): string[] {
  return paths.length === 1 && paths[0] === '.' ? [] : [...paths];
}

const short = (sha: string) => sha.slice(0, 7);

function realPath(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir; // a missing workspace is reported by whatever reads it first
  }
}

/**
 * The Action: inputs and event payload -> a scan (files, or what each commit of a pull request or
 * push adds) -> annotations on stdout, a SARIF file, a step summary and outputs. Returns the exit
 * code: 0 clean, 1 findings at or above fail-on, 2 a problem to fix in the workflow.
 */
export async function runAction(env: Env, io: ActionIo): Promise<number> {
  try {
    const inputs = readInputs(env);
    const plan = planScan(inputs.mode, readEvent(env));
    // Real path: git prints the top level resolved, and policy paths are compared with it.
    const cwd = realPath(env.GITHUB_WORKSPACE || process.cwd());
    const context: GitContext = { cwd, env };
    const cliIo: CliIo = { cwd, env, stdout: io.stdout, stderr: io.stderr, readStdin: async () => '' };
    io.stdout.write(`keywarden: scanning ${plan.description}\n`);
    const sarifTarget = inputs.sarifFile ? path.resolve(cwd, inputs.sarifFile) : undefined;
    let report: Report;
    let atHead: ReadonlySet<string> | undefined;
    let settings: ScanSettings;
    let policy: CommitPolicy | undefined;
    let keyStatusArgs!: ScanArgs;
    try {
      if (plan.mode === 'pr' && plan.commits && inputs.policy === 'base') {
        policy = await readCommitPolicy(context, plan.commits.base, cwd);
        io.stdout.write(`keywarden: config, .keywardenignore files and baseline read from the base commit ${short(policy.commit)} (policy: base)\n`);
      }
      const args: ScanArgs = {
        paths: inputs.paths,
        showSecrets: false,
        quiet: true,
        verbose: false,
        color: false,
        ...(inputs.failOn ? { failOn: inputs.failOn } : {}),
        ...(inputs.baseline ? { baseline: inputs.baseline } : {}),
        ...(inputs.keyStatus !== undefined ? { keyStatus: inputs.keyStatus } : {}),
      };
      settings = await resolveScanSettings(args, cliIo, policy?.config);
      keyStatusArgs = args;
      if (plan.commits) {
        const root = await repoRoot(context);
        ({ report, atHead } = await scanRange({
          context,
          commits: plan.commits,
          detect: settings.detect,
          maxFileSize: settings.maxFileSize,
          include: settings.include,
          exclude: [...settings.exclude, ...ownOutputExclude(root, sarifTarget)],
          useIgnoreFiles: settings.useIgnoreFiles,
          ...(policy ? { ignoreReader: policy.ignoreReader } : {}),
          pathspecs: pathspecs(settings.paths),
        }));
      } else {
        report = await collectReport({ ...settings, exclude: [...settings.exclude, ...ownOutputExclude(cwd, sarifTarget)] }, cliIo);
      }
      if (policy) {
        // The baseline too comes from the base commit, not the pull request's work tree.
        const { baseline, ...rest } = settings;
        report = await filterReport(report, rest);
        if (baseline) report = await applyCommitBaseline(context, policy, path.resolve(cwd, baseline), report);
      } else {
        report = await filterReport(report, settings);
      }
    } catch (error) {
      if (error instanceof BadRevisionError) {
        // Usually a shallow clone: the base commit was never fetched.
        throw new UsageError(`${error.message} (check out with actions/checkout fetch-depth: 0 so the compared commits are present)`);
      }
      throw error;
    }
    // Ownership labels from the config's "accounts" (offline: STS and IAM only with key-status).
    report = { ...report, findings: labelOwnership(report.findings, settings.config.accounts ?? {}) };
    const keyStatus = resolveKeyStatusSettings(keyStatusArgs, settings.config, env, resolveStsSettings(keyStatusArgs, settings.config, env));
    if (keyStatus) {
      // key-status: IAM (and STS GetCallerIdentity) with the job's AWS credentials; trouble is a warning.
      const checked = await checkKeyStatus(report, keyStatus);
      report = checked.report;
      for (const alert of checked.alerts) io.stdout.write(`${formatCommand('warning', { title: 'keywarden' }, alert)}\n`);
    }
    const removed = (finding: Finding) => removedLater(finding, atHead);

    let sarifFile: string | undefined;
    if (inputs.sarifFile && sarifTarget) {
      sarifFile = inputs.sarifFile;
      await writeFileAtomic(sarifTarget, getReporter('sarif')(report, { showSecrets: false, color: false, includeExamples: settings.includeExamples }));
    }
    for (const line of annotationLines(report.findings, sarifFile ? `the job summary and ${sarifFile}` : 'the job summary', removed)) io.stdout.write(`${line}\n`);
    appendSummary(env.GITHUB_STEP_SUMMARY, summaryMarkdown(report, { scanned: plan.description, ...(sarifFile ? { sarifFile } : {}), removed }));
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
