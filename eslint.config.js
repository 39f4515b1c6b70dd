// Lint for keywarden's own code: typescript-eslint's recommended rules (type-aware ones only
// where they catch real bugs cheaply: floating and misused promises), and keywarden's own ESLint
// plugin, so the project runs the rules it ships on itself. Formatting is Prettier's job
// (`npm run format:check`), so no stylistic rules here.
import keywarden from 'keywarden/eslint';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-bundle/', 'dist-action/', 'coverage/', 'bench/.corpus/', 'node_modules/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  keywarden.configs.recommended,
);
