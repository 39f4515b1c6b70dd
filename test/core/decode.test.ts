import { describe, expect, test } from 'vitest';
import { decodeText, isBinary, utf16Encoding } from '../../src/scan/decode.js';
import { scanBytes } from '../../src/scan/process-file.js';
import { makeKeyId } from '../helpers/keys.js';

const id = makeKeyId('AKIA', { seed: 161 });
const LE_BOM = Buffer.from([0xff, 0xfe]);
const BE_BOM = Buffer.from([0xfe, 0xff]);
const found = (bytes: Buffer) => {
  const result = scanBytes('f.txt', bytes, {});
  return result.kind === 'scanned' ? result.findings.map((f) => [f.match, f.line, f.column]) : result.skipped.reason;
};

describe('UTF-16 is decided by the content, not by two leading bytes', () => {
  test('a BOM and the zero bytes of UTF-16 text: decoded as UTF-16, either byte order', () => {
    const le = Buffer.from(`k=${id}\n`, 'utf16le');
    expect(utf16Encoding(Buffer.concat([LE_BOM, le]))).toBe('utf-16le');
    expect(utf16Encoding(Buffer.concat([BE_BOM, Buffer.from(le).swap16()]))).toBe('utf-16be');
    expect(decodeText(Buffer.concat([BE_BOM, Buffer.from(le).swap16()]))).toBe(`k=${id}\n`);
    expect(isBinary(Buffer.concat([LE_BOM, le]))).toBe(false);
    expect(found(Buffer.concat([LE_BOM, le]))).toEqual([[id, 1, 3]]);
  });

  test('a BOM in front of text without a zero byte is not UTF-16: the key is found', () => {
    for (const bom of [LE_BOM, BE_BOM]) {
      const bytes = Buffer.concat([bom, Buffer.from(`k=${id}\n`, 'utf8')]);
      expect(utf16Encoding(bytes)).toBeUndefined();
      expect(isBinary(bytes)).toBe(false);
      expect(decodeText(bytes)).toBe(`\uFFFD\uFFFDk=${id}\n`);
      expect(found(bytes)).toEqual([[id, 1, 5]]);
    }
  });

  test('CJK padding before the first zero byte does not change the verdict', () => {
    // 10,000 UTF-16 characters above U+00FF (no zero byte), then an ASCII line: still UTF-16.
    const bytes = Buffer.concat([LE_BOM, Buffer.from(`${'\u4e2d'.repeat(10_000)}\nk=${id}\n`, 'utf16le')]);
    expect(utf16Encoding(bytes)).toBe('utf-16le');
    expect(found(bytes)).toEqual([[id, 2, 3]]);
  });

  test('UTF-16 text with ASCII bytes spliced in is scanned both ways; binary without a BOM stays binary', () => {
    const bytes = Buffer.concat([LE_BOM, Buffer.from('note\n', 'utf16le'), Buffer.from(`\nk=${id}\n`, 'latin1')]);
    // Line 3 of the bytes: the UTF-16 newline (0A 00) ends line 1, the spliced one line 2.
    expect(found(bytes)).toEqual([[id, 3, 3]]);
    expect(found(Buffer.concat([Buffer.from([0x89, 0x50, 0, 0]), Buffer.from(`k=${id}`)]))).toBe('binary');
    // Two BOM bytes alone, or a BOM and nothing else: text, nothing to find.
    expect(found(Buffer.from(LE_BOM))).toEqual([]);
  });
});
