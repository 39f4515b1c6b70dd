import { describe, expect, test } from 'vitest';
import { AnchorSet, coveringFragments, keywordVariants } from '../../src/core/anchors.js';

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

  test('letters around the exact fragment compare without case', () => {
    expect(tokens.foundInText('Session_token')).toBe(true);
    expect(tokens.foundInText('x-amz-SECURITY-Token')).toBe(true);
    // The fragment itself is searched exactly: a wild casing of it is not an anchor.
    expect(tokens.foundInText('session_tOkEn')).toBe(false);
  });

  test('byte haystacks agree with strings', () => {
    const fragments = tokens.fragments.map((fragment) => Buffer.from(fragment, 'latin1'));
    const inBytes = (text: string) => {
      const bytes = Buffer.from(text, 'utf8');
      return tokens.foundIn({ length: bytes.length, indexOf: (index, from) => bytes.indexOf(fragments[index]!, from), codeAt: (at) => bytes[at]! });
    };
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
