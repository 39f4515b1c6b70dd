import { realpathSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { Finding, Report } from '../core/types.js';
import { UsageError } from '../errors.js';
import { BadRevisionError } from '../git/errors.js';
import { removedLater } from '../git/range-scan.js';
import { repoRoot } from '../git/repo.js';
import type { GitContext } from '../git/run.js';
import { formatCommand } from '../report/github.js';
import { getReporter } from '../report/index.js';
import { isUserError } from '../run/errors.js';
import { EXIT, exitCodeFor } from '../run/exit.js';
import { gitPathspecs } from '../run/git-options.js';
import { resolveRunOptions, type RunArgs, type RunOptions } from '../run/options.js';
import { run } from '../run/run.js';
import { annotationLines } from './annotations.js';
import { planScan, readEvent, type ScanPlan } from './event.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { readCommitBaseline, readCommitPolicy, type CommitPolicy } from './policy.js';
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
  return `./${relative
    .split(path.sep)
    .join('/')
    .replace(/[\\*?[\]{}()!+@]/g, (char) => `\\${char}`)}`;
}

/** The Action's own output, relative to the scan root, as an exclude glob: it is never scanned. */
function ownOutputExclude(root: string, file: string | undefined): string[] {
  if (!file) return [];
  const relative = path.relative(root, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? [] : [literalGlob(relative)];
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
 * The run the Action's inputs and event ask for. On a pull request with policy: base, the config,
 * .keywardenignore files and baseline come from the base commit, not the pull request's tree.
 * The Action's own SARIF file is never scanned.
 */
async function actionRunOptions(
  inputs: ActionInputs,
  plan: ScanPlan,
  context: GitContext,
  sarifTarget: string | undefined,
  io: ActionIo,
): Promise<RunOptions> {
  const { cwd } = context;
  const env = context.env ?? {};
  let policy: CommitPolicy | undefined;
  if (plan.mode === 'pr' && plan.commits && inputs.policy === 'base') {
    policy = await readCommitPolicy(context, plan.commits.base, cwd);
    io.stdout.write(
      `keywarden: config, .keywardenignore files and baseline read from the base commit ${short(policy.commit)} (policy: base)\n`,
    );
  }
  const args: RunArgs = {
    paths: inputs.paths,
    showSecrets: false,
    quiet: true,
    verbose: false,
    color: false,
    ...(inputs.failOn ? { failOn: inputs.failOn } : {}),
    ...(inputs.baseline ? { baseline: inputs.baseline } : {}),
    ...(inputs.keyStatus !== undefined ? { keyStatus: inputs.keyStatus } : {}),
  };
  const options = await resolveRunOptions(args, { cwd, env }, policy ? { preloaded: policy.config } : {});
  const root = plan.commits ? await repoRoot(context) : cwd;
  const scope = {
    ...options.scope,
    exclude: [...options.scope.exclude, ...ownOutputExclude(root, sarifTarget)],
    ...(policy ? { ignoreReader: policy.ignoreReader } : {}),
  };
  const source: RunOptions['source'] = plan.commits
    ? { kind: 'range', commits: plan.commits, pathspecs: gitPathspecs(options.paths) }
    : options.source;
  const baseline = options.policy.baseline;
  // The baseline too comes from the base commit, not the pull request's work tree.
  const fromBase = policy && baseline ? { ...baseline, read: () => readCommitBaseline(context, policy, baseline.file) } : baseline;
  return { ...options, source, scope, policy: { ...options.policy, ...(fromBase ? { baseline: fromBase } : {}) } };
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
    io.stdout.write(`keywarden: scanning ${plan.description}\n`);
    const sarifTarget = inputs.sarifFile ? path.resolve(cwd, inputs.sarifFile) : undefined;
    let report: Report;
    let atHead: ReadonlySet<string> | undefined;
    let options: RunOptions;
    try {
      options = await actionRunOptions(inputs, plan, context, sarifTarget, io);
      // key-status: IAM (and STS GetCallerIdentity) with the job's AWS credentials; trouble is a warning.
      ({ report, atHead } = await run(options, {
        onAlert: (alert) => io.stdout.write(`${formatCommand('warning', { title: 'keywarden' }, alert)}\n`),
      }));
    } catch (error) {
      if (error instanceof BadRevisionError) {
        // Usually a shallow clone: the base commit was never fetched.
        throw new UsageError(`${error.message} (check out with actions/checkout fetch-depth: 0 so the compared commits are present)`);
      }
      throw error;
    }
    const removed = (finding: Finding) => removedLater(finding, atHead);

    let sarifFile: string | undefined;
    if (inputs.sarifFile && sarifTarget) {
      sarifFile = inputs.sarifFile;
      await writeFileAtomic(
        sarifTarget,
        getReporter('sarif')(report, { showSecrets: false, color: false, includeExamples: options.output.includeExamples }),
      );
    }
    for (const line of annotationLines(report.findings, sarifFile ? `the job summary and ${sarifFile}` : 'the job summary', removed))
      io.stdout.write(`${line}\n`);
    appendSummary(
      env.GITHUB_STEP_SUMMARY,
      summaryMarkdown(report, { scanned: plan.description, ...(sarifFile ? { sarifFile } : {}), removed }),
    );
    writeOutputs(env.GITHUB_OUTPUT, { findings: String(report.findings.length), 'sarif-file': sarifFile ?? '' });
    const exitCode = exitCodeFor(report, options);
    const count = report.findings.length;
    io.stdout.write(
      `keywarden: ${count === 0 ? 'no findings' : `${count} finding${count === 1 ? '' : 's'}`} (fail-on: ${options.failOn})\n`,
    );
    return exitCode;
  } catch (error) {
    const message = isUserError(error) ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    io.stdout.write(`${formatCommand('error', { title: 'keywarden' }, `keywarden: ${message}`)}\n`);
    if (!isUserError(error) && env.KEYWARDEN_DEBUG) io.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return EXIT.error;
  }
}
