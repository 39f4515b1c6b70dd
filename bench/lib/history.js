/**
 * `keywarden scan --history` beside `git log -p > /dev/null` (the floor gitleaks and trufflehog pay)
 * on generated repositories built with `git fast-import`: many small commits, and few commits of
 * many large files. Both run in the same process order, alternately; wall time and peak RSS.
 *
 *   node bench/run.js --only history [--runs N]
 *   KEYWARDEN_BENCH_HISTORY_REPO=/path/to/clone node bench/run.js --only history [--history-depth N]   # also a real history
 */
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * keywarden (`kwArgs(output)`) and `git log -p REVS > /dev/null` alternately in `dir`: one warm-up
 * each, then `runs` timed pairs; medians, and peak RSS of keywarden's own Node process beside GNU
 * time's figure, which is the largest of the process and its git children (git maps pack files).
 */
function timeBesideGitLog(cli, { dir, name, kwArgs, gitRevs = [], runs, scratch, log }) {
  const output = path.join(scratch, `${name}.json`);
  const nodeRss = path.join(scratch, `${name}.rss`);
  const kwRun = () => {
    const result = run(process.execPath, kwArgs(output), {
      cwd: dir,
      node: true,
      env: { KW_BENCH_RSS_FILE: nodeRss, NODE_OPTIONS: `--import=${PROBE}` },
    });
    return { ...result, nodeRssKB: existsSync(nodeRss) ? Number(readFileSync(nodeRss, 'utf8')) : result.rssKB };
  };
  // As a user would run it: git writes the patches into a pipe or file, here /dev/null.
  const gitRun = () => run('sh', ['-c', 'git log -p "$@" > /dev/null', 'sh', ...gitRevs], { cwd: dir, env: GIT_ENV });
  kwRun();
  gitRun();
  const kw = [];
  const git = [];
  for (let i = 0; i < runs; i++) {
    kw.push(kwRun());
    git.push(gitRun());
    if (git.at(-1).status !== 0) throw new Error(`git log -p ${gitRevs.join(' ')} exited ${git.at(-1).status}`);
    log(`  ${name} run ${i + 1}/${runs}: keywarden ${fixed(kw.at(-1).seconds)} s, git log -p ${fixed(git.at(-1).seconds)} s`);
  }
  const report = readReport(kw.at(-1), output);
  const peak = (list) => {
    const values = list.map((r) => r.rssKB).filter((v) => v !== null);
    return values.length ? Math.max(...values) : null;
  };
  const kwSeconds = median(kw.map((r) => r.seconds));
  const gitSeconds = median(git.map((r) => r.seconds));
  return {
    runs,
    keywardenSeconds: kwSeconds,
    gitLogSeconds: gitSeconds,
    timeRatio: kwSeconds / gitSeconds,
    keywardenPeakRssKB: Math.max(...kw.map((r) => r.nodeRssKB ?? 0)) || null,
    keywardenWithGitPeakRssKB: peak(kw),
    gitLogPeakRssKB: peak(git),
    report,
  };
}

/** Measures every shape; `runs` timed runs per tool after one warm-up each. */
export async function benchHistory(cli, { runs = 3, seed = 13, log = console.log, shapes = HISTORY_SHAPES } = {}) {
  const results = [];
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kw-bench-history-'));
  try {
    for (const shape of shapes) {
      const { dir, planted } = await ensureRepo(shape, seed, log);
      const { report, ...timing } = timeBesideGitLog(cli, {
        dir,
        name: shape.name,
        kwArgs: (output) => cli.historyArgs(output),
        runs,
        scratch,
        log,
      });
      results.push({
        shape: shape.name,
        label: `${shape.name} (${shape.commits} commits, ${shape.files} files x ${shape.fileBytes / 1024} KB)`,
        ...timing,
        findings: report.findings.filter((f) => f.ruleId === 'aws-access-key-id').length,
        planted,
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

/**
 * A real repository's history (a clone or a bare mirror, e.g. boto/botocore: kept out of git):
 * `scan --history` beside `git log -p`, over the whole history or, with `depth`, the last `depth`
 * commits (`--since REV` beside `git log -p REV..HEAD`); with `depth`, also `scan --diff REV...HEAD`
 * (what the Action scans for a pull request) beside the same `git log -p REV..HEAD`, which is what
 * a scanner reading patches pays for that range.
 */
export function benchRealHistory(cli, { dir, depth, runs = 3, log = console.log }) {
  const git = (...args) => {
    const result = spawnSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} in ${dir}: ${(result.stderr || '').trim().split('\n')[0]}`);
    return result.stdout.trim();
  };
  const total = Number(git('rev-list', '--count', 'HEAD'));
  const since = depth && depth < total ? git('rev-list', '--max-count=1', `--skip=${depth}`, 'HEAD') : undefined;
  const commits = Number(git('rev-list', '--count', '--no-merges', since ? `${since}..HEAD` : 'HEAD'));
  // A mirror is often kept as OWNER+NAME/repo or NAME.git: name it by the directory that says which.
  const resolved = path.resolve(dir);
  const base = path.basename(resolved).replace(/\.git$/, '');
  const name = base === '' || base === 'repo' ? path.basename(path.dirname(resolved)) : base;
  const scope = since ? `last ${depth} commits, ${commits} without merges` : `${commits} commits without merges`;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kw-bench-real-history-'));
  const results = [];
  try {
    log(`  ${name}: ${scope}`);
    const history = timeBesideGitLog(cli, {
      dir,
      name: `${name}-history`,
      kwArgs: (output) => cli.historyArgs(output, since ? ['--since', since] : []),
      gitRevs: since ? [`${since}..HEAD`] : [],
      runs,
      scratch,
      log,
    });
    results.push(realRow(`${name} --history (${scope})`, history));
    if (since) {
      const diff = timeBesideGitLog(cli, {
        dir,
        name: `${name}-diff`,
        kwArgs: (output) => cli.diffArgs(`${since}...HEAD`, output),
        gitRevs: [`${since}..HEAD`],
        runs,
        scratch,
        log,
      });
      results.push(realRow(`${name} --diff REV...HEAD (${scope})`, diff));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

function realRow(label, { report, ...timing }) {
  return { shape: 'real', label, ...timing, findings: report.findings.length, planted: null };
}

export function printHistory(results, log) {
  const rows = results.map((r) => [
    r.label,
    fixed(r.keywardenSeconds),
    fixed(r.gitLogSeconds),
    fixed(r.timeRatio),
    mb(r.keywardenPeakRssKB),
    mb(r.keywardenWithGitPeakRssKB),
    mb(r.gitLogPeakRssKB),
    r.planted === null ? `${r.findings} findings` : `${r.findings}/${r.planted}`,
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
        'key ids found/planted (real: findings)',
      ],
      rows,
    ),
  );
}

/** Targets (issue 13): time <= git log -p, peak RSS < 250 MB, every planted key found. */
export function historyTargets(results) {
  if (results.length === 0) return [];
  const worstRatio = Math.max(...results.map((r) => r.timeRatio));
  const planted = results.filter((r) => r.planted !== null);
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
      measured: planted.map((r) => `${r.findings}/${r.planted}`).join(', '),
      met: planted.every((r) => r.findings === r.planted),
    },
  ];
}
