import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv } from 'yargs';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { UsageError } from '../errors.js';
import { mergeReports, reportFromJson } from '../repos/merge.js';
import { formats, getReporter, isFormat } from '../report/index.js';
import { printable } from '../report/printable.js';
import { EXIT, exitCodeFor } from '../run/exit.js';
import { coverageProblem } from '../run/repos.js';
import type { CliIo } from './io.js';

export interface MergeArgs {
  files: string[];
  format?: string;
  output?: string;
  allowPartial?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

export function addMergeOptions<T>(y: Argv<T>) {
  return y
    .positional('files', { type: 'string', array: true, describe: 'JSON reports written by "scan --format json" (e.g. one per --shard)' })
    .option('format', { alias: 'f', type: 'string', describe: 'Output format: text, json, sarif, github' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the merged report to this file instead of stdout' })
    .option('allow-partial', {
      type: 'boolean',
      describe: 'A repository a shard could not scan is named but does not make the exit code 2',
    })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Text format: list warnings and skipped files' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Text format: findings only' });
}

/**
 * `keywarden merge`: the shards' JSON reports as one report in any format. Exit codes as for a
 * scan: 1 for any finding, 2 when a shard could not scan a repository (unless --allow-partial)
 * or an input is not a keywarden JSON report.
 */
export async function runMerge(args: MergeArgs, io: CliIo): Promise<number> {
  const format = args.format ?? 'text';
  if (!isFormat(format)) throw new UsageError(`--format: unknown format "${format}" (formats: ${formats.join(', ')})`);
  if (args.files.length === 0) throw new UsageError('merge needs one or more JSON reports');
  const reports = [];
  for (const file of args.files) {
    let text: string;
    try {
      text = await readFile(path.resolve(io.cwd, file), 'utf8');
    } catch (error) {
      throw new UsageError(`merge: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    reports.push(reportFromJson(text, file));
  }
  const report = mergeReports(reports);
  const rendered = getReporter(format)(report, {
    showSecrets: false,
    color: false,
    includeExamples: report.examples.length > 0,
    verbose: args.verbose ?? false,
    quiet: args.quiet ?? false,
  });
  if (args.output === undefined) io.stdout.write(rendered);
  else {
    try {
      await writeFileAtomic(path.resolve(io.cwd, args.output), rendered, { makeDirectory: false });
    } catch (error) {
      throw new UsageError(`--output: cannot write ${args.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const problem = coverageProblem(report);
  if (problem) {
    io.stderr.write(`keywarden: ${args.allowPartial ? 'warning: ' : ''}${printable(problem)}\n`);
    if (!args.allowPartial) return EXIT.error;
  }
  return exitCodeFor(report, { failOn: 'note' });
}
