import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { scanText } from '../helpers/engine.js';
import { base64Forms, base64Windows, decodeLayer, ESCAPE, escapesIn, MAX_BASE64_CANDIDATES } from '../../src/core/decoding.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';

const keyId = makeKeyId('AKIA', { seed: 7, account: '123456789012' });
const secret = makeSecret(7);

function b64(text: string, alphabet: 'base64' | 'base64url' = 'base64'): string {
  return Buffer.from(text, 'utf8').toString(alphabet);
}

function scan(text: string, path = 'f') {
  return scanText({ path, text }).findings;
}

/** Findings as (rule, encoded text at the span, encoding, line) for readable expectations. */
function located(text: string) {
  return scan(text).map((finding) => ({
    rule: finding.ruleId,
    at: text.slice(finding.span.start, finding.span.end),
    encoding: finding.encoding,
    line: finding.line,
    match: finding.match,
  }));
}

describe('decodeLayer', () => {
  test('maps a view span back to the encoded characters, byte-aligned inside base64', () => {
    const text = `x ${b64('abcdef' + keyId + 'ghi')} y`;
    const view = decodeLayer(text);
    const at = view.text.indexOf(keyId);
    const span = view.inputSpan(at, at + keyId.length);
    expect(span.encodings).toEqual(['base64']);
    // Bytes 6..25 come from base64 characters 8..36 (groups of three bytes to four characters).
    expect(span).toMatchObject({ start: 2 + 8, end: 2 + 36 });
    expect(Buffer.from(text.slice(span.start, span.end), 'base64').toString()).toContain(keyId);
  });

  test('leaves binary base64 (keys, hashes, images) and identifiers encoded', () => {
    const binary = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 73) % 256)).toString('base64');
    for (const text of [binary, 'this_is_a_very_long_identifier_name_for_tests', secret, 'src/core/some/long/path/to/a/file.ts']) {
      expect(decodeLayer(text).decodedAnything, text).toBe(false);
    }
  });

  test('never grows: a layer is at most as long as its input', () => {
    const text = '&#x41;'.repeat(1000) + '\\u0041'.repeat(1000) + b64('hello world, this is text'.repeat(40));
    expect(decodeLayer(text).text.length).toBeLessThanOrEqual(text.length);
  });

  test('tries a bounded number of base64 runs per text', () => {
    const run = b64('printable text for a run!!');
    const text = Array.from({ length: MAX_BASE64_CANDIDATES + 50 }, () => run).join(' ');
    const view = decodeLayer(text);
    expect(view.text.split('printable text').length - 1).toBe(MAX_BASE64_CANDIDATES);
  });

  test('base64Forms: the alignment-free characters of a word, standard and URL-safe', () => {
    const forms = base64Forms('AKIA', 4);
    for (const pad of ['', 'x', 'xy']) {
      const encoded = b64(pad + 'AKIA' + 'zz');
      expect(forms.some((form) => encoded.includes(form))).toBe(true);
    }
  });
});

describe('encoded credentials are found at the encoded text', () => {
  test('a Kubernetes Secret manifest: data values are base64 of the credentials', () => {
    const text = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: aws-creds',
      'type: Opaque',
      'data:',
      `  AWS_ACCESS_KEY_ID: ${b64(keyId)}`,
      `  AWS_SECRET_ACCESS_KEY: ${b64(secret)}`,
      '',
    ].join('\n');
    const found = located(text);
    expect(found.map(({ rule, encoding, line, match }) => ({ rule, encoding, line, match }))).toEqual([
      { rule: 'aws-access-key-id', encoding: 'base64', line: 7, match: keyId },
      { rule: 'aws-secret-access-key', encoding: 'base64', line: 8, match: secret },
    ]);
    expect(found[1]!.at).toBe(b64(secret));
  });

  test('a .dockerconfigjson whose auth is base64 inside the base64 of the Secret', () => {
    const config = JSON.stringify({ auths: { 'registry.example.com': { auth: b64(`${keyId}:${secret}`) } } });
    const text = ['kind: Secret', 'type: kubernetes.io/dockerconfigjson', 'data:', `  .dockerconfigjson: ${b64(config)}`, ''].join('\n');
    const found = scan(text);
    const keyFinding = found.find((finding) => finding.ruleId === 'aws-access-key-id');
    expect(keyFinding).toMatchObject({ encoding: 'base64>base64', line: 4, match: keyId });
    expect(text.slice(keyFinding!.span.start, keyFinding!.span.end)).not.toContain(keyId);
    expect(found.find((finding) => finding.ruleId === 'aws-secret-access-key')).toMatchObject({
      encoding: 'base64>base64',
      match: secret,
      keyId,
    });
  });

  test('a base64 .env blob in a CI variable', () => {
    const env = `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${secret}\nAWS_REGION=eu-west-1\n`;
    const text = ['variables:', `  ENV_FILE_B64: "${b64(env)}"`, 'script:', '  - echo "$ENV_FILE_B64" | base64 -d > .env'].join('\n');
    const found = located(text);
    expect(found.map(({ rule, encoding, line }) => ({ rule, encoding, line }))).toEqual([
      { rule: 'aws-access-key-id', encoding: 'base64', line: 2 },
      { rule: 'aws-secret-access-key', encoding: 'base64', line: 2 },
    ]);
    expect(found[0]!.at.length).toBeLessThan(b64(env).length);
  });

  test('a JWT whose payload holds an INI profile (URL-safe base64, no padding)', () => {
    const profile = `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\n`;
    const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }), 'base64url');
    const payload = b64(JSON.stringify({ sub: 'ci', profile }), 'base64url');
    const jwt = `${header}.${payload}.${b64('signature bytes go here!!', 'base64url')}`;
    const found = scan(`const token = "${jwt}";\n`);
    expect(found.map((finding) => [finding.ruleId, finding.encoding, finding.match])).toEqual([
      ['aws-access-key-id', 'base64', keyId],
      ['aws-secret-access-key', 'base64', secret],
    ]);
  });

  test('key ids written as HTML character references, hex and decimal', () => {
    const hex = [...keyId].map((char) => `&#x${char.charCodeAt(0).toString(16)};`).join('');
    const decimal = [...keyId].map((char) => `&#${char.charCodeAt(0)};`).join('');
    const text = `<p>key: ${hex}</p>\n<p>again: ${decimal}</p>\n`;
    const found = located(text);
    expect(found).toEqual([
      { rule: 'aws-access-key-id', at: hex, encoding: 'html-entity', line: 1, match: keyId },
      { rule: 'aws-access-key-id', at: decimal, encoding: 'html-entity', line: 2, match: keyId },
    ]);
  });

  test('key ids and secrets written as \\u and \\x escapes', () => {
    const unicode = [...keyId].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const hex = [...secret].map((char) => `\\x${char.charCodeAt(0).toString(16)}`).join('');
    const text = `{"id": "${unicode}",\n "aws_secret_access_key": "${hex}"}\n`;
    const found = located(text);
    expect(found.map(({ rule, at, encoding, line }) => ({ rule, at, encoding, line }))).toEqual([
      { rule: 'aws-access-key-id', at: unicode, encoding: 'unicode-escape', line: 1 },
      { rule: 'aws-secret-access-key', at: hex, encoding: 'unicode-escape', line: 2 },
    ]);
  });

  test('a run whose first 64 characters end inside a UTF-8 character decodes whole, and so does the next', () => {
    // 47 ASCII bytes, then "é" (2 bytes): the 48-byte probe ends between them.
    const first = b64(`${'a'.repeat(47)}é AWS_ACCESS_KEY_ID=${keyId}\n`);
    const second = b64(`AWS_SECRET_ACCESS_KEY=${secret}\n`);
    const found = located(`token: ${first}\ntoken: ${second}\n`);
    expect(found.map(({ rule, encoding, match }) => [rule, encoding, match])).toEqual([
      ['aws-access-key-id', 'base64', keyId],
      ['aws-secret-access-key', 'base64', secret],
    ]);
  });

  test('partly escaped: only the escaped characters need decoding', () => {
    const text = `id = "\\u0041${keyId.slice(1)}"\n`;
    expect(located(text)).toEqual([
      { rule: 'aws-access-key-id', at: `\\u0041${keyId.slice(1)}`, encoding: 'unicode-escape', line: 1, match: keyId },
    ]);
  });
});

describe('no finding twice', () => {
  test('a plain key is reported once, not again from the decoded view', () => {
    const text = `aws_access_key_id = ${keyId} &amp; more\naws_secret_access_key=&quot;${secret}&quot;\n`;
    const found = scan(text);
    expect(found).toHaveLength(2);
    expect(found.every((finding) => finding.encoding === undefined)).toBe(true);
  });

  test('the same key plain in one place and base64 in another: two findings at two places', () => {
    const text = `AWS_ACCESS_KEY_ID=${keyId}\nblob: ${b64(`AWS_ACCESS_KEY_ID=${keyId}`)}\n`;
    const found = scan(text).filter((finding) => finding.ruleId === 'aws-access-key-id');
    expect(found.map((finding) => [finding.line, finding.encoding])).toEqual([
      [1, undefined],
      [2, 'base64'],
    ]);
  });

  test('decode: false turns the layer off', () => {
    expect(scanText({ path: 'f', text: `data:\n  AWS_ACCESS_KEY_ID: ${b64(keyId)}\n` }, { decode: false }).findings).toEqual([]);
  });
});

describe('bounded on hostile input', () => {
  test('a megabyte of printable base64 and of escapes scans in well under a second', () => {
    const big = b64('lorem ipsum dolor sit amet '.repeat(40_000));
    const escapes = '\\u0041'.repeat(150_000);
    const entities = '&#65;'.repeat(150_000);
    for (const text of [big, escapes, entities, `secret: ${big}`]) {
      const started = performance.now();
      scan(text);
      expect(performance.now() - started).toBeLessThan(3000);
    }
  });
});

describe('decodeLayer properties (fast-check)', () => {
  // Pieces that decode, pieces that look like they might, and plain text, in any order.
  const piece = fc.oneof(
    fc.constantFrom('&#x41;', '&#75;', '&amp;', '&#xZZ;', '\\u0041', '\\u{4b}', '\\x49', '\\u12', '\\', '&', '=', '\n', ' ', '"'),
    fc.string({ maxLength: 12 }),
    fc.string({ maxLength: 60 }).map((text) => Buffer.from(text).toString('base64')),
    fc.string({ maxLength: 60 }).map((text) => Buffer.from(text).toString('base64url')),
    fc.uint8Array({ minLength: 18, maxLength: 60 }).map((bytes) => Buffer.from(bytes).toString('base64')),
  );
  const text = fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join(''));

  test('never longer than its input; every view span maps inside the input, in order', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (input, a, b) => {
        const view = decodeLayer(input);
        expect(view.text.length).toBeLessThanOrEqual(input.length);
        if (view.text.length === 0) return;
        const start = a % view.text.length;
        const end = start + 1 + (b % (view.text.length - start));
        const span = view.inputSpan(start, end);
        expect(span.start).toBeGreaterThanOrEqual(0);
        expect(span.end).toBeLessThanOrEqual(input.length);
        expect(span.start).toBeLessThan(span.end);
      }),
      { numRuns: 500 },
    );
  });

  test('text without anything to decode is its own view', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z .,:=\n]{0,200}$/), (input) => {
        const view = decodeLayer(input);
        expect(view.decodedAnything).toBe(false);
        expect(view.text).toBe(input);
      }),
      { numRuns: 200 },
    );
  });
});

describe('base64Windows from the byte prefilter’s word positions', () => {
  const vocabulary = ['secret', 'Token', 'TOKEN', 'token', 'dockercfg', 'QUtJQ', 'FLSU', 'tok', 'en', 'x', ' ', '\n', '\n\n', 'é', 'ü'];

  test('gives the windows the regex search gives (fast-check)', async () => {
    const { catalog } = await import('../../rules/index.js');
    const { triageBytes } = await import('../../src/scan/process-file.js');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 400 }), fc.boolean(), (pieces, bom) => {
        // An anchor so the file is decoded; a UTF-8 BOM shifts the bytes against the text.
        const body = `AKIA\n${pieces.join('')}`;
        const bytes = Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(body, 'utf8')]);
        const triaged = triageBytes(bytes, true, true);
        if (triaged.kind !== 'text') throw new Error('an anchored text is decoded');
        expect(triaged.contextWordsAt).toBeDefined();
        expect(base64Windows(triaged.text, catalog.base64ContextWords, triaged.contextWordsAt)).toEqual(
          base64Windows(triaged.text, catalog.base64ContextWords),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('escapesIn', () => {
  const pieces = [
    '&#65;',
    '&#x41;',
    '&#X4a;',
    '&amp;',
    '&lt;',
    '\\u0041',
    '\\u{41}',
    '\\x41',
    '&',
    '&#',
    '&#x',
    '\\u',
    '\\u{',
    '\\x',
    '\\',
    '#',
    '4',
    '41',
    'x',
    ';',
    '}',
    'a',
    ' ',
  ];

  test('finds what a global search with ESCAPE finds, trying it only at its introducers (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
        // Every escape here decodes to a letter, so each match is kept.
        const text = `&#66;${parts.join('')}`;
        const expected = [...text.matchAll(new RegExp(ESCAPE.source, 'g'))].map((match) => [match.index, match[0].length]);
        expect(escapesIn(text).map((escape) => [escape.start, escape.length])).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
