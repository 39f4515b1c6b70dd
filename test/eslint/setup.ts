import { RuleTester } from 'eslint';
import { type afterAll, describe, it } from 'vitest';
import * as tsParser from '@typescript-eslint/parser';
import type { Linter } from 'eslint';

/** ESLint's RuleTester calls describe/it; point them at vitest's. */
export function useVitestForRuleTester(): void {
  const tester = RuleTester as unknown as { describe: typeof describe; it: typeof it; itOnly: typeof it.only; afterAll?: typeof afterAll };
  tester.describe = describe;
  tester.it = it;
  tester.itOnly = it.only;
}

export const typescriptParser = tsParser as unknown as Linter.Parser;

export const jsxParserOptions = { ecmaFeatures: { jsx: true } };
