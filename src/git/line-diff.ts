import type { LineRange } from '../core/types.js';

/**
 * Beyond this many edits the shortest edit script is not searched for: the remaining lines that
 * also occur in the old version count as added. That can only report a line too many (a
 * credential already there before), never miss a new one, and it bounds the work to
 * O((n + m) * MAX_EDITS) and the memory to O(MAX_EDITS^2) integers.
 */
const MAX_EDITS = 1000;

function pushLine(ranges: LineRange[], line: number): void {
  const last = ranges[ranges.length - 1];
  if (last && last.end + 1 === line) last.end = line;
  else ranges.push({ start: line, end: line });
}

/**
 * Lines of `newText` (1-based, as LineIndex counts them: split at "\n") that a line diff from
 * `oldText` adds, merged into ranges. Like git's diff (Myers' algorithm, after setting aside a
 * common prefix and suffix and the lines found in only one version), so in ordinary edits the
 * added lines are the ones `git diff` shows with "+"; lines are compared exactly (no whitespace
 * options), and a diff of more than MAX_EDITS edits is approximated, erring towards "added".
 */
export function addedLines(oldText: string, newText: string): LineRange[] {
  const a = oldText.split('\n');
  const b = newText.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const added = new Uint8Array(endB - start);
  // Intern the middle lines; a new line with no twin in the old middle is added whatever the alignment.
  const ids = new Map<string, number>();
  const oldIds: number[] = [];
  for (let i = start; i < endA; i++) {
    let id = ids.get(a[i]!);
    if (id === undefined) ids.set(a[i]!, (id = ids.size));
    oldIds.push(id);
  }
  const inNew = new Uint8Array(ids.size);
  const newIds: number[] = [];
  const newAt: number[] = [];
  for (let j = start; j < endB; j++) {
    const id = ids.get(b[j]!);
    if (id === undefined) added[j - start] = 1;
    else {
      inNew[id] = 1;
      newIds.push(id);
      newAt.push(j - start);
    }
  }
  const keptOld = oldIds.filter((id) => inNew[id] === 1);
  for (const j of unmatched(keptOld, newIds)) added[newAt[j]!] = 1;
  const ranges: LineRange[] = [];
  for (let j = 0; j < added.length; j++) if (added[j]) pushLine(ranges, start + j + 1);
  return ranges;
}

/** Indexes of `b` left out of a longest common subsequence with `a` (Myers' O(ND) greedy walk). */
function unmatched(a: readonly number[], b: readonly number[]): number[] {
  const n = a.length;
  const m = b.length;
  const maxD = Math.min(n + m, MAX_EDITS);
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  // trace[d]: v for diagonals -d-1..d+1 as it stood before step d, to walk the path back.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m);
    }
  }
  // Too many edits to align: every remaining new line counts as added.
  return b.map((_, j) => j);
}

function backtrack(trace: readonly Int32Array[], n: number, m: number): number[] {
  const inserted: number[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const v = trace[d]!;
    const at = (k: number) => v[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
    }
    if (x === prevX) inserted.push(prevY);
    x = prevX;
    y = prevY;
  }
  return inserted.reverse();
}
