import type { AST, Rule, SourceCode } from 'eslint';
import type { RuleDefinition } from '../../rules/index.js';
import { ruleDocsUrl } from '../../rules/index.js';
import { isAllowed } from '../core/allow.js';
import type { Finding } from '../core/types.js';
import { MESSAGE_ID, SUGGESTION_ID, messageData, messages } from './messages.js';
import { optionsSchema, resolveOptions } from './options.js';
import type { ResolvedOptions } from './options.js';
import { findRegion } from './regions.js';
import { scanSourceCode } from './scan-cache.js';
import { environmentSuggestions } from './suggestions.js';

/**
 * ESLint's own line breaks (CRLF, CR, U+2028, U+2029) decide lines; a language without
 * getLocFromIndex (another ESLint language plugin) gets the core's line and column.
 */
function locate(sourceCode: SourceCode, finding: Finding): AST.SourceLocation {
  if (typeof sourceCode.getLocFromIndex !== 'function') {
    return { start: { line: finding.line, column: finding.column - 1 }, end: { line: finding.endLine, column: finding.endColumn - 1 } };
  }
  return { start: sourceCode.getLocFromIndex(finding.span.start), end: sourceCode.getLocFromIndex(finding.span.end) };
}

function candidates(all: { findings: Finding[]; examples: Finding[] }, definition: RuleDefinition, options: ResolvedOptions): Finding[] {
  const pool = options.includeExamples ? [...all.findings, ...all.examples] : all.findings;
  return pool.filter((finding) => finding.ruleId === definition.id && !isAllowed(finding, { values: options.allow }));
}

/**
 * The ESLint face of one catalog rule. Detection is the core's: the rule only picks its own
 * findings from the shared per-file scan and keeps those written in literals, JSX or comments.
 */
export function createEslintRule(definition: RuleDefinition): Rule.RuleModule {
  return {
    meta: {
      type: 'problem',
      docs: {
        description: definition.title,
        recommended: true,
        url: ruleDocsUrl(definition.id),
      },
      hasSuggestions: true,
      schema: optionsSchema,
      defaultOptions: [{ includeExamples: false, allow: [] }],
      messages,
    },
    create(context) {
      const { sourceCode } = context;
      // Scanning here rather than in a listener lets a clean file (nearly all of them) register no
      // listener at all, so ESLint does no per-node work for keywarden on it.
      const scan = scanSourceCode(sourceCode, context.filename);
      if (scan.findings.length === 0 && scan.examples.length === 0) return {};
      return {
        Program() {
          const options = resolveOptions(definition.id, context.options);
          for (const finding of candidates(scan, definition, options)) {
            const region = findRegion(sourceCode, finding.span);
            if (!region) continue;
            context.report({
              loc: locate(sourceCode, finding),
              messageId: MESSAGE_ID,
              data: messageData(finding, region.kind),
              suggest: environmentSuggestions(sourceCode, finding, region, SUGGESTION_ID),
            });
          }
        },
      };
    },
  };
}
