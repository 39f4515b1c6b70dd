/**
 * Timing and memory of child processes. Wall time is taken around the spawn; peak RSS comes from
 * GNU time (`-f %M`, kilobytes, written to its own file so the tool's stderr stays clean). Without
 * GNU time, a Node child reports its own `process.resourceUsage().maxRSS` through a preload module
 * (rss-probe.js); other children get no RSS figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const GNU_TIME = '/usr/bin/time';
const PROBE = fileURLToPath(new URL('./rss-probe.js', import.meta.url));

export function hasCommand(command) {
  const result = spawnSync(command, ['--version'], { stdio: 'ignore' });
  return !result.error;
}

let gnuTime;
function gnuTimeWorks() {
  if (gnuTime === undefined) {
    gnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).stderr.trim().match(/^\d+$/) !== null;
  }
  return gnuTime;
}

export function rssMethod() {
  return gnuTimeWorks() ? 'GNU time %M' : 'Node resourceUsage (Node children only)';
}

/**
 * Runs `command args` once; returns wall seconds, peak RSS in KB (or null), exit status and output.
 * `node: true` marks a Node child, which the fallback probe can measure.
 */
export function run(command, args, { cwd, env, node = false, maxBuffer = 256 * 1024 * 1024 } = {}) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kw-bench-'));
  const rssFile = path.join(scratch, 'rss');
  let file = command;
  let argv = args;
  let childEnv = { ...process.env, ...env };
  if (gnuTimeWorks()) {
    file = GNU_TIME;
    argv = ['-f', '%M', '-o', rssFile, command, ...args];
  } else if (node) {
    childEnv = { ...childEnv, KW_BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `${childEnv.NODE_OPTIONS ?? ''} --import=${PROBE}`.trim() };
  }
  const started = performance.now();
  const result = spawnSync(file, argv, { cwd, env: childEnv, encoding: 'utf8', maxBuffer });
  const seconds = (performance.now() - started) / 1000;
  if (result.error) throw result.error;
  let rssKB = null;
  if (existsSync(rssFile)) {
    // GNU time prefixes "Command exited with non-zero status N" when the child exits non-zero.
    const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
    const value = Number(lines[lines.length - 1]);
    if (Number.isFinite(value) && value > 0) rssKB = value;
  }
  rmSync(scratch, { recursive: true, force: true });
  return { seconds, rssKB, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
