import { describe, expect, test } from 'vitest';
import { detect } from '../helpers/engine.js';
import { foldText } from '../../src/core/fold.js';
import { scanTree } from '../helpers/scan.js';
import { tempTree } from '../helpers/cli.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';

const id = makeKeyId('AKIA', { seed: 181 });
const secret = makeSecret(182);
const where = (text: string) =>
  detect(text).map((f) => [f.ruleId, f.match, f.line, f.column, f.endLine, f.endColumn, text.slice(f.span.start, f.span.end)]);
const insert = (value: string, at: number, what: string) => value.slice(0, at) + what + value.slice(at);
const fullwidth = (value: string) => [...value].map((char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0)).join('');

describe('zero-width characters inside a credential', () => {
  test.each([
    ['U+200B zero width space', '\u200b'],
    ['U+200C zero width non-joiner', '\u200c'],
    ['U+200D zero width joiner', '\u200d'],
    ['U+2060 word joiner', '\u2060'],
    ['U+FEFF zero width no-break space', '\ufeff'],
  ])('%s in a key ID (even inside its prefix) and in a secret: found, reported at the span as written', (_name, zw) => {
    const hiddenId = insert(insert(id, 10, zw), 2, zw);
    const hiddenSecret = insert(secret, 20, zw);
    const text = `key = ${hiddenId}\naws_secret_access_key = ${hiddenSecret}\n`;
    expect(where(text)).toEqual([
      ['aws-access-key-id', id, 1, 7, 1, 29, hiddenId],
      ['aws-secret-access-key', secret, 2, 25, 2, 66, hiddenSecret],
    ]);
  });

  test('a zero-width character next to a key still bounds it; several in a row are all skipped', () => {
    expect(where(`x\u200b${id}\u200b`).map((f) => f[1])).toEqual([id]);
    const hidden = insert(id, 5, '\u200b\u200c\u200d\u2060');
    expect(where(`k=${hidden}`)).toEqual([['aws-access-key-id', id, 1, 3, 1, 27, hidden]]);
  });

  test('a tree scan decodes a file whose only anchor is split by a zero-width character', async () => {
    const dir = tempTree({ 'split.env': `AWS_ACCESS_KEY_ID=${insert(id, 2, '\u200b')}\n`, 'plain.txt': 'nothing\n' });
    const report = await scanTree(dir);
    expect(report.findings.map((f) => [f.path, f.match, f.line, f.column])).toEqual([['split.env', id, 1, 19]]);
  });
});

describe('look-alike characters in a key ID', () => {
  test('fullwidth ASCII (U+FF01-U+FF5E, what NFKC maps to ASCII) is found at its span', () => {
    const wide = fullwidth(id);
    expect(where(`id: ${wide}\n`)).toEqual([['aws-access-key-id', id, 1, 5, 1, 25, wide]]);
    const half = fullwidth(id.slice(0, 4)) + id.slice(4);
    expect(where(`id: ${half}`).map((f) => f[1])).toEqual([id]);
  });

  test('Cyrillic homoglyphs are a documented limit: not an AWS key, so not reported', () => {
    // А (U+0410), К (U+041A), І (U+0406): looks like the prefix, is another string to AWS.
    const cyrillic = `\u0410\u041a\u0406\u0410${id.slice(4)}`;
    expect(detect(`id = ${cyrillic}`)).toEqual([]);
  });
});

describe('backslash line continuations inside a value', () => {
  test.each([
    ['shell', (a: string, b: string) => `export AWS_SECRET_ACCESS_KEY="${a}\\\n${b}"\n`],
    ['Dockerfile', (a: string, b: string) => `ENV AWS_ACCESS_KEY_ID=${id} \\\n    AWS_SECRET_ACCESS_KEY=${a}\\\n${b}\n`],
    ['Python string', (a: string, b: string) => `aws_secret_access_key = '${a}\\\r\n${b}'\r\n`],
  ])('%s: the joined secret is found, spanning both lines', (_name, write) => {
    const text = write(secret.slice(0, 17), secret.slice(17));
    const found = detect(text).filter((f) => f.ruleId === 'aws-secret-access-key');
    expect(found.map((f) => [f.match, f.endLine - f.line])).toEqual([[secret, 1]]);
    expect(text.slice(found[0]!.span.start, found[0]!.span.end).replace(/\\\r?\n/, '')).toBe(secret);
  });

  test('a key ID split by a continuation is found', () => {
    expect(where(`ID=${id.slice(0, 9)}\\\n${id.slice(9)}`).map((f) => [f[1], f[2], f[3], f[4]])).toEqual([[id, 1, 4, 2]]);
  });
});

describe('the fast path', () => {
  test('text without any such character is not folded', () => {
    expect(foldText(`plain ascii ${id} with a \\ backslash and\na newline`)).toBeUndefined();
    expect(foldText('caf\u00e9 \u2019quoted\u2019')).toBeUndefined();
  });

  test('offsets map back through removals and replacements', () => {
    const folded = foldText('a\u200bb\\\ncd\uff45')!;
    expect(folded.text).toBe('abcde');
    expect([0, 1, 2, 3, 4].map((offset) => folded.originalStart(offset))).toEqual([0, 2, 5, 6, 7]);
    expect(folded.originalEnd(5)).toBe(8);
    expect(folded.originalEnd(2)).toBe(3);
    // A run of removals (two zero-width characters and a continuation) maps as one.
    const run = foldText('a\u200b\u200c\\\nb')!;
    expect([run.text, run.originalStart(0), run.originalStart(1), run.originalEnd(2)]).toEqual(['ab', 0, 5, 6]);
  });
});

describe('hostile amounts', () => {
  test('5 MB of zero-width characters between letters: bounded time, the key at the end still found', () => {
    const noise = 'a\u200b'.repeat(1_300_000);
    const hidden = insert(id, 8, '\u200b\u2060');
    const text = `${noise}\nk=${hidden}\n`;
    const started = performance.now();
    expect(where(text).map((f) => [f[1], f[2], f[3]])).toEqual([[id, 2, 3]]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
