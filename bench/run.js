#!/usr/bin/env node
/**
 * keywarden benchmark (issue 6): throughput, peak memory and recall on a seeded synthetic corpus,
 * side by side with ripgrep running one key-id regex; startup on one file; `--staged` on a
 * 10-file change; ESLint plugin overhead on a 2,000-file TypeScript tree.
 *
 *   npm run bench                      # build, then sizes 10 and 100 MB
 *   node bench/run.js --sizes 10       # small size only
 *   node bench/run.js --json           # machine-readable results on stdout (progress on stderr)
 *   node bench/run.js --only history   # only --history beside `git log -p` (bench/lib/history.js)
 *   options: --runs N, --seed N, --core (also time the core in this process), --skip-eslint, --skip-staged
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { CORPUS_ROOT, DEFAULT_SEED, MB, ensureCorpus } from './corpus.js';
import { benchEslint } from './lib/eslint-bench.js';
import { scanInProcess } from './lib/inprocess.js';
import { median, rssMethod, run } from './lib/measure.js';
import { compareWithManifest, missedSyntaxes } from './lib/recall.js';
import { fixed, mb, ms, table } from './lib/report.js';
import { benchHistory, historyTargets, printHistory } from './lib/history.js';
import { benchStaged } from './lib/staged.js';
import { keywardenCli, parseRgMatches, readReport, ripgrep, sumRgCounts } from './lib/tools.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE_FLOOR = fileURLToPath(new URL('./lib/node-floor.js', import.meta.url));
const NODE_FLOOR_LABEL = 'node floor (read + 1 literal)';

function parseArgs(argv) {
  const options = { sizes: [10, 100], runs: undefined, seed: DEFAULT_SEED, json: false, core: false, eslint: true, staged: true, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--sizes') options.sizes = value().split(',').map(Number);
    else if (arg === '--runs') options.runs = Number(value());
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--json') options.json = true;
    else if (arg === '--core') options.core = true;
    else if (arg === '--skip-eslint') options.eslint = false;
    else if (arg === '--skip-staged') options.staged = false;
    else if (arg === '--only') options.only = value();
    else throw new Error(`unknown option ${arg}`);
  }
  if (options.sizes.some((size) => !(size > 0))) throw new Error('--sizes: positive numbers of MB, e.g. 10,100');
  return options;
}

function machine(rg) {
  const cpus = os.cpus();
  const rgVersion = rg.available ? spawnSync('rg', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] : null;
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    ripgrep: rgVersion,
    rss: rssMethod(),
    /** Shared machines: a busy neighbour slows every tool, so the load is printed with the results. */
    loadAverageAtStart: os.loadavg().map((n) => Number(n.toFixed(2))),
  };
}

function summarize(tool, runs, bytes, extra) {
  const seconds = median(runs.map((r) => r.seconds));
  const rss = runs.map((r) => r.rssKB).filter((value) => value !== null);
  return { tool, runs: runs.length, medianSeconds: seconds, mbPerSecond: bytes / MB / seconds, peakRssKB: rss.length ? Math.max(...rss) : null, ...extra };
}

function falsePositivesByKind(comparison) {
  const kinds = {};
  for (const fp of comparison.falsePositives) kinds[`${fp.decoy} (${fp.ruleId})`] = (kinds[`${fp.decoy} (${fp.ruleId})`] ?? 0) + 1;
  return kinds;
}

async function benchSize(size, ctx) {
  const { options, cli, rg, log } = ctx;
  const { dir, manifest } = ensureCorpus(size, { seed: options.seed, log });
  const runs = options.runs ?? (size <= 20 ? 7 : 5);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kw-bench-out-'));
  const output = path.join(scratch, 'report.json');
  const result = { sizeMB: size, files: manifest.files, bytes: manifest.bytes, planted: manifest.planted, decoys: manifest.decoys, background: manifest.background, tools: [] };
  try {
    log(`\n${size} MB corpus: ${manifest.files} files, ${fixed(manifest.bytes / MB, 1)} MB; ${runs} timed runs per tool after one warm-up`);
    const kwRun = () => run(process.execPath, cli.scanArgs('.', output), { cwd: dir, node: true });
    const rgRun = () => run('rg', rg.countArgs('.'), { cwd: dir });
    const floorRun = () => run(process.execPath, [NODE_FLOOR, '.'], { cwd: dir, node: true });
    if (cli.available) kwRun();
    if (rg.available) rgRun();
    floorRun();
    const kwRuns = [];
    const rgRuns = [];
    const floorRuns = [];
    for (let i = 0; i < runs; i++) {
      if (cli.available) kwRuns.push(kwRun());
      if (rg.available) rgRuns.push(rgRun());
      floorRuns.push(floorRun());
      log(`  run ${i + 1}/${runs}${cli.available ? `  keywarden ${fixed(kwRuns.at(-1).seconds)} s` : ''}${rg.available ? `  rg ${fixed(rgRuns.at(-1).seconds)} s` : ''}  node floor ${fixed(floorRuns.at(-1).seconds)} s`);
    }
    if (cli.available) {
      const report = readReport(kwRuns.at(-1), output);
      const comparison = compareWithManifest(manifest, report.findings);
      result.tools.push(
        summarize('keywarden', kwRuns, manifest.bytes, {
          findings: report.findings.length,
          examples: report.stats?.examples ?? null,
          filesScanned: report.stats?.filesScanned ?? null,
          found: comparison.found,
          plantedTotal: comparison.planted,
          recall: comparison.recall,
          byRule: comparison.byRule,
          missed: missedSyntaxes(comparison),
          falsePositives: comparison.falsePositives.length,
          falsePositivesByKind: falsePositivesByKind(comparison),
        }),
      );
    }
    if (rg.available) {
      const located = run('rg', rg.locateArgs('.'), { cwd: dir });
      const matches = parseRgMatches(located.stdout);
      const keyIdManifest = { ...manifest, plants: manifest.plants.filter((p) => p.ruleId.endsWith('access-key-id')) };
      const comparison = compareWithManifest(keyIdManifest, matches);
      result.tools.push(
        summarize('rg (key-id regex)', rgRuns, manifest.bytes, {
          findings: sumRgCounts(rgRuns.at(-1).stdout),
          findingsUnit: 'matching lines',
          found: comparison.found,
          plantedTotal: manifest.plants.length,
          keyIdsPlanted: comparison.planted,
          recall: comparison.found / manifest.plants.length,
          falsePositives: comparison.falsePositives.length,
          falsePositivesByKind: falsePositivesByKind(comparison),
        }),
      );
    }
    const [floorFiles, floorHits] = floorRuns.at(-1).stdout.trim().split(' ').map(Number);
    result.tools.push(summarize(NODE_FLOOR_LABEL, floorRuns, manifest.bytes, { findings: floorHits, findingsUnit: 'files', filesScanned: floorFiles, found: null, plantedTotal: manifest.plants.length, falsePositives: null }));
    if (options.core || !cli.available) {
      const coreRuns = [];
      let report;
      for (let i = 0; i < Math.min(runs, 3) + 1; i++) {
        const started = performance.now();
        report = await scanInProcess(dir, path.join(repoRoot, 'dist'));
        if (i > 0) coreRuns.push({ seconds: (performance.now() - started) / 1000, rssKB: null });
      }
      const comparison = compareWithManifest(manifest, report.findings);
      result.tools.push(
        summarize('core in-process (1 thread)', coreRuns, manifest.bytes, {
          findings: report.findings.length,
          examples: report.examples.length,
          found: comparison.found,
          plantedTotal: comparison.planted,
          recall: comparison.recall,
          byRule: comparison.byRule,
          missed: missedSyntaxes(comparison),
          falsePositives: comparison.falsePositives.length,
          falsePositivesByKind: falsePositivesByKind(comparison),
        }),
      );
    }
    const kw = result.tools.find((t) => t.tool === 'keywarden');
    const rgResult = result.tools.find((t) => t.tool.startsWith('rg'));
    if (kw && rgResult) result.throughputRatio = kw.mbPerSecond / rgResult.mbPerSecond;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return result;
}

function benchStartup(cli, { runs = 10 } = {}) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kw-bench-startup-'));
  try {
    writeFileSync(path.join(scratch, 'index.js'), "export const region = 'us-east-1';\n");
    const output = path.join(scratch, 'out.json');
    const times = [];
    for (let i = 0; i < runs + 1; i++) {
      const result = run(process.execPath, cli.scanArgs('index.js', output), { cwd: scratch, node: true });
      readReport(result, output);
      if (i > 0) times.push(result.seconds);
    }
    const nodeTimes = [];
    for (let i = 0; i < runs; i++) nodeTimes.push(run(process.execPath, ['-e', ''], { node: true }).seconds);
    return { runs, medianSeconds: median(times), nodeBaselineSeconds: median(nodeTimes) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function printResults(results, log) {
  const m = results.machine;
  log(`\nMachine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${m.platform}, Node ${m.node}${m.ripgrep ? `, ${m.ripgrep}` : ''}; peak RSS via ${m.rss}`);
  log(`Load average (1/5/15 min) at start ${m.loadAverageAtStart.join(' ')}, at end ${results.loadAverageAtEnd.join(' ')}`);
  for (const note of results.notes) log(`Note: ${note}`);
  const rows = [];
  for (const size of results.sizes) {
    const rgSpeed = size.tools.find((t) => t.tool.startsWith('rg'))?.mbPerSecond;
    for (const t of size.tools) {
      const vsRg = rgSpeed ? `${fixed((t.mbPerSecond / rgSpeed) * 100, 1)}%` : 'n/a';
      const recall = t.found === null ? 'n/a' : t.tool.startsWith('rg') ? `${t.found}/${t.plantedTotal} (key ids only)` : `${t.found}/${t.plantedTotal} (${fixed(t.recall * 100, 1)}%)`;
      const findings = `${t.findings}${t.findingsUnit === 'files' ? ' files' : t.findingsUnit ? ' lines' : ''}`;
      rows.push([`${size.sizeMB} MB: ${t.tool}`, size.files, fixed(size.bytes / MB, 1), fixed(t.medianSeconds, 3), fixed(t.mbPerSecond, 1), vsRg, mb(t.peakRssKB), findings, recall, t.falsePositives ?? 'n/a']);
    }
  }
  log('');
  log(table(['corpus: tool', 'files', 'MB', 'wall s (median)', 'MB/s', 'MB/s vs rg', 'peak RSS MB', 'findings', 'planted found', 'false pos.'], rows));
  for (const size of results.sizes) {
    if (size.throughputRatio !== undefined) log(`${size.sizeMB} MB: keywarden/rg throughput = ${fixed(size.throughputRatio * 100, 1)}%`);
    const floor = size.tools.find((t) => t.tool === NODE_FLOOR_LABEL);
    const rgResult = size.tools.find((t) => t.tool.startsWith('rg'));
    if (floor && rgResult) log(`${size.sizeMB} MB: node floor/rg throughput = ${fixed((floor.mbPerSecond / rgResult.mbPerSecond) * 100, 1)}% (one thread that only reads each file and searches one literal)`);
    const kw = size.tools.find((t) => t.tool === 'keywarden');
    if (floor && kw) log(`${size.sizeMB} MB: keywarden takes ${fixed(kw.medianSeconds / floor.medianSeconds, 1)}x the node floor's time`);
  }
  for (const size of results.sizes) {
    for (const t of size.tools) {
      if (t.missed?.length) log(`${size.sizeMB} MB ${t.tool} missed: ${t.missed.map((s) => `${s.syntax} ${s.ruleId} ${s.planted - s.found}/${s.planted}`).join('; ')}`);
      if (t.falsePositives) log(`${size.sizeMB} MB ${t.tool} false positives: ${Object.entries(t.falsePositivesByKind).map(([k, n]) => `${k} x${n}`).join('; ')}`);
    }
  }
  if (results.startup) log(`Startup, one small file: ${ms(results.startup.medianSeconds)} median of ${results.startup.runs} (node -e '' alone: ${ms(results.startup.nodeBaselineSeconds)})`);
  if (results.staged) log(`--staged, ${results.staged.files}-file change: ${ms(results.staged.medianSeconds)} median of ${results.staged.runs}; findings ${results.staged.findings} (planted ${results.staged.planted})`);
  const e = results.eslint;
  if (e && !e.skipped) {
    log(`ESLint, ${e.files} TypeScript files (${fixed(e.bytes / MB, 1)} MB), @typescript-eslint/parser + eslint:recommended: ${fixed(e.baselineSeconds)} s, with keywarden recommended ${fixed(e.pluginSeconds)} s -> overhead ${fixed(e.overheadPercent, 1)}% (median of ${e.runs} back-to-back pairs; plugin reported ${e.pluginMessages}, planted ${e.planted})`);
    log(`  against a config with no rules at all (upper bound: a single no-op rule costs about as much, ESLint's per-rule machinery): ${fixed(e.noRulesBaselineSeconds)} s -> ${fixed(e.noRulesPluginSeconds)} s, ${fixed(e.noRulesOverheadPercent, 1)}%`);
    if (e.fatal) log(`  warning: ${e.fatal} parse errors in the generated tree; rules do not run on those files`);
  }
  log('\nTargets (issue 6):');
  for (const target of results.targets) log(`  ${target.met === null ? 'n/a ' : target.met ? 'met ' : 'MISS'}  ${target.name}: ${target.measured}`);
}

function targets(results) {
  const largest = [...results.sizes].sort((a, b) => b.sizeMB - a.sizeMB)[0];
  const kwRss = results.sizes.flatMap((s) => s.tools.filter((t) => t.tool === 'keywarden').map((t) => t.peakRssKB ?? 0));
  const list = [];
  list.push({
    name: `throughput >= 50% of rg (${largest?.sizeMB ?? '?'} MB)`,
    measured: largest?.throughputRatio !== undefined ? `${fixed(largest.throughputRatio * 100, 1)}%` : 'not measured',
    met: largest?.throughputRatio !== undefined ? largest.throughputRatio >= 0.5 : null,
  });
  list.push({ name: 'peak RSS < 200 MB', measured: kwRss.length ? `${mb(Math.max(...kwRss))} MB` : 'not measured', met: kwRss.length ? Math.max(...kwRss) < 200 * 1024 : null });
  list.push({ name: 'startup < 150 ms', measured: results.startup ? ms(results.startup.medianSeconds) : 'not measured', met: results.startup ? results.startup.medianSeconds < 0.15 : null });
  list.push({ name: '--staged (10 files) < 300 ms', measured: results.staged ? ms(results.staged.medianSeconds) : 'not measured', met: results.staged ? results.staged.medianSeconds < 0.3 : null });
  return list;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const log = options.json ? (line) => process.stderr.write(`${line}\n`) : (line) => console.log(line);
  const cli = keywardenCli(repoRoot);
  const rg = ripgrep();
  const results = { machine: machine(rg), seed: options.seed, notes: [], sizes: [] };
  if (!cli.available) results.notes.push(`keywarden CLI skipped (${cli.reason}); timing the core in-process instead`);
  if (!rg.available) results.notes.push(`ripgrep skipped: ${rg.reason}`);
  const ctx = { options, cli, rg, log };
  if (options.only === 'history' || (options.only === undefined && cli.available)) {
    log('\n--history beside git log -p ...');
    results.history = await benchHistory(cli, { log, ...(options.runs ? { runs: options.runs } : {}) });
  }
  if (options.only === 'history') {
    printHistory(results.history, log);
    for (const t of historyTargets(results.history)) log(`  ${t.met === null ? 'n/a ' : t.met ? 'met ' : 'MISS'}  ${t.name}: ${t.measured}`);
    if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  for (const size of options.sizes) results.sizes.push(await benchSize(size, ctx));
  if (cli.available) {
    log('\nstartup ...');
    results.startup = benchStartup(cli);
    if (!options.staged) results.notes.push('--staged skipped (--skip-staged)');
    else if (!cli.supportsStaged) results.notes.push('--staged skipped: `keywarden scan --help` does not list --staged');
    else {
      log('--staged ...');
      results.staged = benchStaged(cli);
    }
  }
  if (options.eslint) {
    log('ESLint overhead (2,000 TypeScript files) ...');
    results.eslint = benchEslint(repoRoot, path.join(CORPUS_ROOT, 'eslint-ts'));
    if (results.eslint.skipped) results.notes.push(`ESLint overhead skipped: ${results.eslint.skipped}`);
  }
  results.loadAverageAtEnd = os.loadavg().map((n) => Number(n.toFixed(2)));
  results.targets = [...targets(results), ...historyTargets(results.history ?? [])];
  printResults(results, log);
  if (results.history) printHistory(results.history, log);
  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error) => {
  console.error(`bench: ${error.stack ?? error.message}`);
  process.exit(2);
});
