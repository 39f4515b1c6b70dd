/**
 * `keywarden scan --history` beside `git log -p > /dev/null` (the floor gitleaks and trufflehog pay)
 * on generated repositories built with `git fast-import`: many small commits, and few commits of
 * many large files. Both run in the same process order, alternately; wall time and peak RSS.
 *
 *   node bench/run.js --only history [--runs N]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKeys } from './keys.js';
import { median, run } from './measure.js';
import { createRandom } from './random.js';
import { fixed, mb, table } from './report.js';
import { readReport } from './tools.js';

const PROBE = fileURLToPath(new URL('./rss-probe.js', import.meta.url));

const here = path.dirname(fileURLToPath(import.meta.url));
const REPOS_ROOT = path.join(here, '..', '.corpus', 'history');
/** Bump when the generator changes: a repository built by other code is rebuilt. */
const GENERATOR_VERSION = 1;

/** The shapes measured: (a) a long history of small commits, (b) a short one of many large files. */
export const HISTORY_SHAPES = [
  { name: 'many-commits', commits: 5000, files: 300, fileBytes: 4 * 1024, filesPerCommit: 3, changedLines: 2, plantEvery: 250 },
  { name: 'large-files', commits: 30, files: 60, fileBytes: 400 * 1024, filesPerCommit: 60, changedLines: 100, plantEvery: 7 },
];

const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' };

function line(random) {
  return `${random.pick(['const', 'let', 'export const', 'value', '  field', '#'])} ${random.alnum(random.int(6, 14))} = '${random.alnum(random.int(10, 40))}';\n`;
}

async function writeAll(stream, text) {
  if (!stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
}

/**
 * Streams the repository into `git fast-import`: each commit changes `filesPerCommit` files by
 * replacing `changedLines` random lines; every `plantEvery`-th commit adds one access key id line.
 */
export async function buildRepo(dir, shape, seed) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, ...GIT_ENV };
  const git = (args) =>
    new Promise((resolve, reject) =>
      spawn('git', args, { cwd: dir, env, stdio: 'ignore' }).on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`git ${args[0]} exit ${code}`)),
      ),
    );
  await git(['init', '-q', '-b', 'main']);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, env, stdio: ['pipe', 'ignore', 'inherit'] });
  const closed = new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exit ${code}`)))),
  );
  const random = createRandom(seed);
  const keys = createKeys(random);
  const linesPerFile = Math.max(1, Math.round(shape.fileBytes / 48));
  const files = Array.from({ length: shape.files }, () => Array.from({ length: linesPerFile }, () => line(random)));
  let planted = 0;
  for (let c = 0; c < shape.commits; c++) {
    const touched = c === 0 ? files.map((_, i) => i) : Array.from({ length: shape.filesPerCommit }, () => random.int(0, shape.files - 1));
    const unique = [...new Set(touched)];
    for (const f of unique) {
      if (c === 0) continue;
      for (let k = 0; k < shape.changedLines; k++) files[f][random.int(0, linesPerFile - 1)] = line(random);
    }
    if (c > 0 && c % shape.plantEvery === 0) {
      const f = unique[0];
      files[f][random.int(0, linesPerFile - 1)] = `aws_access_key_id = ${keys.keyId()}\n`;
      planted++;
    }
    const date = 1_600_000_000 + c * 60;
    const message = `commit ${c}\n`;
    let text = `commit refs/heads/main\ncommitter Bench <bench@example.com> ${date} +0000\ndata ${Buffer.byteLength(message)}\n${message}`;
    await writeAll(child.stdin, text);
    for (const f of unique) {
      const body = files[f].join('');
      await writeAll(child.stdin, `M 100644 inline src/dir${f % 10}/file${f}.txt\ndata ${Buffer.byteLength(body)}\n${body}\n`);
    }
    await writeAll(child.stdin, '\n');
  }
  child.stdin.end();
  await closed;
  await git(['reset', '-q', '--hard']);
  return planted;
}

async function ensureRepo(shape, seed, log) {
  const dir = path.join(REPOS_ROOT, `${shape.name}-v${GENERATOR_VERSION}-s${seed}`);
  const stamp = path.join(dir, '.git', 'kw-bench-planted');
  if (!existsSync(stamp)) {
    log(`  building ${shape.name}: ${shape.commits} commits, ${shape.files} files of ${shape.fileBytes / 1024} KB (git fast-import) ...`);
    const planted = await buildRepo(dir, shape, seed);
    writeFileSync(stamp, String(planted));
  }
  return { dir, planted: Number(readFileSync(stamp, 'utf8')) };
}

/** Measures every shape; `runs` timed runs per tool after one warm-up each. */
export async function benchHistory(cli, { runs = 3, seed = 13, log = console.log, shapes = HISTORY_SHAPES } = {}) {
  const results = [];
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kw-bench-history-'));
  try {
    for (const shape of shapes) {
      const { dir, planted } = await ensureRepo(shape, seed, log);
      const output = path.join(scratch, `${shape.name}.json`);
      // keywarden's own peak RSS (the Node process, through the preload probe) beside GNU time's
      // figure, which is the largest of the process and its git children (git maps pack files).
      const nodeRss = path.join(scratch, `${shape.name}.rss`);
      const kwRun = () => {
        const result = run(process.execPath, [...cli.historyArgs(output)], {
          cwd: dir,
          node: true,
          env: { KW_BENCH_RSS_FILE: nodeRss, NODE_OPTIONS: `--import=${PROBE}` },
        });
        return { ...result, nodeRssKB: existsSync(nodeRss) ? Number(readFileSync(nodeRss, 'utf8')) : result.rssKB };
      };
      const gitRun = () => run('sh', ['-c', 'git log -p > /dev/null'], { cwd: dir, env: GIT_ENV });
      kwRun();
      gitRun();
      const kw = [];
      const git = [];
      for (let i = 0; i < runs; i++) {
        kw.push(kwRun());
        git.push(gitRun());
        log(`  ${shape.name} run ${i + 1}/${runs}: keywarden ${fixed(kw.at(-1).seconds)} s, git log -p ${fixed(git.at(-1).seconds)} s`);
      }
      const report = readReport(kw.at(-1), output);
      const peak = (list) => {
        const values = list.map((r) => r.rssKB).filter((v) => v !== null);
        return values.length ? Math.max(...values) : null;
      };
      const kwSeconds = median(kw.map((r) => r.seconds));
      const gitSeconds = median(git.map((r) => r.seconds));
      results.push({
        shape: shape.name,
        commits: shape.commits,
        files: shape.files,
        fileKB: shape.fileBytes / 1024,
        runs,
        keywardenSeconds: kwSeconds,
        gitLogSeconds: gitSeconds,
        timeRatio: kwSeconds / gitSeconds,
        keywardenPeakRssKB: Math.max(...kw.map((r) => r.nodeRssKB ?? 0)) || null,
        keywardenWithGitPeakRssKB: peak(kw),
        gitLogPeakRssKB: peak(git),
        findings: report.findings.filter((f) => f.ruleId === 'aws-access-key-id').length,
        planted,
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

export function printHistory(results, log) {
  const rows = results.map((r) => [
    `${r.shape} (${r.commits} commits, ${r.files} files x ${r.fileKB} KB)`,
    fixed(r.keywardenSeconds),
    fixed(r.gitLogSeconds),
    fixed(r.timeRatio),
    mb(r.keywardenPeakRssKB),
    mb(r.keywardenWithGitPeakRssKB),
    mb(r.gitLogPeakRssKB),
    `${r.findings}/${r.planted}`,
  ]);
  log('');
  log(
    table(
      [
        'history repository',
        'keywarden --history s',
        'git log -p s',
        'time ratio',
        'keywarden peak RSS MB (node)',
        'with its git children',
        'git log -p peak RSS MB',
        'key ids found/planted',
      ],
      rows,
    ),
  );
}

/** Targets (issue 13): time <= git log -p, peak RSS < 250 MB, every planted key found. */
export function historyTargets(results) {
  if (results.length === 0) return [];
  const worstRatio = Math.max(...results.map((r) => r.timeRatio));
  const rss = results.map((r) => r.keywardenPeakRssKB).filter((v) => v !== null);
  return [
    { name: '--history time <= git log -p', measured: `worst ratio ${fixed(worstRatio)}`, met: worstRatio <= 1 },
    {
      name: '--history peak RSS < 250 MB',
      measured: rss.length ? `${mb(Math.max(...rss))} MB` : 'not measured',
      met: rss.length ? Math.max(...rss) < 250 * 1024 : null,
    },
    {
      name: '--history finds every planted key',
      measured: results.map((r) => `${r.findings}/${r.planted}`).join(', '),
      met: results.every((r) => r.findings === r.planted),
    },
  ];
}
