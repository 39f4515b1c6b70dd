import type { Rule, SourceCode } from 'eslint';
import { catalog } from '../../rules/index.js';
import type { Finding } from '../core/types.js';
import type { Region } from './regions.js';

/** The few node fields this module reads, common to espree's and typescript-eslint's trees. */
interface SyntaxNode {
  type: string;
  range?: [number, number];
  parent?: SyntaxNode | null;
  value?: unknown;
  key?: unknown;
  id?: unknown;
  computed?: boolean;
  directive?: unknown;
  quasis?: Array<SyntaxNode & { value: { cooked: string | null } }>;
  expressions?: unknown[];
}

/**
 * Parents under which a literal is not an expression, so `process.env.X` would not parse or would
 * change meaning: module specifiers, import attributes, TypeScript literal types and module names.
 */
const NON_EXPRESSION_PARENTS = new Set([
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'ExportAllDeclaration',
  'ImportExpression',
  'ImportAttribute',
  'ImportSpecifier',
  'ExportSpecifier',
  'TSLiteralType',
  'TSExternalModuleReference',
  'TSImportType',
  'TSModuleDeclaration',
  // TypeScript rejects computed initializers in string enums.
  'TSEnumMember',
  'TaggedTemplateExpression',
]);

function inExpressionPosition(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent || NON_EXPRESSION_PARENTS.has(parent.type)) return false;
  // Property names (`{ 'x': 1 }`, `class { 'x' = 1 }`) and declared names are not expressions.
  if ((parent.key === node && !parent.computed) || parent.id === node) return false;
  if (parent.type === 'ExpressionStatement' && typeof parent.directive === 'string') return false;
  return true;
}

function nodeAt(sourceCode: SourceCode, offset: number): SyntaxNode | null {
  return sourceCode.getNodeByRangeIndex(offset) as SyntaxNode | null;
}

function enclosing(node: SyntaxNode | null, type: string): SyntaxNode | undefined {
  for (let at = node; at; at = at.parent ?? null) if (at.type === type) return at;
  return undefined;
}

/** Which text replaces which range, or undefined when no safe rewrite exists. */
function rewrite(
  sourceCode: SourceCode,
  finding: Finding,
  region: Region,
  expression: string,
): { range: [number, number]; text: string } | undefined {
  if (region.kind === 'comment' || region.kind === 'text') return undefined;
  const raw = sourceCode.text.slice(finding.span.start, finding.span.end);
  const node = nodeAt(sourceCode, finding.span.start);
  if (!node) return undefined;
  if (region.kind === 'string' || (region.kind === 'jsx' && node.type === 'Literal')) {
    // Only a literal whose whole value is the credential is replaced; "id=AKIA..." is left alone.
    if (node.type !== 'Literal' || node.value !== finding.match || !node.range) return undefined;
    if (node.parent?.type === 'JSXAttribute') return { range: node.range, text: `{${expression}}` };
    return inExpressionPosition(node) ? { range: node.range, text: expression } : undefined;
  }
  if (region.kind === 'template') {
    const template = enclosing(node, 'TemplateLiteral');
    if (!template?.range || !template.quasis || !inExpressionPosition(template)) return undefined;
    const whole = template.quasis.length === 1 && template.quasis[0]!.value.cooked === finding.match;
    if (whole) return { range: template.range, text: expression };
    return raw === finding.match ? { range: [finding.span.start, finding.span.end], text: `\${${expression}}` } : undefined;
  }
  if (region.kind === 'jsx' && node.type === 'JSXText' && raw === finding.match) {
    return { range: [finding.span.start, finding.span.end], text: `{${expression}}` };
  }
  return undefined;
}

/** A suggestion (never an autofix: the variable must first be set) to read the value from the environment. */
export function environmentSuggestions(
  sourceCode: SourceCode,
  finding: Finding,
  region: Region,
  messageId: string,
): Rule.SuggestionReportDescriptor[] {
  // The variable the AWS SDKs and CLI read this credential from (the rule's environmentVariable).
  const variable = catalog.get(finding.ruleId)!.environmentVariable;
  const change = rewrite(sourceCode, finding, region, `process.env.${variable}`);
  if (!change) return [];
  return [{ messageId, data: { variable }, fix: (fixer) => fixer.replaceTextRange(change.range, change.text) }];
}
