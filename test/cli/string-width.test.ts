import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import stringWidthPackage from 'string-width';
import { describe, expect, test } from 'vitest';
import stringWidth from '../../src/cli/string-width.js';
import { REPO_ROOT } from '../helpers/cli.js';

/** The bundled CLI lays out help with src/cli/string-width.ts instead of the `string-width` package. */
describe('stringWidth', () => {
  test('agrees with the string-width package on text help can hold', () => {
    const samples = [
      '',
      'Scan files, directories or standard input (default command)',
      '  -f, --format  Output format: text, json, sarif, github',
      '\u001b[31mred\u001b[39m and \u001b[1mbold\u001b[22m',
      '\u001b]8;;https://example.com\u0007link\u001b]8;;\u0007',
      '日本語のテキスト',
      'ｆｕｌｌｗｉｄｔｈ',
      'café, naïve, e\u0301 (combining acute)',
      'zero\u200bwidth\u200djoiner\ufeff',
      'tab\tand\u0007bell',
      '한국어 텍스트',
    ];
    for (const sample of samples) expect([sample, stringWidth(sample)]).toEqual([sample, stringWidthPackage(sample)]);
  });

  test('the CLI bundle uses it: no Intl.Segmenter is created when keywarden starts', () => {
    const bundle = path.join(REPO_ROOT, 'dist-bundle');
    const files = ['cli.js', ...readdirSync(path.join(bundle, 'chunks')).map((name) => `chunks/${name}`)];
    for (const file of files)
      expect([file, readFileSync(path.join(bundle, file), 'utf8').includes('Intl.Segmenter')]).toEqual([file, false]);
  });

  test('help laid out by the bundle matches help laid out with the package (unbundled build)', () => {
    const help = (entry: string) =>
      execFileSync(process.execPath, [path.join(REPO_ROOT, entry), 'scan', '--help'], {
        encoding: 'utf8',
        env: { ...process.env, COLUMNS: '100' },
      });
    expect(help('dist-bundle/cli.js')).toBe(help('dist/src/cli/bin.js'));
  });
});
