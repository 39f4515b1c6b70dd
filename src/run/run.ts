import type { Report, StaleBaselineEntry } from '../core/types.js';
import { buildReport, type ScanProgress } from '../scan/report-builder.js';
import type { StsProgress } from '../sts/budget.js';
import type { RunOptions } from './options.js';
import { openSource, type SourceIo } from './sources.js';
import { applyStages, type ProgressSink } from './stages.js';

/** What a run tells its caller as it goes: the CLI draws progress on a terminal and prints alerts; the Action writes workflow commands. */
export interface RunHooks extends Partial<SourceIo> {
  /** A progress display for reading the source, started when reading starts. */
  scanProgress?: () => ProgressSink<ScanProgress>;
  stsProgress?: () => ProgressSink<StsProgress>;
  /** An STS or IAM failure, as soon as its stage ends. */
  onAlert?: (alert: string) => void;
}

/** What one stage did, for callers that explain a run (--verbose, tests). */
export interface StageCount {
  name: string;
  removed: number;
  changed: number;
}

export interface RunResult {
  report: Report;
  /** A commit range only: fingerprints of the credentials still in the head tree. */
  atHead?: ReadonlySet<string>;
  /** The stages that ran, in order. */
  stages: StageCount[];
}

/**
 * One run: read the source (detection happens there) and build its report from its events, pass the findings through each stage that
 * applies, in order (stages.ts), and build the report once at the end.
 */
export async function run(options: RunOptions, hooks: RunHooks = {}): Promise<RunResult> {
  const source = openSource(options, { readStdin: hooks.readStdin ?? (async () => '') });
  const progress = hooks.scanProgress?.();
  let raw: Report;
  let atHead: ReadonlySet<string> | undefined;
  try {
    const scanned = await source.open();
    // The one place a scan's report is built: from the source's events as they come.
    if (scanned.kind === 'stream') raw = await buildReport(scanned.stream, (p) => progress?.update(p));
    else ({ report: raw, atHead } = scanned);
  } finally {
    progress?.done();
  }

  const context = { options, scanned: raw, ...(hooks.stsProgress ? { stsProgress: hooks.stsProgress } : {}) };
  const { found, ran } = await applyStages({ findings: raw.findings, examples: raw.examples }, context, hooks.onAlert);
  let examplesSeen = raw.stats.examples;
  let baselined = raw.stats.baselined;
  let staleBaseline: StaleBaselineEntry[] | undefined;
  const warnings = [...raw.warnings];
  const stages: StageCount[] = [];
  for (const { stage, result } of ran) {
    stages.push({ name: stage.name, removed: result.removed, changed: result.changed });
    if (stage.detection) examplesSeen = result.examples.length;
    if (result.staleBaseline) {
      staleBaseline = result.staleBaseline;
      baselined = result.removed;
    }
    for (const warning of result.warnings ?? []) warnings.push(warning);
  }

  const report: Report = {
    ...raw,
    findings: found.findings,
    examples: found.examples,
    warnings,
    // Examples seen by detection, whatever the allow list hides afterwards.
    stats: { ...raw.stats, examples: examplesSeen, baselined },
    ...(staleBaseline ? { staleBaseline } : {}),
  };
  return { report, ...(atHead ? { atHead } : {}), stages };
}
