import type { AST, SourceCode } from 'eslint';
import type { Span } from '../core/types.js';

/** Where in the code a credential was written; only these places are reported. */
export type RegionKind = 'string' | 'template' | 'jsx' | 'comment' | 'text';

export interface Region {
  kind: RegionKind;
  range: [number, number];
}

const TOKEN_KINDS: Partial<Record<AST.TokenType, RegionKind>> = {
  String: 'string',
  Template: 'template',
  // Espree and typescript-eslint both tokenize JSX text and JSX attribute strings as JSXText.
  JSXText: 'jsx',
};

interface Ranged {
  range?: [number, number] | undefined;
}

/** The last element whose range starts at or before `offset` (elements sorted by start). */
function lastStartingAtOrBefore<T extends Ranged>(items: readonly T[], offset: number): T | undefined {
  let low = 0;
  let high = items.length - 1;
  let found: T | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const item = items[mid]!;
    if (item.range![0] <= offset) {
      found = item;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

function contains(range: readonly [number, number], span: Span): boolean {
  return range[0] <= span.start && span.end <= range[1];
}

/**
 * The string literal, template quasi, JSX text or comment that holds the whole span; undefined
 * when the span is elsewhere (an identifier, a regex...). Template tokens include their `${`/`}`
 * delimiters, which a credential's alphabet never contains, so containment means the static part.
 * A language without JS tokens (another ESLint language plugin) is treated as all text.
 */
export function findRegion(sourceCode: SourceCode, span: Span): Region | undefined {
  const tokens = (sourceCode.ast as { tokens?: AST.Token[] }).tokens;
  if (!Array.isArray(tokens)) return { kind: 'text', range: [span.start, span.end] };
  const token = lastStartingAtOrBefore(tokens, span.start);
  const kind = token && TOKEN_KINDS[token.type];
  if (token && kind && contains(token.range, span)) return { kind, range: token.range };
  const comment = lastStartingAtOrBefore(sourceCode.getAllComments(), span.start);
  if (comment?.range && contains(comment.range, span)) return { kind: 'comment', range: comment.range };
  return undefined;
}
