/**
 * The tools the benchmark runs, as commands plus a reader for what they print: keywarden's CLI
 * (JSON report) and ripgrep with one key-id regex (per-file matching-line counts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasCommand } from './measure.js';

export const RG_PATTERN = '(AKIA|ASIA)[A-Z2-7]{16}';

export function keywardenCli(repoRoot) {
  const bin = path.join(repoRoot, 'bin/keywarden.js');
  const built = path.join(repoRoot, 'dist/src/cli/bin.js');
  const help = (args) => spawnSync(process.execPath, [bin, ...args, '--help'], { encoding: 'utf8' }).stdout ?? '';
  let available = false;
  let reason = '';
  let scanHelp = '';
  if (!existsSync(bin)) reason = 'bin/keywarden.js missing';
  else if (!existsSync(built)) reason = 'dist/src/cli/bin.js missing (run npm run build)';
  else {
    // A smoke run: the CLI must scan one file and write a JSON report with a findings array.
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'kw-bench-cli-'));
    writeFileSync(path.join(scratch, 'a.txt'), 'nothing to see\n');
    const out = path.join(scratch, 'out.json');
    const result = spawnSync(process.execPath, [bin, 'scan', 'a.txt', '--format', 'json', '--output', out], {
      cwd: scratch,
      encoding: 'utf8',
    });
    try {
      available = Array.isArray(JSON.parse(readFileSync(out, 'utf8')).findings);
    } catch {
      reason = `smoke scan failed (exit ${result.status}): ${(result.stderr || '').trim().split('\n')[0]}`;
    }
    rmSync(scratch, { recursive: true, force: true });
    scanHelp = available ? help(['scan']) : '';
  }
  // Hermetic runs: no config file found by searching upward from the corpus.
  const extra = scanHelp.includes('--no-config') ? ['--no-config'] : [];
  return {
    available,
    reason,
    supportsStaged: /--staged\b/.test(scanHelp),
    /** argv for a JSON scan of `target` written to `output`. */
    scanArgs: (target, output) => [bin, 'scan', target, '--format', 'json', '--output', output, ...extra],
    stagedArgs: (output) => [bin, 'scan', '--staged', '--format', 'json', '--output', output, ...extra],
    historyArgs: (output, more = []) => [bin, 'scan', '--history', ...more, '--format', 'json', '--output', output, ...extra],
    diffArgs: (range, output) => [bin, 'scan', '--diff', range, '--format', 'json', '--output', output, ...extra],
    reposArgs: (list, cacheDir, output, more = []) => [
      bin,
      'scan',
      '--repos',
      list,
      '--cache-dir',
      cacheDir,
      '--format',
      'json',
      '--output',
      output,
      ...more,
      ...extra,
    ],
  };
}

/** Reads a keywarden JSON report; exit codes 0 (clean) and 1 (found) are both successes. */
export function readReport(result, output) {
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`keywarden exited ${result.status}: ${result.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
  }
  return JSON.parse(readFileSync(output, 'utf8'));
}

export function ripgrep() {
  const available = hasCommand('rg');
  // --hidden --no-ignore: read the same files keywarden reads (.env files, .github/ and the like).
  return {
    available,
    reason: available ? '' : 'ripgrep (rg) not installed: apt-get install -y ripgrep',
    countArgs: (target) => ['-c', '--hidden', '--no-ignore', '--no-messages', RG_PATTERN, target],
    locateArgs: (target) => ['-n', '--column', '-o', '--no-heading', '--hidden', '--no-ignore', '--no-messages', RG_PATTERN, target],
  };
}

/** Sum of `path:count` lines: the number of lines that match. rg exits 1 when nothing matched. */
export function sumRgCounts(stdout) {
  let total = 0;
  for (const line of stdout.split('\n')) {
    const count = Number(line.slice(line.lastIndexOf(':') + 1));
    if (line && Number.isFinite(count)) total += count;
  }
  return total;
}

/** `path:line:column:match` lines as findings (every rg match is an access-key-id candidate). */
export function parseRgMatches(stdout) {
  const findings = [];
  for (const line of stdout.split('\n')) {
    const m = /^(.*):(\d+):(\d+):((?:AKIA|ASIA)[A-Z2-7]{16})$/.exec(line);
    if (!m) continue;
    const file = m[1].replace(/^\.\//, '');
    const ruleId = m[4].startsWith('ASIA') ? 'aws-temporary-access-key-id' : 'aws-access-key-id';
    findings.push({ path: file, line: Number(m[2]), column: Number(m[3]), ruleId });
  }
  return findings;
}

/**
 * git-secrets (awslabs; Debian package `git-secrets`) with its AWS patterns, as a user installs it:
 * `git secrets --register-aws`, written to a private global config so the bench touches no real
 * one. A tree outside any repository is scanned with its documented `--scan --no-index` (git grep
 * over the current directory, one regex alternation of the AWS patterns). `dispose()` removes the config.
 */
export function gitSecrets() {
  if (spawnSync('git', ['secrets', '--list'], { stdio: 'ignore' }).status === null) return { available: false, reason: 'git not found' };
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kw-bench-gitsecrets-'));
  const config = path.join(scratch, 'gitconfig');
  writeFileSync(config, '');
  const env = { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: '1' };
  const register = spawnSync('git', ['secrets', '--register-aws', '--global'], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const dispose = () => rmSync(scratch, { recursive: true, force: true });
  if (register.status !== 0) {
    dispose();
    return {
      available: false,
      reason: `git secrets --register-aws failed: ${(register.stderr || register.stdout || 'not installed').trim().split('\n')[0]}`,
    };
  }
  const version = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'git-secrets'], { encoding: 'utf8' }).stdout || 'unknown version';
  return { available: true, version: `git-secrets ${version}`, env, args: ['secrets', '--scan', '--no-index'], dispose };
}

/** git-secrets prints `path:line:match` for each matching line (exit 1 when something matched). */
export function countGitSecretsLines(stderr) {
  return stderr.split('\n').filter((line) => /^[^:\s][^:]*:\d+:/.test(line)).length;
}
