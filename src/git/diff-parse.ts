import type { LineRange } from '../core/types.js';

/** One file of a `git diff --raw -z -p -U0` (or `git log` with the same options) listing. */
export interface FileChange {
  /** A, C, M or R (we ask git for --diff-filter=ACMR). */
  status: string;
  /** Posix path in the new version, relative to the repository's top level. */
  path: string;
  oldPath?: string;
  /** Mode of the new version: 160000 is a submodule, 120000 a symlink. */
  mode: string;
  /** Blob id of the new version (full, --no-abbrev). */
  blob: string;
  /** Lines added in the new version, merged into ranges. */
  addedLines: LineRange[];
  binary: boolean;
}

function pushLine(ranges: LineRange[], line: number): void {
  const last = ranges[ranges.length - 1];
  if (last && last.end + 1 === line) last.end = line;
  else ranges.push({ start: line, end: line });
}

/**
 * Reads the NUL-separated raw entries (`:oldmode newmode oldblob newblob status\0path\0[newpath\0]`).
 * Returns the entries and where the patch text starts.
 */
export function parseRawEntries(text: string, from = 0): { changes: FileChange[]; end: number } {
  const changes: FileChange[] = [];
  let pos = from;
  const field = (): string => {
    const nul = text.indexOf('\0', pos);
    if (nul < 0) throw new Error('truncated git --raw output');
    const value = text.slice(pos, nul);
    pos = nul + 1;
    return value;
  };
  while (text[pos] === ':') {
    const meta = field().slice(1).split(' ');
    const status = meta[4] ?? '';
    const first = field();
    const renamed = status.startsWith('R') || status.startsWith('C');
    const path = renamed ? field() : first;
    changes.push({
      status: status.charAt(0),
      path,
      ...(renamed ? { oldPath: first } : {}),
      mode: meta[1] ?? '',
      blob: meta[3] ?? '',
      addedLines: [],
      binary: false,
    });
  }
  // The raw list ends with an extra NUL before the patch.
  if (text[pos] === '\0') pos++;
  return { changes, end: pos };
}

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Characters git would quote in a patch header, where the path cannot be compared as is. */
const NEEDS_QUOTING = /["\\\u0000-\u001f\u007f]/;

/**
 * Fills in added lines and the binary flag from the patch that follows the raw entries. Git
 * prints one `diff --git` section per raw entry, in the same order; paths are taken from the
 * NUL-separated raw part, never parsed from the (quoted) patch headers.
 */
export function applyPatch(changes: readonly FileChange[], patch: string): void {
  let index = -1;
  let current: FileChange | undefined;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of patch.split('\n')) {
    if (oldLeft > 0 || newLeft > 0) {
      // Inside a hunk every line starts with its marker, so headers cannot be confused with content.
      const marker = line.charAt(0);
      if (marker === '+') {
        if (current) pushLine(current.addedLines, newLine);
        newLine++;
        newLeft--;
      } else if (marker === '-') {
        oldLeft--;
      } else if (marker === ' ' || marker === '') {
        // Context line (empty when diff.suppressBlankEmpty is set); -U0 should leave none.
        newLine++;
        newLeft--;
        oldLeft--;
      }
      continue;
    }
    if (line.startsWith('diff --git ')) {
      index++;
      current = changes[index];
      if (current && !NEEDS_QUOTING.test(current.path) && !line.endsWith(` b/${current.path}`)) {
        throw new Error(`git diff output out of step with its file list at ${current.path}`);
      }
      continue;
    }
    if (!current) continue;
    if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
      current.binary = true;
      continue;
    }
    const hunk = HUNK_HEADER.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLine = Number(hunk[2]);
      newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
    }
  }
}

/** Parses a whole `--raw -z -p` listing that starts at `from`. */
export function parseDiff(text: string, from = 0): FileChange[] {
  const { changes, end } = parseRawEntries(text, from);
  applyPatch(changes, text.slice(end));
  return changes;
}
