import { describe, expect, it } from 'vitest';
import { parseDiff } from '../../src/git/diff-parse.js';

const blob = (n: number) => String(n).repeat(40).slice(0, 40);
const zero = '0'.repeat(40);

describe('parseDiff', () => {
  it('maps raw entries to patch sections in order, with added lines merged into ranges', () => {
    const raw = [
      `:000000 100644 ${zero} ${blob(1)} A\0new file.txt\0`,
      `:100644 100644 ${blob(2)} ${blob(3)} R087\0old.txt\0moved/new.txt\0`,
      `:100644 100644 ${blob(4)} ${blob(5)} M\0pic.png\0`,
      '\0',
    ].join('');
    const patch = [
      'diff --git a/new file.txt b/new file.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new file.txt\t',
      '@@ -0,0 +1,3 @@',
      '+one',
      '+diff --git a/x b/x',
      '+@@ -1 +1 @@',
      'diff --git a/old.txt b/moved/new.txt',
      'similarity index 87%',
      '@@ -2 +2 @@ context',
      '-was',
      '+now',
      '@@ -10,0 +11,2 @@',
      '+a',
      '+b',
      '\\ No newline at end of file',
      'diff --git a/pic.png b/pic.png',
      'Binary files a/pic.png and b/pic.png differ',
      '',
    ].join('\n');
    expect(parseDiff(raw + patch)).toEqual([
      { status: 'A', path: 'new file.txt', mode: '100644', blob: blob(1), addedLines: [{ start: 1, end: 3 }], binary: false },
      {
        status: 'R',
        path: 'moved/new.txt',
        oldPath: 'old.txt',
        mode: '100644',
        blob: blob(3),
        addedLines: [
          { start: 2, end: 2 },
          { start: 11, end: 12 },
        ],
        binary: false,
      },
      { status: 'M', path: 'pic.png', mode: '100644', blob: blob(5), addedLines: [], binary: true },
    ]);
  });

  it('counts context lines (should a config add some) without reporting them', () => {
    const raw = `:100644 100644 ${blob(1)} ${blob(2)} M\0a.txt\0\0`;
    const patch = ['diff --git a/a.txt b/a.txt', '@@ -1,3 +1,4 @@', ' keep', '-gone', '+new 2', ' keep 3', '+new 4', ''].join('\n');
    expect(parseDiff(raw + patch)[0]!.addedLines).toEqual([
      { start: 2, end: 2 },
      { start: 4, end: 4 },
    ]);
  });

  it('refuses output whose sections do not match the file list', () => {
    const raw = `:100644 100644 ${blob(1)} ${blob(2)} M\0a.txt\0\0`;
    expect(() => parseDiff(`${raw}diff --git a/b.txt b/b.txt\n@@ -1 +1 @@\n-x\n+y\n`)).toThrow(/out of step/);
  });

  it('returns nothing for an empty diff', () => {
    expect(parseDiff('')).toEqual([]);
  });
});
