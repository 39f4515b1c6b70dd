/**
 * `keywarden scan --repos` on an organisation of generated repositories (issue 17): repositories per
 * minute and peak RSS for a whole list (cold: every repository cloned into an empty cache; warm:
 * the same cache again, fetch only) and for each of N shards run one after another, each with its
 * own empty cache as a separate CI job or pod would have. No peer audits a list of repositories,
 * so the figures are absolute.
 *
 *   node bench/run.js --only repos [--repos-count 300] [--shards 4]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRepo } from './history.js';
import { run } from './measure.js';
import { fixed, mb, table } from './report.js';
import { readReport } from './tools.js';

const PROBE = fileURLToPath(new URL('./rss-probe.js', import.meta.url));
const here = path.dirname(fileURLToPath(import.meta.url));
const ORGS_ROOT = path.join(here, '..', '.corpus', 'repos');
/** Bump when the generator changes: an organisation built by other code is rebuilt. */
const GENERATOR_VERSION = 1;

/** A small service repository: 20 commits over 15 files of 2 KB. Every 10th one leaks two key ids. */
const SMALL = { commits: 20, files: 15, fileBytes: 2 * 1024, filesPerCommit: 2, changedLines: 2 };
const LEAKY_EVERY = 10;

async function ensureOrg(count, seed, log) {
  const root = path.join(ORGS_ROOT, `v${GENERATOR_VERSION}-s${seed}-n${count}`);
  const stamp = path.join(root, 'planted');
  if (!existsSync(stamp)) {
    log(`  building ${count} repositories (git fast-import), every ${LEAKY_EVERY}th with keys ...`);
    rmSync(root, { recursive: true, force: true });
    let planted = 0;
    for (let i = 0; i < count; i++) {
      const plantEvery = i % LEAKY_EVERY === 0 ? 8 : Infinity;
      planted += await buildRepo(path.join(root, `service-${String(i).padStart(4, '0')}`), { ...SMALL, plantEvery }, seed + i);
    }
    writeFileSync(stamp, String(planted));
  }
  const repos = Array.from({ length: count }, (_, i) => path.join(root, `service-${String(i).padStart(4, '0')}`));
  return { root, repos, planted: Number(readFileSync(stamp, 'utf8')) };
}

/** Measures a cold and a warm audit of `count` repositories, then `shards` shards of it. */
export async function benchRepos(cli, { count = 300, shards = 4, seed = 17, log = console.log } = {}) {
  const org = await ensureOrg(count, seed, log);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kw-bench-repos-'));
  const list = path.join(scratch, 'repos.txt');
  writeFileSync(list, `${org.repos.join('\n')}\n`);
  const audit = (name, cacheDir, extra = []) => {
    const slug = name.replace(/[^a-z0-9]+/gi, '-');
    const output = path.join(scratch, `${slug}.json`);
    const nodeRss = path.join(scratch, `${slug}.rss`);
    const result = run(process.execPath, cli.reposArgs(list, cacheDir, output, extra), {
      cwd: scratch,
      node: true,
      env: { KW_BENCH_RSS_FILE: nodeRss, NODE_OPTIONS: `--import=${PROBE}` },
    });
    const report = readReport(result, output);
    const scanned = report.repositories.filter((entry) => entry.status === 'scanned').length;
    if (scanned !== report.repositories.length)
      throw new Error(`${name}: ${report.repositories.length - scanned} repositories not scanned`);
    const row = {
      pass: name,
      repositories: scanned,
      seconds: result.seconds,
      reposPerMinute: (scanned / result.seconds) * 60,
      nodePeakRssKB: existsSync(nodeRss) ? Number(readFileSync(nodeRss, 'utf8')) : null,
      withGitPeakRssKB: result.rssKB,
      findings: report.findings.filter((f) => f.ruleId === 'aws-access-key-id').length,
    };
    log(`  ${name}: ${scanned} repositories in ${fixed(result.seconds)} s (${fixed(row.reposPerMinute, 0)} a minute)`);
    return row;
  };
  try {
    const cache = path.join(scratch, 'cache');
    const rows = [audit('whole list, cold cache', cache), audit('whole list, warm cache', cache)];
    for (let k = 1; k <= shards; k++) {
      const shardCache = path.join(scratch, `cache-${k}`);
      mkdirSync(shardCache);
      rows.push(audit(`shard ${k}/${shards}, cold cache`, shardCache, ['--shard', `${k}/${shards}`]));
    }
    return { repositories: count, planted: org.planted, shards, loadAverage: os.loadavg().map((n) => Number(n.toFixed(2))), rows };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function printRepos(result, log) {
  const shardRows = result.rows.filter((row) => row.pass.startsWith('shard'));
  log('');
  log(
    table(
      [
        'scan --repos pass',
        'repositories',
        'wall s',
        'repos/minute',
        'peak RSS MB (node)',
        'with its git children',
        'key ids found/planted',
      ],
      result.rows.map((row) => [
        row.pass,
        row.repositories,
        fixed(row.seconds),
        fixed(row.reposPerMinute, 0),
        mb(row.nodePeakRssKB),
        mb(row.withGitPeakRssKB),
        `${row.findings}/${row.pass.startsWith('shard') ? '-' : result.planted}`,
      ]),
    ),
  );
  const shardFindings = shardRows.reduce((sum, row) => sum + row.findings, 0);
  const perShard = shardRows.map((row) => row.reposPerMinute);
  log(
    `Shards: ${fixed(Math.min(...perShard), 0)}-${fixed(Math.max(...perShard), 0)} repositories a minute each; key ids found across the ${result.shards} shards ${shardFindings}/${result.planted}`,
  );
}
