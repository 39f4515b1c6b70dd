import { spawn } from 'node:child_process';
import { catalog } from '../../rules/index.js';

/**
 * A native first pass over a directory: one `git grep --no-index -L` lists the files that hold none
 * of the rules' anchors, no NUL byte and no UTF-16 byte-order mark. Those files cannot produce a
 * finding (the byte prefilter in process-file.ts would call them clean), so the scan only stats
 * them; every other file, and every file git did not list, is read and scanned by Node as before.
 * The direction matters: a file is passed over only when git positively examined it and found
 * nothing, so a file git skipped, failed to read or never saw still goes through the full scan.
 * git is already a runtime dependency of the git modes; without it (or on any error) the scan runs
 * the pure-Node path alone.
 */

/** PCRE-escaped: anchors are ASCII literals, some with `.` or spaces. */
function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/**
 * The byte prefilter's covering fragments (every anchor contains one, so a file without any holds
 * no anchor: a few short alternatives cost git far less than every anchor spelled out), plus NUL (binary files and UTF-16 text
 * go to the Node path, which tells them apart) and both UTF-16 BOM byte orders anywhere in a file
 * (a superset of a BOM at its start).
 */
export function gitPrefilterPattern(): string {
  return [...catalog.prefilterAnchors.fragments.map(escapeRegex), '\\x00', '\\xff\\xfe', '\\xfe\\xff'].join('|');
}

/** Past this much output the rest of git's list is dropped: the files it would have named are scanned by Node. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** A git that runs longer than this is stopped and its list discarded (the Node path then scans every file). */
const TIMEOUT_MS = 10 * 60 * 1000;

/** Files under one directory that git examined and found clean, by path relative to it (posix). */
export type CleanFiles = ReadonlySet<string>;

/**
 * Starts git on `dir` and resolves to the clean files, or undefined when git is missing, too old
 * (no PCRE), or fails: never rejects. Git's user configuration cannot run programs here (grep
 * runs no textconv, pager or hook without being asked) and cannot change the output format:
 * colour is off and paths are NUL-terminated.
 */
export function startGitPrefilter(dir: string): Promise<CleanFiles | undefined> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(
        'git',
        [
          '--no-pager',
          '-c',
          'color.grep=never',
          '-c',
          'grep.fullName=false',
          'grep',
          '--no-index',
          '--no-color',
          '--no-textconv',
          '-L',
          '-z',
          '-P',
          '-e',
          gitPrefilterPattern(),
        ],
        {
          cwd: dir,
          // C locale: the pattern is matched byte by byte, never as UTF-8 (invalid UTF-8 must not stop a match).
          env: { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' },
          stdio: ['ignore', 'pipe', 'ignore'],
          windowsHide: true,
        },
      );
    } catch {
      resolve(undefined);
      return;
    }
    const clean = new Set<string>();
    let pending = '';
    let received = 0;
    let truncated = false;
    let settled = false;
    const finish = (result: CleanFiles | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(undefined);
    }, TIMEOUT_MS);
    timer.unref();
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      if (truncated) return;
      received += chunk.length;
      if (received > MAX_OUTPUT_BYTES) {
        // What was listed so far is still true; the rest is scanned by Node.
        truncated = true;
        child.kill('SIGKILL');
        return;
      }
      const parts = (pending + chunk).split('\0');
      pending = parts.pop()!;
      // Paths arrive as raw bytes (latin1 keeps each byte); the walk's names are UTF-8 strings.
      for (const part of parts) {
        const name = Buffer.from(part, 'latin1').toString('utf8');
        // A name that is not valid UTF-8 could stand for more than one file: left to Node.
        if (!name.includes('\uFFFD')) clean.add(name);
      }
    });
    child.on('error', () => finish(undefined));
    child.on('close', (code) => {
      // grep's exit status: 0 some file listed, 1 none; anything else is an error, whatever it printed.
      if (truncated) finish(clean);
      else finish(code === 0 || code === 1 ? clean : undefined);
    });
  });
}
