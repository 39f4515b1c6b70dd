import { describe, expect, test } from 'vitest';
import { AnchorSet, ByteAnchorScanner, bytesHaystack, coveringFragments, keywordVariants } from '../../src/core/anchors.js';
import { prng } from '../helpers/keys.js';

describe('AnchorSet', () => {
  const tokens = new AnchorSet(keywordVariants(['session', 'security'], 'token'));

  test('a word that only shares the covering fragment is not an anchor', () => {
    expect(tokens.fragments.some((fragment) => 'token'.includes(fragment))).toBe(true);
    expect(tokens.foundInText('const token = csrfToken(req); // refresh the TOKEN')).toBe(false);
    expect(tokens.foundInText('sessions tokens')).toBe(false);
  });

  test('finds each anchor anywhere, including at the very start and end of the text', () => {
    for (const anchor of keywordVariants(['session', 'security'], 'token')) {
      expect(tokens.foundInText(anchor)).toBe(true);
      expect(tokens.foundInText(`${'token '.repeat(50)}x.${anchor}`)).toBe(true);
    }
  });

  test('each word in any of its usual casings; a wild casing is not an anchor', () => {
    for (const text of ['Session_token', 'SESSION_token', 'x-amz-SECURITY-Token', 'securityTOKEN'])
      expect(tokens.foundInText(text)).toBe(true);
    for (const text of ['session_tOkEn', 'sEssion_token', 'SeSSION_TOKEN']) expect(tokens.foundInText(text)).toBe(false);
  });

  test('the answer does not depend on which fragments were chosen', () => {
    const anchors = keywordVariants(['session', 'security'], 'token');
    const texts = [
      ...anchors,
      'sessiontoken',
      'Session-Token',
      'SESSIONtoken',
      'session__token',
      'sessions token',
      'SeSsIoN_ToKeN',
      'token session',
    ];
    for (const text of texts) expect(tokens.foundInText(`a ${text} b`)).toBe(anchors.some((anchor) => text.includes(anchor)));
  });

  test('byte haystacks agree with strings', () => {
    const inBytes = (text: string) => tokens.foundIn(bytesHaystack(Buffer.from(text, 'utf8'), tokens));
    for (const text of ['ünï sessionToken', 'token only', 'SESSION_TOKEN=', 'é'.repeat(10) + 'security.token']) {
      expect(inBytes(text)).toBe(tokens.foundInText(text));
    }
  });

  test('covering fragments cover every anchor', () => {
    const anchors = ['AKIA', 'ASIA', 'secret', 'Secret', 'SECRET'];
    const fragments = coveringFragments(anchors);
    for (const anchor of anchors) expect(fragments.some((fragment) => anchor.includes(fragment))).toBe(true);
  });
});

describe('anchoredRules', () => {
  const ids = (rules: ReadonlySet<{ id: string }> | undefined) => [...(rules ?? [])].map((rule) => rule.id).sort();

  test('one pass names every rule whose anchors occur, and only those', async () => {
    const { anchoredRulesInText } = await import('../helpers/engine.js');
    expect(ids(anchoredRulesInText('const csrfToken = refreshToken(session);'))).toEqual([]);
    expect(ids(anchoredRulesInText('aws_secret_access_key ='))).toEqual(['aws-secret-access-key']);
    expect(ids(anchoredRulesInText('id: AKIA, other: ASIA'))).toEqual(['aws-access-key-id', 'aws-temporary-access-key-id']);
    expect(ids(anchoredRulesInText('SESSION_TOKEN= AKIA secret'))).toEqual([
      'aws-access-key-id',
      'aws-secret-access-key',
      'aws-session-token',
    ]);
    expect(ids(anchoredRulesInText('key: ABSK, token: bedrock-api-key-'))).toEqual(['aws-bedrock-api-key']);
    expect(ids(anchoredRulesInText('Bedrock API keys: absk, Bedrock-Api-Key'))).toEqual([]);
  });

  test("a file's bytes give the same rules as its decoded text (UTF-16 is left to the text)", async () => {
    const { anchoredRulesInText } = await import('../helpers/engine.js');
    const { anchoredRulesInBytes } = await import('../../src/scan/process-file.js');
    for (const text of ['ü AKIA é', 'Secret ✓ SESSION-TOKEN', 'plain', '\uFEFFsecurityToken ASIA', 'x'.repeat(100) + 'aws_secret']) {
      expect(ids(anchoredRulesInBytes(Buffer.from(text, 'utf8')))).toEqual(ids(anchoredRulesInText(text)));
    }
    expect(anchoredRulesInBytes(Buffer.from('\uFEFFAKIA', 'utf16le'))).toBeUndefined();
  });
});

describe('ByteAnchorScanner', () => {
  const anchors = [...keywordVariants(['session', 'security'], 'token'), 'AKIA', 'ASIA', 'A3T', 'secret', 'Secret', '&#', '\\u00', 'QUtJQ'];
  const scanner = new ByteAnchorScanner(anchors);
  const foundBy = (bytes: Uint8Array) => {
    const found: string[] = [];
    scanner.scan(
      bytes,
      (anchor) => !found.includes(scanner.anchors[anchor]!),
      (anchor) => found.push(scanner.anchors[anchor]!),
      () => false,
    );
    return found.sort();
  };
  const expected = (text: string) => anchors.filter((anchor) => text.includes(anchor)).sort();

  test('finds every anchor that occurs, once, at the very start and end too, and nothing else', () => {
    for (const anchor of anchors) {
      expect(foundBy(Buffer.from(anchor))).toEqual(expected(anchor));
      expect(foundBy(Buffer.from(`x${anchor}`))).toEqual(expected(`x${anchor}`));
      expect(foundBy(Buffer.from(`${anchor}${anchor}y`))).toEqual(expected(anchor));
    }
    expect(foundBy(Buffer.from('sessions tokens, SeSsIoN_ToKeN, secreT, AKI A'))).toEqual([]);
    expect(foundBy(new Uint8Array())).toEqual([]);
    expect(foundBy(Buffer.from('A'))).toEqual([]);
  });

  test('agrees with a plain search on random text built from anchor pieces', () => {
    const random = prng(4201);
    const pieces = [
      ...anchors.map((anchor) => anchor.slice(0, 1 + Math.floor(anchor.length / 2))),
      ...anchors.map((anchor) => anchor.slice(2)),
      ...anchors,
      ' ',
      'é',
      'x',
      '\n',
    ];
    for (let round = 0; round < 2000; round++) {
      let text = '';
      for (let i = 0; i < 12; i++) text += pieces[Math.floor(random() * pieces.length)];
      expect(foundBy(Buffer.from(text, 'latin1')), text).toEqual(expected(text));
    }
  });

  test('agrees with a plain search on long texts, whose four lanes meet inside anchors', () => {
    const random = prng(4203);
    const filler = 'the quick brown fox jumps over the lazy dog; secrets, tokens, keys & \\ escapes\n';
    for (let round = 0; round < 400; round++) {
      const length = 256 + Math.floor(random() * 2000);
      let text = '';
      while (text.length < length) text += filler.slice(0, 1 + Math.floor(random() * filler.length));
      const anchor = anchors[Math.floor(random() * anchors.length)]!;
      // At a lane boundary (a quarter of the window ends), or anywhere.
      const quarter = (text.length - 3) >> 2;
      const at = random() < 0.7 ? Math.max(0, 3 + quarter * (1 + Math.floor(random() * 3)) - Math.floor(random() * anchor.length)) : 0;
      text = text.slice(0, at) + anchor + text.slice(at + anchor.length);
      expect(foundBy(Buffer.from(text, 'latin1')), text).toEqual(expected(text));
    }
  });

  test('a native search for the short anchors gives the same answers', () => {
    const native = (bytes: Uint8Array, needle: Uint8Array, from: number) => Buffer.from(bytes).indexOf(needle, from);
    for (const text of ['x &# y', 'A3T', '\\u00', 'no short anchor here, nor A3 T', `${'z'.repeat(300)}&#`]) {
      const found: string[] = [];
      scanner.scan(
        Buffer.from(text),
        () => true,
        (anchor) => found.push(scanner.anchors[anchor]!),
        () => false,
        native,
      );
      expect(found.sort(), text).toEqual(expected(text));
    }
  });

  test('stops when told it is done, and skips anchors no longer wanted', () => {
    const found: string[] = [];
    scanner.scan(
      Buffer.from('AKIA ASIA secret'),
      () => true,
      (anchor) => found.push(scanner.anchors[anchor]!),
      () => found.length === 1,
    );
    expect(found).toEqual(['AKIA']);
    const unwanted: string[] = [];
    scanner.scan(
      Buffer.from('AKIA ASIA'),
      (anchor) => scanner.anchors[anchor] !== 'AKIA',
      (anchor) => unwanted.push(scanner.anchors[anchor]!),
      () => false,
    );
    expect(unwanted).toEqual(['ASIA']);
  });

  test('refuses an anchor it cannot file under a pair of bytes', () => {
    expect(() => new ByteAnchorScanner(['A'])).toThrow(/2\+ characters/);
    expect(() => new ByteAnchorScanner(['clé'])).toThrow(/ASCII/);
  });
});

describe('prefilterBytes', () => {
  test("agrees with the text prefilter and the encoded anchors on every rule's anchors and random mixes", async () => {
    const { catalog } = await import('../../rules/index.js');
    const ids = (rules: ReadonlySet<{ id: string }>) => [...rules].map((rule) => rule.id).sort();
    const random = prng(4202);
    const words = [...catalog.allAnchors, 'QUtJQ', 'QVNJQ', '&#', '\\u004', 'token', 'key', 'IA', 'cret', ' ', '\n', 'ü'];
    for (let round = 0; round < 2000; round++) {
      let text = '';
      for (let i = 0; i < 4; i++) text += words[Math.floor(random() * words.length)];
      const bytes = Buffer.from(text, 'utf8');
      const result = catalog.prefilterBytes(bytes, (haystack, needle, from) => Buffer.from(haystack).indexOf(needle, from));
      expect(ids(result.rules), text).toEqual(ids(catalog.anchoredRulesInText(text)));
      if (result.rules.size === 0) expect(result.encoded, text).toBe(catalog.encodedAnchors.foundInText(text));
    }
  });
});

describe('located anchors', () => {
  /** Every start of each word in `text`, ascending: the plain answer. */
  function plainStarts(text: string, words: readonly string[]): number[] {
    const starts: number[] = [];
    for (const word of words) for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) starts.push(at);
    return starts.sort((a, b) => a - b);
  }

  test('reports every occurrence of a located anchor, in every lane and across the lanes’ seams', () => {
    const words = ['token', 'Token', 'secret', 'QUtJQ', 'dockercfg', 'dockerconfigjson'];
    const scanner = new ByteAnchorScanner(['AKIA', 'secret', '&#'], words);
    const random = prng(77);
    const pieces = [...words, 'toke', 'oken', 'ken', 'x', ' ', '\n', 'AKIA', 'dockerc', 'secre'];
    for (let round = 0; round < 500; round++) {
      let text = '';
      // Short texts (one lane) and long ones (four lanes, seams anywhere).
      const length = round % 2 ? 40 : 300 + Math.floor(random() * 2000);
      while (text.length < length) text += pieces[Math.floor(random() * pieces.length)];
      const starts: number[] = [];
      scanner.scan(
        Buffer.from(text, 'latin1'),
        () => true,
        () => undefined,
        () => false,
        undefined,
        (_, start) => starts.push(start),
      );
      expect(
        starts.sort((a, b) => a - b),
        text,
      ).toEqual(plainStarts(text, words));
    }
  });

  test('locates a word that is also an ordinary anchor, and reports it as found', () => {
    const scanner = new ByteAnchorScanner(['secret', 'AKIA'], ['secret']);
    const found: string[] = [];
    const starts: number[] = [];
    scanner.scan(
      Buffer.from('a secret, then another secret'),
      () => true,
      (anchor) => found.push(scanner.anchors[anchor]!),
      () => false,
      undefined,
      (_, start) => starts.push(start),
    );
    expect(starts.sort((a, b) => a - b)).toEqual([2, 23]);
    expect(found).toContain('secret');
  });

  test('refuses a located anchor shorter than its window', () => {
    expect(() => new ByteAnchorScanner(['AKIA'], ['&#x'])).toThrow(/shorter than 4/);
  });
});
