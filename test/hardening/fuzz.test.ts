import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { findRawMatches, scanText } from '../helpers/engine.js';
import { foldText } from '../../src/core/fold.js';
import { unescapeValue } from '../../src/core/text.js';
import type { Finding } from '../../src/core/types.js';
import { decodeText, isBinary } from '../../src/scan/decode.js';
import { scanBytes } from '../../src/scan/process-file.js';
import { DOC_EXAMPLE_KEY_ID, DOC_EXAMPLE_SECRET, makeKeyId, makeSecret, makeSessionToken, SESSION_TOKEN_PREFIX } from '../helpers/keys.js';

/**
 * Property-based tests of the detector on hostile and random input. Runs are kept modest (the
 * suite shares two cores); fast-check prints the seed and the shrunk counterexample on failure.
 */

const seed = fc.integer({ min: 1, max: 5000 });
const keyKind = fc.constantFrom('AKIA' as const, 'ASIA' as const);

/** Pieces that matter to the detector, so random texts reach deep into its branches. */
const token = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'AKIA',
      'ASIA',
      'A3T',
      'aws_secret_access_key',
      'secret',
      'SecretAccessKey',
      '"secret"',
      'AWS_SESSION_TOKEN',
      'x-amz-security-token',
      '=',
      ': ',
      ' = ',
      '"',
      "'",
      '`',
      '\n',
      '\r\n',
      '\r',
      ' ',
      '\t',
      '\\/',
      '%2F',
      '%2B',
      '%3D',
      '\\n',
      '&quot;',
      '${',
      '}',
      '<',
      '>',
      'keywarden:allow',
      'keywarden:allow-next-line',
      'value=',
      'string',
      'EXAMPLE',
      SESSION_TOKEN_PREFIX,
      DOC_EXAMPLE_KEY_ID,
      DOC_EXAMPLE_SECRET,
      'Ab3/',
      'zZ9+',
      '==',
      '\u2028',
      '\uFEFF',
      '\uD800',
      '😀',
    ),
  },
  { weight: 1, arbitrary: fc.tuple(keyKind, seed).map(([kind, s]) => makeKeyId(kind, { seed: s })) },
  { weight: 1, arbitrary: seed.map((s) => makeSecret(s)) },
  { weight: 1, arbitrary: seed.map((s) => makeSessionToken(s, 120 + (s % 400))) },
);
const interestingText = fc.array(token, { maxLength: 40 }).map((parts) => parts.join(''));

/** Offset of a 1-based line/column, computed independently of the detector's LineIndex. */
function offsetOf(text: string, line: number, column: number): number {
  // LF, CRLF and a lone CR each end a line.
  const parts = text.split(/(\r\n|\r|\n)/);
  const lines = parts.filter((_, i) => i % 2 === 0);
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i]!.length + parts[2 * i + 1]!.length;
  expect(column).toBeGreaterThanOrEqual(1);
  expect(column - 1).toBeLessThanOrEqual(lines[line - 1]!.length);
  return offset + column - 1;
}

function checkFinding(text: string, finding: Finding): void {
  const { start, end } = finding.span;
  expect(Number.isInteger(start) && Number.isInteger(end)).toBe(true);
  expect(0 <= start && start < end && end <= text.length).toBe(true);
  expect(offsetOf(text, finding.line, finding.column)).toBe(start);
  // endColumn is one past the last character (SARIF): the last character sits at endColumn - 1.
  expect(offsetOf(text, finding.endLine, finding.endColumn - 1)).toBe(end - 1);
  // Zero-width characters, fullwidth ASCII and line continuations inside a match are undone in its value.
  const written = text.slice(start, end);
  expect(finding.match).toBe(unescapeValue(foldText(written)?.text ?? written));
}

function checkAll(text: string): void {
  const result = scanText({ path: 'fuzz.txt', text });
  const all = [...result.findings, ...result.examples];
  for (const finding of all) checkFinding(text, finding);
  for (const list of [result.findings, result.examples]) {
    for (let i = 1; i < list.length; i++) expect(list[i - 1]!.span.start).toBeLessThanOrEqual(list[i]!.span.start);
  }
  const raw = findRawMatches(text);
  for (let i = 1; i < raw.length; i++) expect(raw[i - 1]!.start).toBeLessThanOrEqual(raw[i]!.start);
  // Folding (zero-width characters, fullwidth ASCII, continuations) can only add matches.
  if (foldText(text)) expect(all.length + result.suppressed).toBeGreaterThanOrEqual(raw.length);
  else expect(all.length + result.suppressed).toBe(raw.length);
}

describe('random input never throws and every finding is well-formed', () => {
  test('random strings (any UTF-16, lone surrogates included)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), checkAll), { numRuns: 200 });
  });

  test('texts built from the pieces the detector looks for', () => {
    fc.assert(fc.property(interestingText, checkAll), { numRuns: 1000 });
  });

  test('random bytes through the file decoder and the byte-level scanner', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      // UTF-16 BOMs, UTF-8 BOM and stray continuation bytes in front of interesting text.
      fc
        .tuple(fc.constantFrom([0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf], [0x80, 0xc3], []), interestingText)
        .map(([prefix, text]) => Uint8Array.from([...prefix, ...Buffer.from(text, prefix[0] === 0xff ? 'utf16le' : 'utf8')])),
    );
    fc.assert(
      fc.property(bytes, (input) => {
        if (!isBinary(input)) checkAll(decodeText(input));
        const result = scanBytes('fuzz.bin', Buffer.from(input), {});
        if (result.kind === 'scanned') expect(result.bytes).toBe(input.length);
        else expect(result.skipped.reason).toBe('binary');
      }),
      { numRuns: 300 },
    );
  });
});

/** Characters that end a token on both sides: none alphanumeric, none base64. */
const boundary = fc.constantFrom(' ', '\n', '\r\n', '"', "'", ',', ';', '\t', '(', ')', '<', '>', '|');

/** Random filler that cannot itself be mistaken for a credential's continuation. */
const filler = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), interestingText);

interface Planted {
  text: string;
  start: number;
  end: number;
  ruleId: Finding['ruleId'];
  value: string;
}

const plantable = fc.oneof(
  fc.tuple(keyKind, seed).map(([kind, s]) => ({
    lead: '',
    value: makeKeyId(kind, { seed: s }),
    ruleId: kind === 'AKIA' ? ('aws-access-key-id' as const) : ('aws-temporary-access-key-id' as const),
  })),
  fc
    .tuple(seed, fc.constantFrom('aws_secret_access_key=', 'AWS_SECRET_ACCESS_KEY: ', '"SecretAccessKey": "', 'secret_key = '))
    .map(([s, lead]) => ({
      lead,
      value: makeSecret(s),
      ruleId: 'aws-secret-access-key' as const,
    })),
  fc.tuple(seed, fc.constantFrom('', 'aws_session_token=', 'X-Amz-Security-Token: ')).map(([s, lead]) => ({
    lead,
    value: lead === '' ? makeSessionToken(s, 300) : makeSessionToken(s, 300, 'Zm9v'),
    ruleId: 'aws-session-token' as const,
  })),
);

const planted: fc.Arbitrary<Planted> = fc
  .tuple(filler, boundary, plantable, boundary, filler)
  .map(([before, left, credential, right, after]) => {
    const start = before.length + left.length + credential.lead.length;
    return {
      text: before + left + credential.lead + credential.value + right + after,
      start,
      end: start + credential.value.length,
      ruleId: credential.ruleId,
      value: credential.value,
    };
  });

describe('a planted credential is always found at its exact span', () => {
  test('key ids, secrets after a keyword, and session tokens in random text', () => {
    fc.assert(
      fc.property(planted, ({ text, start, end, ruleId, value }) => {
        // A suppression marker the filler happened to produce is a legitimate reason to stay quiet.
        fc.pre(!text.includes('keywarden:allow'));
        const { findings } = scanText({ path: 'planted.txt', text });
        const hit = findings.find((finding) => finding.ruleId === ruleId && finding.span.start === start);
        expect(hit, `${ruleId} at ${start} in ${JSON.stringify(text)}`).toBeDefined();
        expect(hit!.span.end).toBe(end);
        expect(hit!.match).toBe(value);
        checkFinding(text, hit!);
      }),
      { numRuns: 300 },
    );
  });
});

/** Far enough that no pairing window (5 lines, 4,096 characters) reaches across. */
const FAR = `\n${' '.repeat(5000)}\n\n\n\n\n\n\n`;

const comparable = (findings: readonly Finding[], shift = 0, lineShift = 0) =>
  findings.map((f) => [
    f.ruleId,
    f.span.start + shift,
    f.span.end + shift,
    f.line + lineShift,
    f.column,
    f.match,
    f.keyId ?? null,
    f.example,
  ]);

describe('detection is local', () => {
  test('text appended far away changes nothing before it', () => {
    fc.assert(
      fc.property(interestingText, filler, (text, extra) => {
        fc.pre(!extra.includes('keywarden:allow'));
        const alone = scanText({ path: 'a', text });
        const extended = scanText({ path: 'a', text: text + FAR + extra });
        const before = (list: readonly Finding[]) => list.filter((f) => f.span.end <= text.length);
        expect(comparable(before(extended.findings))).toEqual(comparable(alone.findings));
        expect(comparable(before(extended.examples))).toEqual(comparable(alone.examples));
      }),
      { numRuns: 200 },
    );
  });

  test('text prepended far away only shifts positions', () => {
    fc.assert(
      fc.property(filler, interestingText, (extra, text) => {
        // The prefix must end its own line, so the shifted text starts a fresh one.
        const prefix = extra + FAR;
        const lines = prefix.split(/\r\n|\r|\n/).length - 1;
        const alone = scanText({ path: 'a', text });
        const shifted = scanText({ path: 'a', text: prefix + text });
        const after = (list: readonly Finding[]) => list.filter((f) => f.span.start >= prefix.length);
        expect(comparable(after(shifted.findings))).toEqual(comparable(alone.findings, prefix.length, lines));
        expect(comparable(after(shifted.examples))).toEqual(comparable(alone.examples, prefix.length, lines));
      }),
      { numRuns: 200 },
    );
  });
});
