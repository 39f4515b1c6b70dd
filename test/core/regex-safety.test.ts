import { describe, expect, test } from 'vitest';
import { MAX_ALLOW_INPUT, userRegexProblem } from '../../src/core/regex-safety.js';

describe('userRegexProblem', () => {
  test.each([
    ['^(a+)+$', 'nested quantifier'],
    ['(a*)*b', 'nested quantifier'],
    ['^(?:[a-z]+/)*x$', 'nested quantifier'],
    ['(\\d{1,3}\\.){3}', 'nested quantifier'],
    ['(a|ab)*c', 'repeated alternatives'],
    ['(?:x|x){9}y', 'repeated alternatives'],
    ['(a|a)(a|a)(a|a)(a|a)(a|a)b', 'too many alternatives'],
    ['(a)\\1', 'back-reference'],
    ['(?=a+)b', 'quantifier inside a lookaround'],
    ['.*a.*x', 'one after another'],
    ['.*test.*x', 'one after another'],
    ['\\d+\\d*x', 'one after another'],
    ['.*(?=a).*x', 'one after another'],
    ['.*a.*$', 'one after another'],
    ['^.*a.*b.*c', 'one after another'],
    ['\\p{L}', 'syntax outside the accepted subset'],
    ['(?<n>a)\\k<n>', 'syntax outside the accepted subset'],
    ['(a', 'not a valid regular expression'],
    ['a'.repeat(1001), 'longer than 1000'],
  ])('refuses %s (%s)', (source, reason) => {
    expect(userRegexProblem(source)).toContain(reason);
  });

  test.each([
    '^test/',
    '\\.example$',
    'fixtures/',
    '^docs/.*\\.md$',
    '.*\\.env$',
    '.*fixtures.*',
    '^src/.*/fixtures/.*\\.json$',
    '[^/]*/[^/]*\\.txt$',
    '^AKIA[A-Z0-9]{16}$',
    '\\d{3}-\\d{4}',
    '(?:test|spec)s?/',
    '(foo|foobar)\\.js$',
    '^(?:ab)+$',
    'EXAMPLE$',
    '(?<=/)secrets\\.json$',
  ])('accepts %s', (source) => {
    expect(userRegexProblem(source)).toBeUndefined();
  });

  test('messages never hold the regex text', () => {
    for (const source of ['^(zq+)+$', '(zq', '(zq)\\1', '\\p{Zq}']) expect(userRegexProblem(source)).not.toContain('zq');
  });
});

/**
 * Accepted regexes stay cheap on the worst inputs of the longest length tested. The bound is a hang
 * detector, not a benchmark: the refused shapes take 10 s to hours on these inputs.
 */
describe('accepted regexes on hostile inputs of MAX_ALLOW_INPUT characters', () => {
  const fill = (unit: string) => unit.repeat(Math.ceil(MAX_ALLOW_INPUT / unit.length)).slice(0, MAX_ALLOW_INPUT);
  test.each([
    ['^.*test.*x', 'test'],
    ['.*test.*', 'tes'],
    ['\\d+x', '1'],
    ['^src/.*/fixtures/.*\\.json$', '/fixtures'],
    ['(ab|ac)(ab|ac)(ab|ac)(ab|ac)x', 'ab'],
    ['[^/]*/[^/]*\\.txt$', 'a/'],
    ['.*\\.env$', '.env'],
  ])('%s on repeated %j', (source, unit) => {
    expect(userRegexProblem(source)).toBeUndefined();
    const regex = new RegExp(source);
    const start = performance.now();
    regex.test(fill(unit));
    regex.test(`${fill(unit).slice(1)}\n`);
    expect(performance.now() - start).toBeLessThan(1500);
  });
});

describe('isAllowed bounds the text an allow regex runs on', () => {
  test('a path longer than MAX_ALLOW_INPUT is not tested, so the finding stays', async () => {
    const { isAllowed } = await import('../../src/core/allow.js');
    const allow = { paths: [/^a/] };
    expect(isAllowed({ match: 'x', path: 'a'.repeat(MAX_ALLOW_INPUT) }, allow)).toBe(true);
    expect(isAllowed({ match: 'x', path: 'a'.repeat(MAX_ALLOW_INPUT + 1) }, allow)).toBe(false);
  });
});
