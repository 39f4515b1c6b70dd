import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { catalog, ruleIds } from '../../rules/index.js';
import { LONG_TERM_PREFIX, SHORT_TERM_PREFIX } from '../../src/core/bedrock.js';
import { PROJECT_ROOT } from '../helpers/build.js';

/**
 * The layering docs/architecture.md promises, checked on the source: the core imports nothing
 * outside itself (it receives the rule catalog as a parameter), and adapters spell no rule fact
 * (no rule id, no key prefix): they read the rule definitions instead.
 */

const CORE = 'src/core';
const ADAPTERS = [
  'src/run',
  'src/cli',
  'src/action',
  'src/report',
  'src/eslint',
  'src/sts',
  'src/iam',
  'src/git',
  'src/scan',
  'src/archive',
  'src/config',
];

/** The AWS credential prefixes the rules own: every key-id prefix (`A3T?` as `A3T`) and Bedrock's. */
const KEY_PREFIXES = [...catalog.keyIdPrefixes.map(({ prefix }) => prefix.replace('?', '')), LONG_TERM_PREFIX, SHORT_TERM_PREFIX];

/**
 * Places an adapter may still spell a rule fact, each with why. `file` and `literal` must both
 * match; an entry nothing matches fails the test, so the list cannot go stale.
 */
const ALLOWED: ReadonlyArray<{ file: string; literal: string; reason: string }> = [];

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(PROJECT_ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

function parse(file: string, text = readFileSync(join(PROJECT_ROOT, file), 'utf8')): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
}

function visit(node: ts.Node, each: (node: ts.Node) => void): void {
  each(node);
  node.forEachChild((child) => visit(child, each));
}

/** Every module a file names: static and dynamic imports, re-exports, `import('x').T` types. */
export function moduleSpecifiers(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  visit(source, (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text);
    }
  });
  return specifiers;
}

/** Imports of a core file that leave src/core: a package, a `node:` module, or a relative path outside. */
function coreViolations(file: string, source = parse(file)): string[] {
  const coreDir = resolve(PROJECT_ROOT, CORE);
  return moduleSpecifiers(source).filter((specifier) => {
    if (!specifier.startsWith('.')) return true;
    const target = resolve(PROJECT_ROOT, dirname(file), specifier);
    return !(target + sep).startsWith(coreDir + sep);
  });
}

const escape = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const RULE_ID = new RegExp(`(?<![\\w-])(?:${ruleIds.map(escape).join('|')})(?![\\w-])`);
const PREFIX = new RegExp(`(?<![A-Za-z0-9])(?:${KEY_PREFIXES.map(escape).join('|')})`);

/**
 * Literals in code (comments are free) that spell a rule id or a key prefix: any regex literal
 * holding one, and any string or template part holding one that is not prose (prose has spaces:
 * an error message may name `ASIA` keys to the user; a fact the code acts on has none).
 */
function factLiterals(source: ts.SourceFile): string[] {
  const found: string[] = [];
  visit(source, (node) => {
    if (ts.isRegularExpressionLiteral(node)) {
      if (RULE_ID.test(node.text) || PREFIX.test(node.text)) found.push(node.text);
      return;
    }
    const text = ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) ? node.text : undefined;
    if (text === undefined || ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent)) return;
    if (/\s/.test(text)) return;
    if (RULE_ID.test(text) || PREFIX.test(text)) found.push(text);
  });
  return found;
}

describe('layers', () => {
  it('finds what it looks for (the checks can fail)', () => {
    const core = parse(
      'src/core/x.ts',
      "import { a } from './a.js';\nimport { b } from '../../rules/index.js';\nimport { c } from 'node:fs';\nexport * from '../scan/x.js';\ntype T = import('../archive/scan.js').ArchiveOptions;\nconst d = await import('./d.js');",
    );
    expect(coreViolations('src/core/x.ts', core)).toEqual(['../../rules/index.js', 'node:fs', '../scan/x.js', '../archive/scan.js']);
    const adapter = parse(
      'src/sts/x.ts',
      "// AKIA in a comment is fine\nconst a = id.startsWith('ASIA');\nconst b = /^(AKIA|ASIA)[A-Z0-9]{16}$/;\nconst c = rule === 'aws-session-token';\nconst d = `${x}ABSK`;\nconst e = 'a temporary (ASIA) key id, see aws-session-token docs';\nconst f = 'ASIAN';",
    );
    expect(factLiterals(adapter)).toEqual(['ASIA', '/^(AKIA|ASIA)[A-Z0-9]{16}$/', 'aws-session-token', 'ABSK', 'ASIAN']);
  });

  it('src/core imports nothing outside src/core, and no node: module', () => {
    const files = sourceFiles(CORE);
    expect(files.length).toBeGreaterThan(10);
    const violations = files.flatMap((file) => coreViolations(file).map((specifier) => `${file}: ${specifier}`));
    expect(violations).toEqual([]);
  });

  it('adapters spell no rule id and no AWS key prefix: they read the rule definitions', () => {
    const used = new Set<(typeof ALLOWED)[number]>();
    const violations: string[] = [];
    for (const dir of ADAPTERS) {
      const files = sourceFiles(dir);
      expect(files.length, dir).toBeGreaterThan(0);
      for (const file of files) {
        for (const literal of factLiterals(parse(file))) {
          const allowed = ALLOWED.find((entry) => entry.file === file && entry.literal === literal);
          if (allowed) used.add(allowed);
          else violations.push(`${relative('.', file)}: ${literal}`);
        }
      }
    }
    expect(violations).toEqual([]);
    expect(
      ALLOWED.filter((entry) => !used.has(entry)).map((entry) => `${entry.file}: ${entry.literal} is allowed but no longer there`),
    ).toEqual([]);
  });
});
