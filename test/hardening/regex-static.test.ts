import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { DOC_EXAMPLE_KEY_ID, makeKeyId, makeSecret } from '../helpers/keys.js';
import { parseRegex, regexHazards } from '../../src/core/regex-analysis.js';

/**
 * Static ReDoS check: every regex the detector can run on untrusted text is free of the shapes
 * that backtrack super-linearly. Regex literals are read from the sources with the TypeScript
 * parser; regexes built at run time (`new RegExp(template)`) are captured by constructing them
 * through a recording RegExp while the rule modules load and run. This file imports no rule or core
 * module statically, so they are evaluated here, under the recorder.
 */

/** Directories whose code runs on scanned text (the config and CLI only parse the user's own flags). */
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const SCANNED_TEXT_DIRS = ['rules', 'src/core', 'src/scan', 'src/git', 'src/eslint', 'src/report'];

/**
 * Reviewed exceptions, by file and source: hazards that cannot bite because of what the regex runs on.
 * Each must still exist, so the list cannot outlive its reason.
 */
const ALLOWED: Record<string, { source: string; hazard: string; why: string }> = {
  'src/report/uri.ts': {
    source: String.raw`^(\.\/)+`,
    hazard: 'unbounded repetition of a group',
    why: 'runs on file paths, at most PATH_MAX (4,096) characters',
  },
};

function allowed(where: string, source: string, hazard: string): boolean {
  const entry = ALLOWED[where.replace(/:\d+$/, '')];
  return entry !== undefined && entry.source === source && hazard.startsWith(entry.hazard);
}

interface Found {
  where: string;
  source: string;
  flags: string;
}

function regexLiterals(): Found[] {
  const found: Found[] = [];
  for (const dir of SCANNED_TEXT_DIRS) {
    for (const name of readdirSync(path.join(REPO_ROOT, dir))) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const file = path.join(dir, name);
      const sourceFile = ts.createSourceFile(file, readFileSync(path.join(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node) => {
        if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
          const text = node.getText(sourceFile);
          const end = text.lastIndexOf('/');
          const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
          found.push({ where: `${file}:${line}`, source: text.slice(1, end), flags: text.slice(end + 1) });
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
  }
  return found;
}

/** Loads the rules and the core under a RegExp that records what it is asked to build, and runs them once. */
async function constructedRegexes(): Promise<Found[]> {
  const found: Found[] = [];
  const original = globalThis.RegExp;
  globalThis.RegExp = new Proxy(original, {
    construct(target, args: [string | RegExp, string?]) {
      const [pattern, flags] = args;
      const source = typeof pattern === 'string' ? pattern : pattern.source;
      found.push({ where: 'new RegExp', source, flags: flags ?? (typeof pattern === 'string' ? '' : pattern.flags) });
      return Reflect.construct(target, args);
    },
  });
  try {
    const { scanText } = await import('../helpers/engine.js');
    // Run every rule, so regexes built per call (the key id matchers) are recorded too.
    const id = makeKeyId('AKIA', { seed: 3 });
    const text = `AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${makeSecret(4)}\n${makeKeyId('ASIA', { seed: 5 })}\naws_session_token=x\n${DOC_EXAMPLE_KEY_ID}\n`;
    expect(scanText({ path: 'a', text }).findings.length).toBeGreaterThan(0);
  } finally {
    globalThis.RegExp = original;
  }
  return found;
}

describe('the analyser', () => {
  test.each([
    ['(a+)+', 'nested'],
    ['(a*)*b', 'nested'],
    ['(?:[a-z]{1,5})+$', 'nested'],
    ['(a+){2}', 'nested'],
    ['(a|a)*', 'alternatives'],
    ['(?:ab|a)+c', 'alternatives'],
    ['(?:\\s|[ \\t])*x', 'alternatives'],
    ['\\d+\\d*x', 'adjacent'],
    ['[a-z]+_?[a-z0-9]+!', 'adjacent'],
    ['(?:[A-Za-z0-9+/]|\\\\/|%2[BbFf]){80,}', 'unbounded repetition of a group'],
    ['(?:ab)+', 'unbounded repetition of a group'],
  ])('flags %s', (source, kind) => {
    expect(regexHazards(source).join('\n')).toContain(kind);
  });

  test.each([
    ['(?:[A-Za-z0-9+/]|\\\\/|%2[BbFf]){40}', ''],
    ['(?:[A-Za-z0-9+/]|\\\\/|%2[BbFf]){80}', ''],
    ['(?:[A-Z]){4,}', ''],
    ['(?:x{1,16}){0,3}', ''],
    ['(?<=["\'])secret(?=\\\\?["\'])', 'i'],
    ['^\\s*(\\d+(?:\\.\\d+)?)\\s*(b|kb?)\\s*$', 'i'],
    ['(.)\\1{4,}', ''],
    ['[^\\]\\\\]+\\]', ''],
  ])('accepts %s', (source, flags) => {
    expect(regexHazards(source, flags)).toEqual([]);
  });

  test('parses what it is given exactly or refuses', () => {
    expect(() => parseRegex('(a')).toThrow();
    expect(() => parseRegex('a)')).toThrow();
    expect(() => parseRegex('[a-')).toThrow();
  });
});

describe('regexes that run on scanned text', () => {
  test('regex literals in rules/ and src/ have no super-linear shapes', () => {
    const literals = regexLiterals();
    // The sources hold dozens of literals; a collapse to a handful means the walk broke.
    expect(literals.length).toBeGreaterThan(20);
    const problems = literals.flatMap(({ where, source, flags }) =>
      regexHazards(source, flags)
        .filter((hazard) => !allowed(where, source, hazard))
        .map((hazard) => `${where} /${source}/${flags}: ${hazard}`),
    );
    expect(problems).toEqual([]);
    for (const [file, entry] of Object.entries(ALLOWED)) {
      expect(
        literals.some((literal) => literal.where.startsWith(`${file}:`) && literal.source === entry.source),
        `${file} ${entry.why}`,
      ).toBe(true);
    }
  });

  test('regexes the rules build at run time have no super-linear shapes', async () => {
    const built = await constructedRegexes();
    const sources = built.map((regex) => regex.source);
    // The keyword, candidate and token patterns, and the key id matchers, must all have been seen.
    for (const fragment of ['secret', '{40}', 'IQoJb3JpZ2luX2Vj', 'session|security', 'AKIA', 'ASIA'])
      expect(sources.some((source) => source.includes(fragment))).toBe(true);
    const problems = built.flatMap(({ source, flags }) => regexHazards(source, flags).map((hazard) => `/${source}/${flags}: ${hazard}`));
    expect(problems).toEqual([]);
  });
});
