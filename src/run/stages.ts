import { isAllowed } from '../core/allow.js';
import { applyBaseline } from '../core/baseline.js';
import { labelOwnership } from '../core/ownership.js';
import type { Finding, Report, StaleBaselineEntry } from '../core/types.js';
import { firstSightings } from '../git/first-sighting.js';
import { checkKeyStatus } from '../iam/key-status.js';
import type { StsProgress } from '../sts/budget.js';
import { checkAccounts } from '../sts/accounts.js';
import type { RunOptions } from './options.js';

/** The findings a stage takes and gives back: reported ones, and AWS documentation examples (shown only when asked). */
export interface Found {
  findings: Finding[];
  examples: Finding[];
}

export interface StageResult extends Found {
  /** Findings (and examples) the stage dropped. */
  removed: number;
  /** Findings it kept but changed (a label, an account, a verification, a key status). */
  changed: number;
  /** Lines for the report's warnings. */
  warnings?: string[];
  /** Of those warnings, the ones to show at once (an STS or IAM failure changes what the report means). */
  alerts?: string[];
  /** Baseline entries no finding matched. */
  staleBaseline?: StaleBaselineEntry[];
}

export interface ProgressSink<P> {
  update(progress: P): void;
  done(): void;
}

export interface StageContext {
  options: RunOptions;
  /** The source's report, for stages that read its root or counts. */
  scanned: Report;
  /** A progress display for the STS calls, started when the STS stage starts. */
  stsProgress?: () => ProgressSink<StsProgress>;
}

export interface Stage {
  name: string;
  /** Part of detection: the report's example count is taken after the last such stage. */
  detection?: true;
  /** Calls AWS (STS, IAM): an audit of many repositories runs these once over all its findings. */
  callsAws?: true;
  applies(options: RunOptions): boolean;
  run(found: Found, context: StageContext): Promise<StageResult>;
}

function kept(found: Found, findings: Finding[], examples: Finding[], changed = 0): StageResult {
  return { findings, examples, removed: found.findings.length - findings.length + found.examples.length - examples.length, changed };
}

function countChanged(before: readonly Finding[], after: readonly Finding[], differs: (a: Finding, b: Finding) => boolean): number {
  let changed = 0;
  for (let i = 0; i < after.length; i++) if (differs(before[i]!, after[i]!)) changed++;
  return changed;
}

/** A report with only these findings and no warnings, for the STS and IAM checks (which take and return reports). */
function reportOf(context: StageContext, found: Found): Report {
  return { ...context.scanned, findings: found.findings, examples: found.examples, warnings: [] };
}

/**
 * keywarden:allow comments are honoured inside detection (src/core/suppress.ts): a suppressed
 * match never becomes a finding, and the report counts them (stats.suppressed). So this list starts after them.
 */

/** --history sees a credential in every commit that touches it: keep the commit that added it. */
const firstSighting: Stage = {
  name: 'first sighting',
  detection: true,
  applies: (options) => options.source.kind === 'git' && options.source.mode.kind === 'history',
  run: async (found) => kept(found, firstSightings(found.findings), firstSightings(found.examples)),
};

/** The config's allow list (values and paths). */
const allowList: Stage = {
  name: 'allow list',
  applies: (options) => (options.policy.allow.values?.length ?? 0) > 0 || (options.policy.allow.paths?.length ?? 0) > 0,
  run: async (found, { options }) => {
    const allowed = (finding: Finding) => isAllowed(finding, options.policy.allow);
    return kept(
      found,
      found.findings.filter((finding) => !allowed(finding)),
      found.examples.filter((finding) => !allowed(finding)),
    );
  },
};

/** --baseline (or config "baseline"): only findings not recorded in it remain. */
const baseline: Stage = {
  name: 'baseline',
  applies: (options) => options.policy.baseline !== undefined,
  run: async (found, { options }) => {
    const result = applyBaseline(found.findings, await options.policy.baseline!.read());
    return { findings: result.fresh, examples: found.examples, removed: result.baselined, changed: 0, staleBaseline: result.stale };
  },
};

/** Owned, third-party, canary or unknown, from the account ids alone (offline). */
const ownership: Stage = {
  name: 'ownership',
  applies: (options) => options.policy.accounts !== undefined,
  run: async (found, { options }) => {
    const findings = labelOwnership(found.findings, options.policy.accounts!.owned);
    return kept(
      found,
      findings,
      found.examples,
      countChanged(found.findings, findings, (a, b) => a !== b),
    );
  },
};

/** --resolve-accounts, --verify: STS calls, then ownership labels again from the accounts STS gave. */
const sts: Stage = {
  name: 'STS',
  callsAws: true,
  applies: (options) =>
    options.policy.accounts !== undefined && (options.policy.accounts.resolveAccounts || options.policy.accounts.verify),
  run: async (found, context) => {
    const progress = context.stsProgress?.();
    let result;
    try {
      result = await checkAccounts(reportOf(context, found), {
        ...context.options.policy.accounts!,
        ...(progress ? { onProgress: (p: StsProgress) => progress.update(p) } : {}),
      });
    } finally {
      progress?.done();
    }
    const findings = result.report.findings;
    const differs = (a: Finding, b: Finding) =>
      a.accountId !== b.accountId || a.verification !== b.verification || a.owner?.label !== b.owner?.label;
    return {
      ...kept(found, findings, found.examples, countChanged(found.findings, findings, differs)),
      warnings: result.report.warnings,
      alerts: result.alerts,
    };
  },
};

/** --key-status: IAM says whether each owned key is active and when it was last used. */
const keyStatus: Stage = {
  name: 'IAM key status',
  callsAws: true,
  applies: (options) => options.policy.keyStatus !== undefined,
  run: async (found, context) => {
    const result = await checkKeyStatus(reportOf(context, found), context.options.policy.keyStatus!);
    const findings = result.report.findings;
    return {
      ...kept(
        found,
        findings,
        found.examples,
        countChanged(found.findings, findings, (a, b) => a.keyStatus !== b.keyStatus),
      ),
      warnings: result.report.warnings,
      alerts: result.alerts,
    };
  },
};

/**
 * The stages, in order, after detection (which has already honoured keywarden:allow comments).
 * First sighting comes first so the allow list and baseline count each credential once. A new
 * stage goes here, once.
 */
export const STAGES: readonly Stage[] = [firstSighting, allowList, baseline, ownership, sts, keyStatus];

/**
 * The same options with every stage that calls AWS turned off (ownership labels from the owned
 * accounts stay): what each repository of an audit runs with, before runAwsStages checks the
 * whole audit's findings once, so a key held by fifty repositories is asked about once.
 */
export function withoutAwsCalls(options: RunOptions): RunOptions {
  const { keyStatus: _keyStatus, ...policy } = options.policy;
  const accounts = policy.accounts && { ...policy.accounts, resolveAccounts: false, verify: false };
  return { ...options, policy: { ...policy, ...(accounts ? { accounts } : {}) } };
}

/** What one stage that ran was given back. */
export interface StageRun {
  stage: Stage;
  result: StageResult;
}

/**
 * Passes the findings through each stage that applies (and that `which` keeps), in order; a
 * stage's alerts go out as soon as it ends. The findings after the last one, and what each did.
 */
export async function applyStages(
  found: Found,
  context: StageContext,
  onAlert: ((alert: string) => void) | undefined,
  which: (stage: Stage) => boolean = () => true,
): Promise<{ found: Found; ran: StageRun[] }> {
  const ran: StageRun[] = [];
  for (const stage of STAGES) {
    if (!which(stage) || !stage.applies(context.options)) continue;
    const result = await stage.run(found, context);
    found = { findings: result.findings, examples: result.examples };
    ran.push({ stage, result });
    for (const alert of result.alerts ?? []) onAlert?.(alert);
  }
  return { found, ran };
}

/** The stages that call AWS, in order, over `report`'s findings: the report with their changes and warnings. */
export async function runAwsStages(
  report: Report,
  options: RunOptions,
  hooks: Pick<StageContext, 'stsProgress'> & { onAlert?: (alert: string) => void },
): Promise<Report> {
  const context: StageContext = { options, scanned: report, ...(hooks.stsProgress ? { stsProgress: hooks.stsProgress } : {}) };
  const { found, ran } = await applyStages({ findings: report.findings, examples: report.examples }, context, hooks.onAlert, (stage) =>
    Boolean(stage.callsAws),
  );
  const warnings = [...report.warnings, ...ran.flatMap(({ result }) => result.warnings ?? [])];
  return { ...report, findings: found.findings, examples: found.examples, warnings };
}
