/**
 * `keywarden scan --staged` end to end: a temporary git repository with one commit and a 10-file
 * change staged on top (one file carries a credential pair), scanned several times.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, run } from './measure.js';
import { readReport } from './tools.js';
import { writeTsTree } from './trees.js';

function git(cwd, ...args) {
  execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
}

export function benchStaged(cli, { runs = 10, files = 10 } = {}) {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'kw-bench-staged-'));
  const output = path.join(repo, '..', `${path.basename(repo)}.json`);
  try {
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.email', 'bench@example.com');
    git(repo, 'config', 'user.name', 'bench');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'initial');
    const tree = writeTsTree(repo, { count: files, seed: 10, plantEvery: files, clean: false });
    git(repo, 'add', '--', ...tree.files);
    const times = [];
    let report;
    for (let i = 0; i < runs + 1; i++) {
      const result = run(process.execPath, cli.stagedArgs(output), { cwd: repo, node: true });
      report = readReport(result, output);
      if (i > 0) times.push(result.seconds); // the first run warms the cache
    }
    return { files, runs, medianSeconds: median(times), findings: report.findings.length, planted: tree.planted };
  } finally {
    rmSync(repo, { recursive: true, force: true });
    rmSync(output, { force: true });
  }
}
