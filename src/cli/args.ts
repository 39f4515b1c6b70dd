import type { Argv } from 'yargs';
import { FAIL_ON_VALUES } from '../config/schema.js';
import { ruleIds } from '../../rules/index.js';
import type { RunArgs } from '../run/options.js';
import { addStsOptions } from './args-sts.js';
import { addGitOptions } from './args-git.js';
import { addIamOptions } from './args-iam.js';

/** Raw `scan` arguments as yargs parses them (stage one); src/run/options.ts validates and merges (stage two). */
export type ScanArgs = RunArgs;

export function addScanOptions<T>(y: Argv<T>) {
  // Core groups first so `--help` lists them before the git and account groups.
  const core = y
    // No yargs default: paths after "--" are added later, and "." only when none is given at all.
    .positional('paths', {
      type: 'string',
      array: true,
      defaultDescription: '.',
      describe: 'Files, directories or globs to scan; "-" reads standard input; after "--" every word is a path',
    })
    .option('format', { alias: 'f', type: 'string', describe: 'Output format: text, json, sarif, github', group: 'Output:' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout', group: 'Output:' })
    .option('show-secrets', {
      type: 'boolean',
      default: false,
      describe: 'Print secrets in full (they are redacted by default)',
      group: 'Output:',
    })
    .option('include-examples', {
      type: 'boolean',
      describe: 'List AWS documentation example keys (they never fail the scan)',
      group: 'Output:',
    })
    .option('color', { type: 'boolean', describe: 'Force color on or off (default: on for a TTY; honours NO_COLOR)', group: 'Output:' })
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'Text format: no summary line, findings only',
      group: 'Output:',
    })
    .option('verbose', {
      alias: 'v',
      type: 'boolean',
      default: false,
      describe: 'Explain skipped files, account disagreements and warnings',
      group: 'Output:',
    })
    .option('include', { type: 'string', array: true, describe: 'Only scan files matching these globs', group: 'Files:' })
    .option('exclude', { type: 'string', array: true, describe: 'Never scan files or directories matching these globs', group: 'Files:' })
    .option('max-file-size', {
      type: 'string',
      describe: 'Skip (and report) files larger than this, e.g. 5MB (default 5MB)',
      group: 'Files:',
    })
    .option('threads', {
      type: 'number',
      describe:
        'Threads that scan a large tree, the main thread among them (default: CPU count; 0 or 1 scans on the main thread only; trees under 4,000 files and 32 MB always scan on the main thread)',
      group: 'Files:',
    })
    .option('gitignore', {
      type: 'boolean',
      describe: 'Honour .gitignore and .keywardenignore files (default true; --no-gitignore to scan everything)',
      group: 'Files:',
    })
    .option('archives', {
      type: 'boolean',
      describe: 'Scan inside zip, jar, war, whl, nupkg, tar, tar.gz and .gz files (default true; --no-archives to skip them as binary)',
      group: 'Files:',
    })
    .option('config', {
      alias: 'c',
      type: 'string',
      describe:
        'Config file (default: keywarden.config.json, .keywardenrc.json or package.json "keywarden", searched upward); --no-config to ignore',
      group: 'Rules:',
    })
    .option('rule', { type: 'string', array: true, describe: `Run only these rules: ${ruleIds.join(', ')}`, group: 'Rules:' })
    .option('baseline', {
      type: 'string',
      describe: 'Report only findings not in this baseline file (see "keywarden baseline")',
      group: 'Rules:',
    })
    .option('fail-on', {
      type: 'string',
      describe: `Lowest level that exits 1: ${FAIL_ON_VALUES.join(', ')} (default note: any finding)`,
      group: 'Rules:',
    });
  return addIamOptions(addStsOptions(addGitOptions(core)));
}
