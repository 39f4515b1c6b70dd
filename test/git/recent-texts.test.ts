import { describe, expect, it } from 'vitest';
import { RecentTexts } from '../../src/git/recent-texts.js';

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('RecentTexts', () => {
  it('gives a text back only with the decoder it was made with', () => {
    const texts = new RecentTexts(100);
    texts.add('a', 'text of a', latin1);
    expect(texts.get('a', latin1)).toBe('text of a');
    expect(texts.get('a', utf8)).toBeUndefined();
    expect(texts.get('b', latin1)).toBeUndefined();
    texts.add('a', 'a as utf8', utf8);
    expect(texts.get('a', utf8)).toBe('a as utf8');
    expect(texts.get('a', latin1)).toBe('text of a');
  });

  it('drops the least recently used texts to stay within its budget of characters', () => {
    const texts = new RecentTexts(30);
    texts.add('a', 'x'.repeat(10), latin1);
    texts.add('b', 'y'.repeat(10), latin1);
    texts.add('c', 'z'.repeat(10), latin1);
    // Reading a makes b the oldest.
    expect(texts.get('a', latin1)).toHaveLength(10);
    texts.add('d', 'w'.repeat(10), latin1);
    expect(texts.get('b', latin1)).toBeUndefined();
    expect(texts.get('a', latin1)).toHaveLength(10);
    expect(texts.get('c', latin1)).toHaveLength(10);
    expect(texts.get('d', latin1)).toHaveLength(10);
  });

  it('never holds a text larger than its budget', () => {
    const texts = new RecentTexts(30);
    texts.add('a', 'x'.repeat(10), latin1);
    texts.add('huge', 'h'.repeat(31), latin1);
    expect(texts.get('huge', latin1)).toBeUndefined();
    expect(texts.get('a', latin1)).toHaveLength(10);
  });
});
