import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ruleDocsUrl, rules as catalog } from '../../rules/index.js';
import { scanText } from '../helpers/engine.js';
import plugin from '../../src/eslint/index.js';
import { jsxParserOptions, typescriptParser } from './setup.js';

const rulesDir = new URL('../../rules/', import.meta.url);

/** The sections every rule doc has, in this order (shared by ESLint docs, SARIF help and the CLI). */
const SECTIONS = ['## What it finds', '## Why it matters', '## Examples', '### Invalid', '### Valid', '## Options', '## What to do'];

interface CodeBlock {
  lang: string;
  code: string;
}

function readDoc(id: string): string {
  return readFileSync(new URL(`${id}.md`, rulesDir), 'utf8');
}

function headings(doc: string): string[] {
  return doc.split('\n').filter((line) => /^#{1,6} /.test(line));
}

/** The text between a heading and the next heading of the same or a higher level. */
function section(doc: string, heading: string): string {
  const lines = doc.split('\n');
  const start = lines.indexOf(heading);
  const level = heading.indexOf(' ');
  const end = lines.findIndex((line, i) => i > start && /^#{1,6} /.test(line) && line.indexOf(' ') <= level);
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({ lang: match[1]!, code: match[2]! }));
}

const PARSED_LANGUAGES: Record<string, { filename: string; config: Linter.Config }> = {
  js: { filename: 'example.js', config: { languageOptions: { parserOptions: jsxParserOptions } } },
  ts: { filename: 'example.ts', config: { files: ['**/*.ts'], languageOptions: { parser: typescriptParser } } },
  tsx: {
    filename: 'example.tsx',
    config: { files: ['**/*.tsx'], languageOptions: { parser: typescriptParser, parserOptions: jsxParserOptions } },
  },
};

/** Lines a rule reports in a doc's code block, examples included; JS and TS through ESLint, other languages through the core. */
function reportedLines(ruleId: string, block: CodeBlock): number[] {
  const language = PARSED_LANGUAGES[block.lang];
  if (!language) {
    const scan = scanText({ path: `example.${block.lang}`, text: block.code });
    return [...scan.findings, ...scan.examples].filter((finding) => finding.ruleId === ruleId).map((finding) => finding.line);
  }
  const messages = new Linter().verify(
    block.code,
    [{ plugins: { keywarden: plugin }, rules: { [`keywarden/${ruleId}`]: ['error', { includeExamples: true }] } }, language.config],
    { filename: language.filename },
  );
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`${ruleId}.md: a ${block.lang} example does not parse: ${fatal.message}\n${block.code}`);
  return messages.map((message) => message.line);
}

describe('rule catalog, docs and ESLint plugin agree', () => {
  const docIds = readdirSync(rulesDir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => name.slice(0, -3))
    .sort();
  const catalogIds = catalog.map((rule) => rule.id).sort();

  it('every rule has a doc and every doc is a rule', () => {
    expect(docIds).toEqual(catalogIds);
  });

  it('every rule has its own test file, test/rules/<id>.test.ts, and every test there is of a module in rules/', () => {
    const testsDir = new URL('../rules/', import.meta.url);
    const tested = readdirSync(testsDir)
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => name.slice(0, -'.test.ts'.length));
    for (const id of catalogIds) expect(tested, `test/rules/${id}.test.ts`).toContain(id);
    for (const name of tested) expect(existsSync(new URL(`${name}.ts`, rulesDir)), `rules/${name}.ts`).toBe(true);
  });

  it('the plugin exposes exactly the catalog ids, each linking to its doc', () => {
    expect(Object.keys(plugin.rules).sort()).toEqual(catalogIds);
    for (const rule of catalog) {
      const docs = plugin.rules[rule.id]!.meta!.docs!;
      expect(docs.url).toBe(ruleDocsUrl(rule.id));
      expect(docs.url!.endsWith(`/rules/${rule.id}.md`)).toBe(true);
      expect(existsSync(new URL(`${rule.id}.md`, rulesDir))).toBe(true);
      expect(docs.description).toBe(rule.title);
    }
  });

  describe.each(catalog.map((rule) => [rule.id, rule] as const))('rules/%s.md', (id, rule) => {
    const doc = readDoc(id);

    it('has the title, the summary line and the sections in order', () => {
      expect(doc.split('\n')[0]).toBe(`# ${id}`);
      expect(doc).toContain(
        `**${rule.title}.** Default level: \`${rule.level}\` · security severity ${rule.securitySeverity} · precision ${rule.precision.replace('-', ' ')}.`,
      );
      expect(headings(doc).filter((heading) => SECTIONS.includes(heading))).toEqual(SECTIONS);
      for (const heading of SECTIONS) expect(section(doc, heading).trim(), heading).not.toBe('');
    });

    it('links only to docs that exist', () => {
      for (const [, target] of doc.matchAll(/\]\(([^)#:]+\.md)\)/g)) expect(existsSync(new URL(target!, rulesDir)), target).toBe(true);
    });

    it('documents both options and the ESLint rule name', () => {
      const options = section(doc, '## Options');
      expect(options).toContain('`includeExamples`');
      expect(options).toContain('`allow`');
      expect(options).toContain(`keywarden/${id}`);
    });

    it('every invalid example is reported by this rule (with includeExamples)', () => {
      const blocks = codeBlocks(section(doc, '### Invalid'));
      expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) expect(reportedLines(id, block), block.code).not.toEqual([]);
    });

    it('no valid example is reported by this rule, even with includeExamples', () => {
      const blocks = codeBlocks(section(doc, '### Valid'));
      expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) expect(reportedLines(id, block), block.code).toEqual([]);
    });

    it('holds no credential that is not a documentation example', () => {
      expect(scanText({ path: `rules/${id}.md`, text: doc }).findings).toEqual([]);
    });
  });
});
