import { describe, expect, test } from 'vitest';
import { catalog } from '../../rules/index.js';
import { scanText } from '../../src/core/detect.js';
import { latin1Text, scansAsLatin1 } from '../../src/scan/byte-text.js';
import { decodeText } from '../../src/scan/decode.js';
import { MAX_FINDINGS_PER_RULE, scanBytes, triageBytes } from '../../src/scan/process-file.js';
import { makeKeyId, makeSecret, makeSessionToken, prng } from '../helpers/keys.js';

const id = makeKeyId('AKIA', { seed: 4101 });
const temporary = makeKeyId('ASIA', { seed: 4102 });
const secret = makeSecret(4103);
const token = makeSessionToken(4104);

/** What the UTF-8 text gives: the reference a Latin-1 reading must reproduce exactly. */
function decodedScan(bytes: Buffer) {
  const { findings, examples, suppressed, omitted } = scanText(
    catalog,
    { path: 'f', text: decodeText(bytes) },
    { maxFindingsPerRule: MAX_FINDINGS_PER_RULE },
  );
  return { findings, examples, suppressed, ...(omitted ? { omitted } : {}) };
}

function latin1Scan(bytes: Buffer) {
  const result = scanBytes('f', bytes, {});
  if (result.kind !== 'scanned') throw new Error('not scanned');
  const { findings, examples, suppressed, omitted } = result;
  return { findings, examples, suppressed, ...(omitted ? { omitted } : {}) };
}

const NON_ASCII = ['é', 'ü', '€', '’', '“', '—', '…', '‰', '中文', '😀', '\u{10348}', 'Ω', '\u00ad', '\ufffd'];

describe('UTF-8 scanned as Latin-1', () => {
  test('findings after multi-byte characters on the same and earlier lines are where the UTF-8 text has them', () => {
    const text = [
      `# café ${NON_ASCII.join(' ')}`,
      `aws_access_key_id = "${id}" # 😀 after`,
      `naïve 中文 aws_secret_access_key = "${secret}"`,
      `€€ session_token: ${token} ✓`,
      `😀😀 ${temporary} AKIAEXAMPLE`,
      'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" ü',
    ].join('\n');
    const bytes = Buffer.from(text);
    const triaged = triageBytes(bytes, true, true);
    expect(triaged.kind === 'text' && triaged.latin1).toBe(true);
    const expected = decodedScan(bytes);
    expect(expected.findings.length).toBeGreaterThanOrEqual(4);
    expect(latin1Scan(bytes)).toEqual(expected);
  });

  test('a UTF-8 BOM, invalid UTF-8 and CRLF line ends change nothing', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('héllo\r\n'),
      Buffer.from([0xc3, 0x28, 0xff, 0xe2, 0x82]),
      Buffer.from(` key = ${id}\r\nsecret: "${secret}" ó\r\n`),
    ]);
    expect(latin1Text(bytes).startsWith('h')).toBe(true);
    expect(latin1Scan(bytes)).toEqual(decodedScan(bytes));
  });

  test('characters an ASCII pattern still sees make the file decode as UTF-8', () => {
    for (const special of [
      '\u00a0',
      '\u2003',
      '\u2000',
      '\u200a',
      '\u202f',
      '\u2060',
      '\u2028',
      '\u2029',
      '\u3000',
      '\u200b',
      '\ufeff',
      '\uff21',
      '\u1680',
      '\u205f',
    ]) {
      const bytes = Buffer.from(`é aws_secret_access_key =${special}"${secret}"\nid ${special}${id}`);
      expect(scansAsLatin1(bytes), JSON.stringify(special)).toBe(false);
      expect(latin1Scan(bytes), JSON.stringify(special)).toEqual(decodedScan(bytes));
    }
  });

  // One key id a text: with two, which one a secret pairs with is the nearer, and the distance is
  // counted in bytes on this path, in characters on the UTF-8 one (see byte-text.ts).
  test('random mixes of credentials, ASCII and multi-byte text give the same findings both ways', () => {
    const random = prng(4105);
    for (let round = 0; round < 200; round++) {
      const pieces = [
        round % 2 ? id : temporary,
        secret,
        token,
        'aws_secret_access_key = ',
        'secret: ',
        '\n',
        ' ',
        '"',
        ...NON_ASCII,
        'x = 1;\n',
      ];
      const parts: string[] = [];
      for (let i = 0; i < 40; i++) parts.push(pieces[Math.floor(random() * pieces.length)]!);
      const bytes = Buffer.from(parts.join(''));
      expect(latin1Scan(bytes), parts.join('')).toEqual(decodedScan(bytes));
    }
  });
});
