import { describe, expect, it } from 'vitest';
import { formats, getReporter, githubReporter, isFormat, jsonReporter, sarifReporter, textReporter } from '../../src/report/index.js';

describe('reporter registry', () => {
  it('names the four formats', () => {
    expect(formats).toEqual(['text', 'json', 'sarif', 'github']);
  });

  it('recognises format names exactly', () => {
    for (const format of formats) expect(isFormat(format)).toBe(true);
    for (const other of ['TEXT', 'xml', '', 'sarif ', 'toString']) expect(isFormat(other)).toBe(false);
  });

  it('returns the reporter for each format', () => {
    expect(getReporter('text')).toBe(textReporter);
    expect(getReporter('json')).toBe(jsonReporter);
    expect(getReporter('sarif')).toBe(sarifReporter);
    expect(getReporter('github')).toBe(githubReporter);
  });
});
