import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObjectIdSet } from '../../src/git/blob-set.js';
import { addedLines } from '../../src/git/line-diff.js';
import type { LineRange } from '../../src/core/types.js';

const lines = (ranges: readonly LineRange[]) => ranges.flatMap((r) => Array.from({ length: r.end - r.start + 1 }, (_, i) => r.start + i));

/** The lines real `git diff -U0 --no-index` marks with "+", by new-version line number. */
function gitAdded(oldText: string, newText: string): number[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'kw-line-diff-'));
  try {
    writeFileSync(path.join(dir, 'old'), oldText);
    writeFileSync(path.join(dir, 'new'), newText);
    let out = '';
    try {
      execFileSync('git', ['-c', 'diff.algorithm=myers', 'diff', '--no-index', '--no-color', '--no-ext-diff', '-U0', 'old', 'new'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
      });
    } catch (error) {
      out = (error as { stdout: string }).stdout; // exit 1: the files differ
    }
    const added: number[] = [];
    let line = 0;
    for (const row of out.split('\n')) {
      const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(row);
      if (hunk) line = Number(hunk[1]);
      else if (row.startsWith('+') && !row.startsWith('+++')) added.push(line++);
    }
    return added;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('addedLines', () => {
  it('marks the lines git diff marks with "+" in ordinary edits', () => {
    const base = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const cases: Array<[string[], string[]]> = [
      [base, [...base.slice(0, 10), 'inserted', ...base.slice(10)]],
      [base, [...base.slice(0, 5), 'changed 5', ...base.slice(6, 20), 'changed 20', 'and 21', ...base.slice(22)]],
      [base, ['top', ...base, 'bottom']],
      [base, [...base.slice(3, 15), ...base.slice(18)]],
      [[], base.slice(0, 4)],
      [base, []],
      [
        ['a', 'b', 'a', 'b'],
        ['b', 'a', 'b', 'a', 'c'],
      ],
    ];
    for (const [oldLines, newLines] of cases) {
      const oldText = oldLines.map((l) => `${l}\n`).join('');
      const newText = newLines.map((l) => `${l}\n`).join('');
      expect(lines(addedLines(oldText, newText)), newLines.join('|')).toEqual(gitAdded(oldText, newText));
    }
  });

  it('keeps a moved block out of the added lines only where it still lines up, and finds no added line in an identical text', () => {
    expect(addedLines('a\nb\nc\n', 'a\nb\nc\n')).toEqual([]);
    expect(addedLines('', 'x')).toEqual([{ start: 1, end: 1 }]);
  });

  it('the lines it leaves out are a common subsequence, and every line new to the file is added', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'key = 1', ''), { maxLength: 40 }).map((rows) => rows.join('\n'));
    fc.assert(
      fc.property(text, text, (oldText, newText) => {
        const b = newText.split('\n');
        const a = oldText.split('\n');
        const added = new Set(lines(addedLines(oldText, newText)));
        for (const n of added) expect(n >= 1 && n <= b.length).toBe(true);
        const kept = b.filter((_, i) => !added.has(i + 1));
        let at = 0;
        for (const row of kept) {
          while (at < a.length && a[at] !== row) at++;
          expect(at < a.length).toBe(true);
          at++;
        }
        b.forEach((row, i) => {
          if (!a.includes(row)) expect(added.has(i + 1)).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a rewrite too large to align counts every line that could match as added (never fewer)', () => {
    const oldRows = Array.from({ length: 3000 }, (_, i) => `row ${i % 50}`);
    const newRows = Array.from({ length: 3000 }, (_, i) => `row ${(i * 7) % 50}`);
    const oldText = `${oldRows.join('\n')}\n`;
    const newText = `${newRows.join('\n')}\n`;
    const added = lines(addedLines(oldText, newText));
    expect(added.length).toBeGreaterThanOrEqual(gitAdded(oldText, newText).length);
    expect(added.length).toBeLessThanOrEqual(newRows.length);
  });
});

describe('ObjectIdSet', () => {
  const id = (n: number) => n.toString(16).padStart(8, '0').repeat(5);

  it('remembers what it was given', () => {
    const set = new ObjectIdSet();
    for (let n = 1; n <= 5000; n++) expect(set.add(id(n))).toBe(true);
    for (let n = 1; n <= 5000; n++) expect(set.has(id(n))).toBe(true);
    expect(set.add(id(77))).toBe(false);
    expect(set.has(id(5001))).toBe(false);
  });

  it('is bounded: past two generations the oldest ids are forgotten, the newest kept', () => {
    const set = new ObjectIdSet(1000);
    for (let n = 1; n <= 2500; n++) set.add(id(n));
    expect(set.has(id(1))).toBe(false);
    for (let n = 1001; n <= 2500; n++) expect(set.has(id(n))).toBe(true);
  });

  it('keeps a one-byte tag with each id, replaced in place and across growth and generations', () => {
    const set = new ObjectIdSet(1000);
    for (let n = 1; n <= 1500; n++) set.setTag(id(n), (n % 4) + 1);
    for (let n = 1; n <= 1500; n++) expect(set.tag(id(n))).toBe((n % 4) + 1);
    expect(set.tag(id(1501))).toBeUndefined();
    // id(3) lives in the old generation: the new tag is what the set answers.
    set.setTag(id(3), 9);
    expect(set.tag(id(3))).toBe(9);
    set.setTag(id(1400), 200);
    expect(set.tag(id(1400))).toBe(200);
    expect(set.add(id(1400))).toBe(false);
    expect(() => set.setTag(id(1), 0)).toThrow(RangeError);
    expect(() => set.setTag(id(1), 256)).toThrow(RangeError);
  });
});
