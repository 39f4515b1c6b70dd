import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { accountIdFromKeyId, CANARY_ACCOUNTS, isModernKeyId } from '../../src/core/account.js';
import { decodeBase32, isBase32 } from '../../src/core/base32.js';
import { sha256Hex } from '../../src/core/sha256.js';
import { makeKeyId, prefix } from '../helpers/keys.js';

describe('offline account decoding (docs/aws-credentials.md)', () => {
  // Published checks, assembled from parts so the repository holds no key-id-shaped literal.
  test.each([
    [prefix('ASIA') + 'Y34FZKBOKMUTVV7A', '609629065308'],
    [prefix('ASIA') + 'QNZGKIQY56JQ7WML', '029608264753'],
    [prefix('ASIA') + 'R2TG44V5PDTTBZRR', '125843596666'],
    [prefix('AKIA') + 'XYZDQCEN4B6JSJQI', '534261010715'],
  ])('%s -> %s', (keyId, account) => {
    expect(accountIdFromKeyId(keyId)).toBe(account);
  });

  test('the published canary example decodes to a known canary account', () => {
    expect(CANARY_ACCOUNTS.has(accountIdFromKeyId(prefix('AKIA') + 'XYZDQCEN4B6JSJQI')!)).toBe(true);
  });

  test('round-trips every account the generator encodes, leading zeros kept', () => {
    for (const account of ['012345678901', '999999999999', '100000000000', '000987654321']) {
      expect(accountIdFromKeyId(makeKeyId('AKIA', { seed: 3, account }))).toBe(account);
    }
  });

  test('a modern id that decodes past 12 digits has no account (no key of a real account looks so)', () => {
    // Generation bit and all 40 account bits set: 1,099,511,627,775, a 13-digit number.
    const keyId = `${prefix('AKIA')}7${'7777777'}QRSTUVWX`;
    expect(isModernKeyId(keyId)).toBe(true);
    expect(accountIdFromKeyId(keyId)).toBeNull();
    expect(accountIdFromKeyId(makeKeyId('AKIA', { seed: 3, account: '999999999999' }))).toBe('999999999999');
  });

  test('old-format ids (fifth char A-P) have no account', () => {
    for (const fifth of 'ABCDEFGHIJKLMNOP') {
      const keyId = `${prefix('AKIA')}${fifth}${'QRSTUVWXYZ234567'.slice(0, 15)}`;
      expect(isModernKeyId(keyId)).toBe(false);
      expect(accountIdFromKeyId(keyId)).toBeNull();
    }
  });
});

describe('base32', () => {
  test('decodes RFC 4648 test vectors', () => {
    expect(Buffer.from(decodeBase32('MZXW6YTBOI')!).toString()).toBe('foobar');
    expect(decodeBase32('MZXW6===')).toBeNull();
    expect(isBase32('ABC234')).toBe(true);
    expect(isBase32('ABC018')).toBe(false);
  });
});

describe('sha256', () => {
  test('matches node:crypto', () => {
    for (const input of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'ünïcödé ✓', 'x'.repeat(1000)]) {
      expect(sha256Hex(input)).toBe(createHash('sha256').update(input, 'utf8').digest('hex'));
    }
  });
});

describe('prefilter anchors', () => {
  test('every anchor of every rule contains one of the byte-prefilter fragments', async () => {
    const { ALL_ANCHORS, PREFILTER_ANCHORS } = await import('../helpers/engine.js');
    expect(PREFILTER_ANCHORS.fragments.length).toBeLessThan(ALL_ANCHORS.length);
    for (const anchor of ALL_ANCHORS) {
      expect(PREFILTER_ANCHORS.fragments.some((fragment) => anchor.includes(fragment))).toBe(true);
      expect(PREFILTER_ANCHORS.foundInText(`x = ${anchor};`)).toBe(true);
    }
  });
});
